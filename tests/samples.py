"""Small, valid files of every accepted type, made in the test run (plus one real DOC)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def pdf_bytes(text: str = "Pactum test contract") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(text: str = "Pactum test contract") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(text: str = "Pactum test contract") -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def rtf_bytes(text: str = "Pactum test contract") -> bytes:
    return ("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 " + text + "\\par}").encode()


def txt_bytes(text: str = "甲方：上海测试有限公司\n乙方：Pactum Ltd.\n") -> bytes:
    return text.encode("utf-8")


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _pillow_image(kind: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    return _pillow_image("JPEG")


def tiff_bytes() -> bytes:
    return _pillow_image("TIFF")


def doc_bytes() -> bytes:
    """A real Word 97–2003 file from the shared corpus (Apache POI's test set)."""
    return (SHARED_CORPUS / "poi_docx_adversarial" / "document" / "HeaderFooterUnicode.doc").read_bytes()


SAMPLES = {
    "pdf": ("contract.pdf", pdf_bytes, "application/pdf"),
    "docx": ("contract.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "doc": ("contract.doc", doc_bytes, "application/msword"),
    "odt": ("contract.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
    "rtf": ("contract.rtf", rtf_bytes, "application/rtf"),
    "txt": ("contract.txt", txt_bytes, "text/plain"),
    "png": ("scan.png", png_bytes, "image/png"),
    "jpeg": ("scan.jpg", jpeg_bytes, "image/jpeg"),
    "tiff": ("scan.tif", tiff_bytes, "image/tiff"),
}
