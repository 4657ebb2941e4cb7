"""The Tika-server path against a fake Tika on 127.0.0.1: request shape and XHTML parsing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from indexer.extract import ExtractionFailed, ExtractOptions, FailureReason, extract
from tests.indexer.extract.conftest import DATA, DOCX

XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta name="X-TIKA:Parsed-By" content="org.apache.tika.parser.pdf.PDFParser"/><title>t</title></head>
<body><div class="page"><p>第一页 合同编号：HT-1</p><p>Second line</p></div>
<div class="page"><p/><div class="ocr">扫描页 OCR text</div></div>
<div class="page"><table><tr><td>甲方</td><td>北京某某有限公司</td></tr></table></div></body></html>"""


class FakeTika:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.body = XHTML.encode()


@pytest.fixture
def tika() -> Iterator[tuple[FakeTika, str]]:
    fake = FakeTika()

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers["Content-Length"])
            # self.headers looks names up case-insensitively, as HTTP headers are.
            fake.requests.append(
                {"method": "PUT", "path": self.path, "headers": self.headers, "body": self.rfile.read(length)}
            )
            self.send_response(fake.status)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Length", str(len(fake.body)))
            self.end_headers()
            self.wfile.write(fake.body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_request_and_page_divs(tika: tuple[FakeTika, str]) -> None:
    fake, url = tika
    source = DATA / "owner-password-only.pdf"
    result = extract(source, "application/pdf", ExtractOptions(tika_url=url, ocr_languages="chi_sim+eng"))
    request = fake.requests[0]
    assert request["method"] == "PUT" and request["path"] == "/tika"
    assert request["headers"]["Content-Type"] == "application/pdf"
    assert request["headers"]["Accept"] == "text/html"
    assert request["headers"]["X-Tika-OCRLanguage"] == "chi_sim+eng"
    assert request["headers"]["X-Tika-PDFOcrStrategy"] == "auto"
    assert request["body"] == source.read_bytes()
    assert result.extractor == "tika-server"
    assert result.page_count == 3 and result.ocr_pages == 1
    assert result.page_text(0) == "第一页 合同编号：HT-1\nSecond line"
    assert result.page_text(1) == "扫描页 OCR text"
    assert result.page_text(2) == "甲方\t北京某某有限公司"


def test_every_format_goes_to_tika_when_configured(tika: tuple[FakeTika, str]) -> None:
    fake, url = tika
    result = extract(DATA / "lease.docx", DOCX, ExtractOptions(tika_url=url))
    assert fake.requests[0]["headers"]["Content-Type"] == DOCX
    assert result.extractor == "tika-server"


@pytest.mark.parametrize(
    "status, body, reason",
    [
        (
            422,
            b"org.apache.tika.exception.EncryptedDocumentException: Unable to process: document is encrypted",
            FailureReason.ENCRYPTED,
        ),
        (422, b"org.apache.tika.exception.TikaException: bad xref", FailureReason.MALFORMED),
        (415, b"", FailureReason.UNSUPPORTED),
        (503, b"busy", FailureReason.UNAVAILABLE),
    ],
)
def test_error_statuses(tika: tuple[FakeTika, str], status: int, body: bytes, reason: FailureReason) -> None:
    fake, url = tika
    fake.status, fake.body = status, body
    with pytest.raises(ExtractionFailed) as caught:
        extract(DATA / "lease.docx", DOCX, ExtractOptions(tika_url=url))
    assert caught.value.reason is reason


def test_unreachable_server_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ExtractionFailed) as caught:
        extract(DATA / "lease.docx", DOCX, ExtractOptions(tika_url="http://127.0.0.1:9", timeout_seconds=5))
    assert caught.value.reason is FailureReason.UNAVAILABLE
