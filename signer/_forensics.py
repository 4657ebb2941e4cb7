"""PDF-specific checks on top of pyHanko's difference analysis.

pyHanko's diff policy already rejects (modification level OTHER) the published
incremental-saving attacks and most shadow attacks (changed content streams,
page trees, catalogs, fonts, xref-only redirections). What it lets through by
design is *form filling*: a text field that was in the document before signing
may get a new value and appearance afterwards. The 2021 shadow attack
"replace via overlay" abuses exactly that: the attacker pre-places an empty
field on top of signed content and fills it in after signing, with an opaque
appearance that hides and replaces what was signed. Validators that call this
"harmless form filling" pass the document.

:func:`overlay_findings` checks every non-signature field changed after a
signature: if its widget lies over text or images of the *signed* revision,
the change is reported as suspicious (changes = "other").

:func:`trailing_garbage` finds bytes appended after the last revision without
a cross-reference section (an incremental-saving-attack variant that lenient
viewers repair and display, while a strict parser ignores it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.validation import EmbeddedPdfSignature

from ._pdfobjects import array_entry, catalog, dict_entry, entry, raw_array_items, resolved, text_entry
from .visual_diff import PDFIUM_LOCK

__all__ = [
    "PLAIN_SUBINDICATION",
    "OverlayFinding",
    "changed_fields",
    "describe_disallowed_change",
    "last_revision_end",
    "overlay_findings",
    "signed_revision_bytes",
    "trailing_garbage",
]

PLAIN_SUBINDICATION: dict[str, str] = {
    "HASH_FAILURE": "The signed content was altered: its digest no longer matches the signature.",
    "SIG_CRYPTO_FAILURE": "The cryptographic signature does not verify with the signer's public key.",
    "FORMAT_FAILURE": "The signature is malformed or does not cover the document properly.",
    "REVOKED": "The signer's certificate was revoked before the signature was made.",
    "REVOKED_NO_POE": "The signer's certificate has been revoked, and nothing proves the "
    "signature was made before the revocation.",
    "REVOKED_CA_NO_POE": "A CA certificate in the chain has been revoked.",
    "NO_CERTIFICATE_CHAIN_FOUND": "The signer's certificate does not chain up to a trusted root.",
    "OUT_OF_BOUNDS_NO_POE": "The signer's certificate was expired or not yet valid at validation "
    "time, and no timestamp proves the signature was made while it was valid.",
    "OUT_OF_BOUNDS_NOT_REVOKED": "The signer's certificate has expired (it was not revoked).",
    "EXPIRED": "The signer's certificate had expired when the signature was made.",
    "NOT_YET_VALID": "The signer's certificate was not yet valid when the signature was made.",
    "TRY_LATER": "The revocation status could not be determined (no OCSP/CRL data available).",
    "SIG_CONSTRAINTS_FAILURE": "The document was modified after signing in a way the signature "
    "does not allow: what is shown may not be what was signed.",
    "CHAIN_CONSTRAINTS_FAILURE": "The certificate chain violates its constraints.",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "The certificate chain could not be validated.",
    "CRYPTO_CONSTRAINTS_FAILURE": "The signature uses an algorithm that is not accepted.",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "The signature uses an algorithm that is no longer accepted.",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": "The revocation data is too old or too new to be used.",
    "NO_POE": "Nothing proves when the signature was made.",
    "TIMESTAMP_ORDER_FAILURE": "The timestamps in the signature are in an impossible order.",
    "NO_SIGNING_CERTIFICATE_FOUND": "The signature does not contain the signer's certificate (or not the one "
    "it names), so the signer cannot be identified.",
    "GENERIC": "The signature could not be validated.",
}

# Page trees larger than this are not walked further (a hostile file may claim any size).
_MAX_PAGES = 100_000

_STARTXREF = re.compile(rb"startxref\s+\d+\s+%%EOF", re.S)


def last_revision_end(data: bytes) -> int | None:
    """Offset just after the last ``startxref <n> %%EOF`` (None if there is none)."""
    end = None
    for match in _STARTXREF.finditer(data):
        end = match.end()
    return end


def trailing_garbage(data: bytes) -> int:
    """Number of non-whitespace bytes after the last ``startxref … %%EOF``."""
    end = last_revision_end(data)
    if end is None:
        return 0
    return len(data[end:].strip(b"\x00\t\n\x0c\r "))


@dataclass(frozen=True)
class OverlayFinding:
    suspicious: bool
    warnings: tuple[str, ...] = field(default=())


def _walk_fields(
    fields: Iterable[generic.PdfObject], prefix: str, seen: set[int]
) -> Iterator[tuple[str, generic.DictionaryObject, bool, generic.PdfObject]]:
    """Yield ``(fully qualified name, field dict, is_signature_field, reference)`` for
    every field under ``fields`` (the elements as written: references are kept, because
    a field is compared with its earlier version by object number)."""
    for ref in fields:
        obj = resolved(ref)
        if not isinstance(obj, generic.DictionaryObject) or id(obj) in seen:
            continue
        seen.add(id(obj))
        name = text_entry(obj, "/T") or ""
        fq = f"{prefix}.{name}" if prefix and name else (name or prefix)
        if "/T" in obj:
            yield fq, obj, text_entry(obj, "/FT") == "/Sig", ref
        yield from _walk_fields(raw_array_items(entry(obj, "/Kids")), fq, seen)


def _stream_bytes(stream: generic.PdfObject | None) -> bytes:
    """A stream's bytes as stored (not decoded: comparing them needs no filter to work)."""
    if not isinstance(stream, generic.StreamObject):
        return b""
    try:
        return stream.encoded_data
    except PdfError:
        return b""


