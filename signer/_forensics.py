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
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import EmbeddedPdfSignature

__all__ = [
    "PLAIN_SUBINDICATION",
    "OverlayFinding",
    "changed_fields",
    "last_revision_end",
    "overlay_findings",
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
    "NO_SIGNING_CERTIFICATE_FOUND": "The signer's certificate is missing.",
    "GENERIC": "The signature could not be validated.",
}

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
    """Yield ``(fully qualified name, field dict, is_signature_field, reference)``."""
    for ref in fields:
        obj = ref.get_object()  # type: ignore[no-untyped-call]
        if not isinstance(obj, generic.DictionaryObject) or id(obj) in seen:
            continue
        seen.add(id(obj))
        name = str(obj.get("/T", ""))
        fq = f"{prefix}.{name}" if prefix and name else (name or prefix)
        ft = obj.get("/FT")
        kids = obj.get("/Kids")
        if "/T" in obj:
            yield fq, obj, ft == "/Sig", ref
        if isinstance(kids, generic.ArrayObject):
            yield from _walk_fields(kids, fq, seen)


def _appearance_bytes(field_dict: generic.DictionaryObject) -> bytes:
    out = b""
    for widget in _widgets(field_dict):
        try:
            normal = widget["/AP"]["/N"]
        except KeyError:
            continue
        if isinstance(normal, generic.StreamObject):
            out += normal.data
        elif isinstance(normal, generic.DictionaryObject):
            for state in sorted(normal):
                stream = normal[state]
                if isinstance(stream, generic.StreamObject):
                    out += stream.data
    return out


def changed_fields(reader: PdfFileReader, revision: int) -> list[tuple[str, generic.DictionaryObject]]:
    """Non-signature fields whose value or appearance differ from ``revision``."""
    try:
        acroform = reader.root["/AcroForm"]
        fields = list(_walk_fields(acroform.get("/Fields", []), "", set()))
        old = reader.get_historical_resolver(revision)
    except (KeyError, PdfError, AttributeError):
        return []
    out = []
    for fq, fd, is_sig, ref in fields:
        if is_sig:
            continue
        if not isinstance(ref, generic.IndirectObject):
            out.append((fq, fd))  # direct field dicts: be conservative
            continue
        try:
            before = old(ref.reference)
        except Exception:  # noqa: BLE001 - did not exist yet
            out.append((fq, fd))
            continue
        if not isinstance(before, generic.DictionaryObject):
            out.append((fq, fd))
            continue
        if str(before.get("/V")) != str(fd.get("/V")) or _appearance_bytes(before) != _appearance_bytes(fd):
            out.append((fq, fd))
    return out


def _widgets(field_dict: generic.DictionaryObject) -> list[generic.DictionaryObject]:
    out = []
    if "/Rect" in field_dict:
        out.append(field_dict)
    for kid in field_dict.get("/Kids", []) or []:
        k = kid.get_object()
        if isinstance(k, generic.DictionaryObject) and "/T" not in k and "/Rect" in k:
            out.append(k)
    return out


def _pages(reader: PdfFileReader) -> list[generic.DictionaryObject]:
    pages: list[generic.DictionaryObject] = []
    seen: set[int] = set()

    def walk(node: generic.DictionaryObject) -> None:
        if id(node) in seen or len(pages) > 100000:
            return
        seen.add(id(node))
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            for kid in node.get("/Kids", []):
                k = kid.get_object()
                if isinstance(k, generic.DictionaryObject):
                    walk(k)
        else:
            pages.append(node)

    walk(reader.root["/Pages"])
    return pages


def _page_of(widget: generic.DictionaryObject, pages: list[generic.DictionaryObject]) -> int | None:
    for i, page in enumerate(pages):
        for annot in page.get("/Annots", []) or []:
            if annot.get_object() is widget:
                return i
    return None


def _signed_revision_bytes(data: bytes, esig: EmbeddedPdfSignature) -> bytes:
    br = [int(x) for x in esig.byte_range]
    return data[: br[2] + br[3]]


def _content_under(pdf: bytes, page_ix: int, rect: tuple[float, float, float, float]) -> str | None:
    """Describe signed page content inside ``rect`` ("text …"/"an image"), or None."""
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


def overlay_findings(data: bytes, reader: PdfFileReader, esig: EmbeddedPdfSignature) -> OverlayFinding:
    """Flag non-signature fields filled after ``esig`` that cover signed content."""
    targets = changed_fields(reader, esig.signed_revision)
    if not targets:
        return OverlayFinding(False)
    pages = _pages(reader)
    signed_pdf = _signed_revision_bytes(data, esig)
    warnings: list[str] = []
    suspicious = False
    for fq, fd in targets:
        covered: str | None = None
        for widget in _widgets(fd):
            page_ix = _page_of(widget, pages)
            try:
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
            except (KeyError, ValueError, TypeError):
                continue
            rect = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
            if page_ix is None:
                continue
            try:
                covered = _content_under(signed_pdf, page_ix, rect)
            except Exception:  # noqa: BLE001 - cannot check: say so, and distrust
                covered = "content that could not be inspected"
            if covered:
                break
        if covered:
            suspicious = True
            warnings.append(
                f"Form field “{fq}” was filled in after signing and lies over {covered} "
                "(a “shadow” attack can hide or replace signed content this way)."
            )
        else:
            warnings.append(
                f"Form field “{fq}” was filled in after signing; its value is not covered by this signature."
            )
    return OverlayFinding(suspicious, tuple(warnings))
