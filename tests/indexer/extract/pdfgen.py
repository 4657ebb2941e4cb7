"""A minimal PDF writer for tests: text pages (Helvetica, WinAnsi) and image-only pages.

Written by hand so that tests can build a 2,000-page document in a fraction of a second and an
exact mix of text and scanned pages, without a PDF library.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

__all__ = ["ImagePage", "TextPage", "build_pdf", "text_image"]

_A4 = (595, 842)


@dataclass(frozen=True)
class TextPage:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ImagePage:
    """A page that is one greyscale image covering the A4 page (a scan); its dpi follows from its size."""

    image: Image.Image


def text_image(lines: list[str], dpi: int = 200, size_pt: int = 14) -> Image.Image:
    """An A4 greyscale 'scan' with *lines* in Pillow's built-in scalable font (black on white)."""
    width, height = (round(side * dpi / 72) for side in _A4)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=round(size_pt * dpi / 72))
    y = round(72 * dpi / 72)
    for line in lines:
        draw.text((round(72 * dpi / 72), y), line, fill=0, font=font)
        y += round(size_pt * 1.8 * dpi / 72)
    return image


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252", "replace")


class _Writer:
    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def reserve(self) -> int:
        return self.add(b"")

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def stream(self, data: bytes, extra: bytes = b"") -> int:
        packed = zlib.compress(data)
        return self.add(
            b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"
        )

    def output(self, root: int) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(self.objects) + 1, root, xref)
        )
        return out.getvalue()


def build_pdf(pages: list[TextPage | ImagePage]) -> bytes:
    writer = _Writer()
    pages_id = writer.reserve()
    font = writer.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        if isinstance(page, TextPage):
            shown = b" ".join(b"(%s) '" % _escape(line) for line in page.lines)
            body = b"BT /F1 12 Tf 16 TL 72 770 Td " + shown + b" ET"
            resources = b"<< /Font << /F1 %d 0 R >> >>" % font
        else:
            grey = page.image.convert("L")
            image = writer.stream(
                grey.tobytes(),
                b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                b"/ColorSpace /DeviceGray /BitsPerComponent 8" % grey.size,
            )
            body = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % _A4
            resources = b"<< /XObject << /Im0 %d 0 R >> >>" % image
        content = writer.stream(body)
        kids.append(
            writer.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources %s /Contents %d 0 R >>"
                % (pages_id, *_A4, resources, content)
            )
        )
    writer.set(
        pages_id, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % kid for kid in kids))
    )
    catalog = writer.add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return writer.output(catalog)