def _appearance_bytes(field_dict: generic.DictionaryObject) -> bytes:
    """The normal appearance streams of a field's widgets, all states, in a fixed order."""
    out = b""
    for widget in _widgets(field_dict):
        normal = entry(dict_entry(widget, "/AP"), "/N")
        if isinstance(normal, generic.StreamObject):
            out += _stream_bytes(normal)
        elif isinstance(normal, generic.DictionaryObject):
            out += b"".join(_stream_bytes(entry(normal, state)) for state in sorted(normal))
    return out


def _changed_since(old: HistoricalResolver, ref: generic.PdfObject, field_dict: generic.DictionaryObject) -> bool:
    """Whether a field's value or appearance differs from the signed revision's; a field
    that cannot be compared (direct, new, or unreadable then) counts as changed."""
    if not isinstance(ref, generic.IndirectObject):
        return True
    try:
        before = resolved(old(ref.reference))
    except Exception:  # noqa: BLE001 - did not exist yet
        return True
    if not isinstance(before, generic.DictionaryObject):
        return True
    return str(entry(before, "/V")) != str(entry(field_dict, "/V")) or _appearance_bytes(before) != _appearance_bytes(
        field_dict
    )


def changed_fields(reader: PdfFileReader, revision: int) -> list[tuple[str, generic.DictionaryObject]]:
    """Non-signature fields whose value or appearance differ from ``revision``."""
    try:
        old = reader.get_historical_resolver(revision)
    except (PdfError, ValueError, IndexError):
        return []
    acroform = dict_entry(catalog(reader), "/AcroForm")
    fields = _walk_fields(raw_array_items(entry(acroform, "/Fields")), "", set())
    return [(fq, fd) for fq, fd, is_sig, ref in fields if not is_sig and _changed_since(old, ref, fd)]


def _widgets(field_dict: generic.DictionaryObject) -> list[generic.DictionaryObject]:
    """The widget annotations of a field: itself when it has a /Rect, and its kids that are
    widgets rather than fields."""
    out = [field_dict] if "/Rect" in field_dict else []
    for kid in array_entry(field_dict, "/Kids"):
        if isinstance(kid, generic.DictionaryObject) and "/T" not in kid and "/Rect" in kid:
            out.append(kid)
    return out


