"""Helpers for the signer tests: sample PDFs and the outside checkers (pdfsig, qpdf)."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from signer.fonts import register_reportlab_font

FONT = "PactumTestCJK"


def make_contract_pdf(pages: int = 2, *, title: str = "采购合同 Purchase Contract") -> bytes:
    """A small contract with Chinese and Latin text, embedded font, deterministic."""
    register_reportlab_font(FONT)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    for n in range(1, pages + 1):
        c.setFont(FONT, 16)
        c.drawString(72, 780, title)
        c.setFont(FONT, 11)
        c.drawString(72, 740, f"第 {n} 页 / page {n}")
        c.drawString(72, 700, "甲方：北京示例科技有限公司  Party A: Example Tech Ltd.")
        c.drawString(72, 680, "合同金额：人民币 100,000 元  Amount: CNY 100,000")
        for i in range(12):
            c.drawString(
                72, 640 - 18 * i, f"条款 {i + 1}：双方应诚信履约。Clause {i + 1}: both parties act in good faith."
            )
        c.showPage()
    c.save()
    return buf.getvalue()


def make_form_pdf() -> bytes:
    """One page with signed-looking text and an (empty) text field over it.

    The field is the pre-placed "shadow" of the replace-via-overlay attack.
    """
    register_reportlab_font(FONT)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setFont(FONT, 12)
    c.drawString(72, 700, "合同金额：人民币 100,000 元  Amount: CNY 100,000")
    c.drawString(72, 500, "备注 Remarks:")
    c.acroForm.textfield(
        name="amount_overlay", x=70, y=694, width=400, height=22, borderWidth=0, fillColor=None, value=""
    )
    c.acroForm.textfield(name="remarks", x=170, y=494, width=300, height=22, borderWidth=0, value="")
    c.showPage()
    c.save()
    return buf.getvalue()


def png_seal(size: int = 120) -> bytes:
    """A red round 'company seal' PNG with a transparent background (no PIL needed to read)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((4, 4, size - 4, size - 4), outline=(200, 20, 20, 255), width=6)
    d.regular_polygon((size / 2, size / 2, size / 5), 5, fill=(200, 20, 20, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def png_has_alpha(data: bytes) -> bool:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    (_, ctype) = struct.unpack(">BB", data[24:26])
    return ctype in (4, 6)


# ---------------------------------------------------------------------------
# raw byte surgery for tampering tests
# ---------------------------------------------------------------------------


def byte_range(data: bytes, which: int = -1) -> list[int]:
    ranges = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    return [int(x) for x in ranges[which]]


def flip_signed_byte(data: bytes) -> bytes:
    """Change one byte of page content inside the first signed range (a digit in a text string)."""
    br = byte_range(data, 0)
    signed = data[: br[1]]
    pos = signed.find(b"stream\n", 200)
    assert pos > 0
    target = pos + 40
    out = bytearray(data)
    out[target] = out[target] ^ 0x01
    return bytes(out)


# ---------------------------------------------------------------------------
# poppler pdfsig and qpdf
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfsigSignature:
    number: int
    validation: str
    certificate: str
    total_document_signed: bool | None
    text: str


def pdfsig(path: Path, nssdir: Path) -> list[PdfsigSignature]:
    """Run pdfsig and parse its text (it exits 0 even on 'Digest Mismatch')."""
    proc = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nssdir}", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    text = proc.stdout
    if "does not contain any signatures" in text:
        return []
    blocks = re.split(r"^Signature #(\d+):\s*$", text, flags=re.M)
    out = []
    for i in range(1, len(blocks), 2):
        body = blocks[i + 1]
        val = re.search(r"- Signature Validation: (.+)", body)
        cert = re.search(r"- Certificate Validation: (.+)", body)
        total = None
        if "Not total document signed" in body:
            total = False
        elif "Total document signed" in body:
            total = True
        out.append(
            PdfsigSignature(
                number=int(blocks[i]),
                validation=val.group(1).strip() if val else "",
                certificate=cert.group(1).strip() if cert else "",
                total_document_signed=total,
                text=body,
            )
        )
    return out


def make_nss_db(folder: Path, root_pem: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{folder}", "-n", "root", "-t", "CT,C,C", "-i", str(root_pem)],
        check=True,
        capture_output=True,
    )
    return folder


def qpdf_check(path: Path) -> tuple[bool, str]:
    proc = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    # exit 0 = ok, 3 = warnings only
    return proc.returncode in (0, 3), proc.stdout + proc.stderr


def tools_available() -> bool:
    return all(shutil.which(t) for t in ("pdfsig", "certutil", "qpdf"))


def inflate(data: bytes) -> bytes:
    return zlib.decompress(data)
