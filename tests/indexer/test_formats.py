from __future__ import annotations

import io

import pytest

from indexer import FormatRejected, RejectionReason, detect_format
from tests.paths import require_corpus
from tests.samples import SAMPLES, pdf_bytes, png_bytes


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_accepted_type_is_recognised_by_content(kind: str) -> None:
    _name, make, media_type = SAMPLES[kind]
    assert detect_format(io.BytesIO(make())).media_type == media_type


def test_the_extension_does_not_matter() -> None:
    # A PNG called .pdf is still a PNG: the name is never trusted.
    assert detect_format(io.BytesIO(png_bytes())).media_type == "image/png"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", RejectionReason.EMPTY),
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4, RejectionReason.UNSUPPORTED),
        (b"PK\x03\x04" + b"\x00" * 200, RejectionReason.TRUNCATED),
        (pdf_bytes()[:-200], RejectionReason.TRUNCATED),
        (png_bytes()[:-12], RejectionReason.TRUNCATED),
    ],
)
def test_refusals_name_the_reason(content: bytes, reason: RejectionReason) -> None:
    with pytest.raises(FormatRejected) as caught:
        detect_format(io.BytesIO(content))
    assert caught.value.reason is reason


def test_a_zip_that_is_not_a_document_is_refused() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(FormatRejected) as caught:
        detect_format(buffer)
    assert caught.value.reason is RejectionReason.UNSUPPORTED


def test_password_protected_docx_is_refused_clearly() -> None:
    encrypted = require_corpus("poi_docx_adversarial", "document")
    candidates = [path for path in encrypted.glob("*.docx") if path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"]
    assert candidates, "the corpus has password-protected DOCX files"
    with pytest.raises(FormatRejected) as caught:
        detect_format(io.BytesIO(candidates[0].read_bytes()))
    assert caught.value.reason is RejectionReason.ENCRYPTED_OFFICE


def test_gb18030_chinese_text_is_text() -> None:
    content = "甲方：北京某某科技有限公司，乙方：上海某某贸易有限公司。".encode("gb18030") * 20
    assert detect_format(io.BytesIO(content)).media_type == "text/plain"


def test_stream_position_is_restored() -> None:
    stream = io.BytesIO(pdf_bytes())
    stream.seek(10)
    detect_format(stream)
    assert stream.tell() == 0


def test_a_zip_whose_directory_points_before_the_file_is_refused_not_a_crash() -> None:
    # OCRmyPDF's tagged.odt is one byte short at the start: its offsets point before byte 0, and
    # zipfile raises ValueError ("negative seek value"), which answered uploads with HTTP 500.
    damaged = require_corpus("ocr_ocrmypdf_resources", "tagged.odt").read_bytes()
    with pytest.raises(FormatRejected) as refused:
        detect_format(io.BytesIO(damaged))
    assert refused.value.reason is RejectionReason.TRUNCATED