def _pages(reader: PdfFileReader) -> list[generic.DictionaryObject]:
    """The pages in document order (depth first through the page tree, cycles and
    non-dictionaries skipped)."""
    pages: list[generic.DictionaryObject] = []
    seen: set[int] = set()
    pending: list[generic.PdfObject | None] = [entry(catalog(reader), "/Pages")]
    while pending and len(pages) <= _MAX_PAGES:
        node = pending.pop()
        if not isinstance(node, generic.DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if text_entry(node, "/Type") == "/Pages" or "/Kids" in node:
            pending.extend(reversed(array_entry(node, "/Kids")))
        else:
            pages.append(node)
    return pages


def _page_of(widget: generic.DictionaryObject, pages: list[generic.DictionaryObject]) -> int | None:
    """The index of the page whose /Annots lists ``widget``."""
    for i, page in enumerate(pages):
        if any(annot is widget for annot in array_entry(page, "/Annots")):
            return i
    return None


def _rect(widget: generic.DictionaryObject) -> tuple[float, float, float, float] | None:
    """The widget's /Rect normalised to (left, bottom, right, top); None if it is not four numbers."""
    values = array_entry(widget, "/Rect")
    if len(values) != 4:
        return None
    try:
        x1, y1, x2, y2 = (float(v) for v in values)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def signed_revision_bytes(data: bytes, esig: EmbeddedPdfSignature) -> bytes:
    """The file as it was signed: everything up to the end of the signed byte range."""
    br = [int(x) for x in esig.byte_range]
    return data[: br[2] + br[3]]


def _content_under(pdf: bytes, page_ix: int, rect: tuple[float, float, float, float]) -> str | None:
    """Describe signed page content inside ``rect`` ("text …"/"an image"), or None."""
    with PDFIUM_LOCK:
        return _describe_content_under(pdf, page_ix, rect)


def _describe_content_under(pdf: bytes, page_ix: int, rect: tuple[float, float, float, float]) -> str | None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        if page_ix >= len(doc):
            return None
        page = doc[page_ix]
        x1, y1, x2, y2 = rect
        textpage = page.get_textpage()
        text = textpage.get_text_bounded(left=x1, bottom=y1, right=x2, top=y2).strip()
        textpage.close()
        if text:
            return f"the signed text “{text[:60]}”"
        page_w, page_h = page.get_size()
        for obj in page.get_objects(max_depth=3):
            if obj.type != pdfium.raw.FPDF_PAGEOBJ_IMAGE:
                continue
            ox1, oy1, ox2, oy2 = obj.get_pos()
            if (ox2 - ox1) * (oy2 - oy1) > 0.8 * page_w * page_h:
                continue  # full-page background scans overlap every field
            if ox1 < x2 and x1 < ox2 and oy1 < y2 and y1 < oy2:
                return "a signed image"
        page.close()
        return None
    finally:
        doc.close()


def _content_covered_by(
    signed_pdf: bytes, widgets: Iterable[generic.DictionaryObject], pages: list[generic.DictionaryObject]
) -> str | None:
    """The signed content the first of ``widgets`` that lies over any covers (None: none does)."""
    for widget in widgets:
        page_ix = _page_of(widget, pages)
        rect = _rect(widget)
        if page_ix is None or rect is None:
            continue
        try:
            covered = _content_under(signed_pdf, page_ix, rect)
        except Exception:  # noqa: BLE001 - cannot check: say so, and distrust
            covered = "content that could not be inspected"
        if covered:
            return covered
    return None


def _filled_field_warning(fq: str, covered: str | None) -> str:
    if covered:
        return (
            f"Form field “{fq}” was filled in after signing and lies over {covered} "
            "(a “shadow” attack can hide or replace signed content this way)."
        )
    return f"Form field “{fq}” was filled in after signing; its value is not covered by this signature."


def overlay_findings(data: bytes, reader: PdfFileReader, esig: EmbeddedPdfSignature) -> OverlayFinding:
    """Flag non-signature fields filled after ``esig`` that cover signed content."""
    targets = changed_fields(reader, esig.signed_revision)
    if not targets:
        return OverlayFinding(False)
    pages = _pages(reader)
    signed_pdf = signed_revision_bytes(data, esig)
    covered = [(fq, _content_covered_by(signed_pdf, _widgets(fd), pages)) for fq, fd in targets]
    return OverlayFinding(
        suspicious=any(what for _, what in covered),
        warnings=tuple(_filled_field_warning(fq, what) for fq, what in covered),
    )


# ---------------------------------------------------------------------------
# what a disallowed change touched, in plain words
# ---------------------------------------------------------------------------

_REFERENCE = re.compile(r"Reference\(idnum=(\d+), generation=\d+\)")
_LOCKED_FIELD = re.compile(r"because the form field (.+?) is locked")
_NAMED_AT_MOST = 6
_NOT_ALLOWED = ": a change that is not allowed after this signature."


class _Roles:
    """What the objects of one revision are, by object number ("the content of page 2")."""

    def __init__(self) -> None:
        self.by_number: dict[int, str] = {}

    def note(self, value: object, role: str) -> None:
        if isinstance(value, generic.IndirectObject):
            self.by_number.setdefault(value.idnum, role)

    def note_all(self, value: object, role: str) -> None:
        """``value`` and, when it is an array or a dictionary, each reference in it."""
        self.note(value, role)
        container = resolved(value)
        if isinstance(container, generic.ArrayObject):
            items: list[generic.PdfObject] = list(list.__iter__(container))
        elif isinstance(container, generic.DictionaryObject):
            items = [container.raw_get(k) for k in container]
        else:
            return
        for item in items:
            self.note(item, role)

    def page(self, ref: generic.PdfObject | None, number: int) -> None:
        self.note(ref, f"page {number}")
        page = resolved(ref)
        self.note_all(entry_raw(page, "/Contents"), f"the content of page {number}")
        self.note(entry_raw(page, "/Annots"), f"the annotations of page {number}")
        resources = entry_raw(page, "/Resources")
        self.note(resources, f"the resources of page {number}")
        self.note_all(entry_raw(resources, "/Font"), f"a font used on page {number}")
        self.note_all(entry_raw(resources, "/XObject"), f"an image or drawing on page {number}")


def entry_raw(container: object, key: str) -> generic.PdfObject | None:
    """The value of ``key`` as written (a reference stays a reference); None when absent."""
    dictionary = resolved(container)
    if not isinstance(dictionary, generic.DictionaryObject) or key not in dictionary:
        return None
    value: generic.PdfObject = dictionary.raw_get(key)
    return value


def _object_roles(pdf: HistoricalResolver) -> dict[int, str]:
    roles = _Roles()
    roles.note(pdf.trailer_view.raw_get("/Root") if "/Root" in pdf.trailer_view else None, "the document catalog")
    pending: list[generic.PdfObject | None] = [entry_raw(catalog(pdf), "/Pages")]
    seen: set[int] = set()
    number = 0
    while pending and number < _MAX_PAGES:
        ref = pending.pop()
        node = resolved(ref)
        if not isinstance(node, generic.DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if "/Kids" in node:
            roles.note(ref, "the list of pages")
            pending.extend(reversed(raw_array_items(entry(node, "/Kids"))))
        else:
            number += 1
            roles.page(ref, number)
    fields = _walk_fields(raw_array_items(entry(dict_entry(catalog(pdf), "/AcroForm"), "/Fields")), "", set())
    for fq, _, _, ref in fields:
        roles.note(ref, f"form field “{fq}”")
    return roles.by_number


def describe_disallowed_change(reader: PdfFileReader, signed_revision: int, reason: str) -> str:
    """Name what a disallowed later change touched ("the content of page 1, a font used on
    page 1"), from the object numbers in pyHanko's reason and their role in the signed
    revision; objects that did not exist then are counted as new ones. Without object
    numbers, pyHanko's reason is given as it is."""
    locked = _LOCKED_FIELD.search(reason)
    if locked:
        return f"A later revision changes form field “{locked.group(1)}”, which this signature locks (FieldMDP)."
    numbers = list(dict.fromkeys(int(n) for n in _REFERENCE.findall(reason)))
    if not numbers:
        return f"A later revision changes the document in a way that is not allowed: {reason.rstrip('.')}."
    try:
        signed = reader.get_historical_resolver(signed_revision)
        roles = _object_roles(signed)
    except Exception:  # noqa: BLE001 - a damaged revision: name the objects by number
        return f"A later revision changes or adds objects {_numbers(numbers)}{_NOT_ALLOWED}"
    named = list(dict.fromkeys(roles[n] for n in numbers if n in roles))
    parts = named[:_NAMED_AT_MOST]
    if len(named) > _NAMED_AT_MOST:
        parts.append(f"{len(named) - _NAMED_AT_MOST} more parts")
    unnamed = [n for n in numbers if n not in roles]
    new = [n for n in unnamed if signed.is_ref_unassignable(generic.Reference(n, 0))]
    if len(unnamed) > len(new):
        parts.append(f"other objects ({_numbers([n for n in unnamed if n not in new])})")
    actions = [f"changes {_joined(parts)}"] if parts else []
    if new:
        actions.append(f"adds new objects ({_numbers(new)})")
    return f"A later revision {' and '.join(actions)}{_NOT_ALLOWED}"


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_NAMED_AT_MOST])
    return shown + (", …" if len(numbers) > _NAMED_AT_MOST else "")


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
