"""Any format through an Apache Tika server's REST API (``PUT /tika``, XHTML answer).

Plain HTTP with the standard library; the XHTML answer is parsed with the same hardened settings
as document XML. PDFs come back with one ``<div class="page">`` per page, which become our pages;
pages Tika OCRed carry a ``<div class="ocr">``.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from pathlib import Path

from lxml import etree

from .common import Deadline, PageText, normalise_newlines
from .model import ExtractionFailed, ExtractOptions, FailureReason
from .xmlparts import TextSink, local_name, parse

__all__ = ["extract_with_tika_server", "xhtml_pages"]

_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "tr",
    "table",
    "title",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
}
_SKIPPED = {"head", "script", "style"}
_CHUNK = 1 << 16
#: The Tika server is an internal service: environment proxy settings must not reroute it.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def extract_with_tika_server(path: Path, media_type: str, options: ExtractOptions, deadline: Deadline) -> PageText:
    body = _put(path, media_type, options, deadline)
    result = PageText()
    pages, ocr_pages = xhtml_pages(body)
    if len(pages) > options.max_pages:
        result.warnings.append(
            f"The document has {len(pages)} pages; only the first {options.max_pages} were extracted."
        )
        pages = pages[: options.max_pages]
    result.pages.extend(pages)
    result.ocr_pages = min(ocr_pages, len(pages))
    return result


def _request(path: Path, media_type: str, options: ExtractOptions) -> urllib.request.Request:
    assert options.tika_url is not None
    return urllib.request.Request(
        options.tika_url.rstrip("/") + "/tika",
        method="PUT",
        data=path.open("rb"),
        headers={
            "Content-Type": media_type,
            "Content-Length": str(path.stat().st_size),
            "Accept": "text/html",
            "X-Tika-OCRLanguage": options.ocr_languages,
            "X-Tika-PDFOcrStrategy": "auto",
            "X-Tika-OCRTimeoutSeconds": str(int(options.timeout_seconds)),
        },
    )


def _put(path: Path, media_type: str, options: ExtractOptions, deadline: Deadline) -> bytes:
    request = _request(path, media_type, options)
    try:
        with _OPENER.open(request, timeout=max(deadline.remaining(), 0.001)) as response:
            return _read_capped(response, options.max_uncompressed_bytes, deadline)
    except urllib.error.HTTPError as error:
        detail = error.read(4096).decode("utf-8", "replace")
        error.close()
        raise _http_failure(error.code, detail) from None
    except TimeoutError:
        raise ExtractionFailed(FailureReason.TIMEOUT, "The Tika server did not answer in time.") from None
    except (urllib.error.URLError, OSError) as error:
        raise ExtractionFailed(FailureReason.UNAVAILABLE, f"The Tika server cannot be reached: {error}.") from None
    finally:
        data = request.data
        if isinstance(data, io.IOBase):
            data.close()


def _read_capped(response: io.BufferedIOBase, limit: int, deadline: Deadline) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise ExtractionFailed(FailureReason.TOO_LARGE, f"The Tika server's answer exceeds {limit} bytes.")
        chunks.append(chunk)
        deadline.check("receiving the Tika server's answer")
    return b"".join(chunks)


def _http_failure(status: int, detail: str) -> ExtractionFailed:
    lowered = detail.lower()
    if "encrypt" in lowered or "password" in lowered:
        return ExtractionFailed(FailureReason.ENCRYPTED, "The document is password-protected (Tika server).")
    if status == 415:
        return ExtractionFailed(FailureReason.UNSUPPORTED, "The Tika server does not support this format.")
    if status == 413:
        return ExtractionFailed(FailureReason.TOO_LARGE, "The Tika server refused the file as too large.")
    if status == 422 or status == 500:
        first = detail.strip().splitlines()[0] if detail.strip() else f"HTTP {status}"
        return ExtractionFailed(FailureReason.MALFORMED, f"The Tika server cannot parse the document: {first[:300]}")
    return ExtractionFailed(FailureReason.UNAVAILABLE, f"The Tika server answered HTTP {status}.")


def xhtml_pages(body: bytes) -> tuple[list[str], int]:
    """Page texts and the number of OCRed pages from Tika's XHTML (a single page if it has no page divs)."""
    if not body.strip():
        return [""], 0
    root = parse(io.BytesIO(body), "Tika server answer")
    page_divs = [div for div in root.iter("{*}div") if _classes(div) & {"page"}]
    if not page_divs:
        ocr = 1 if any("ocr" in _classes(div) for div in root.iter("{*}div")) else 0
        bodies = list(root.iter("{*}body")) or [root]
        return [_text(bodies[0])], ocr
    ocr_pages = sum(1 for div in page_divs if any("ocr" in _classes(inner) for inner in div.iter("{*}div")))
    return [_text(div) for div in page_divs], ocr_pages


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(root: etree._Element) -> str:
    """Visible text with line breaks at block elements and tabs between table cells."""
    sink = TextSink()
    skip = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        name = local_name(element)
        if event == "start":
            if skip or name in _SKIPPED:
                skip += 1
            elif isinstance(element.tag, str):
                sink.write(element.text or "")
            continue
        if skip:
            skip -= 1
        elif name == "tr":
            sink.trim("\t ")
            sink.write("\n")
        elif name in _BLOCKS or name == "br":
            sink.write("\n")
        elif name in ("td", "th"):
            sink.write("\t")
        if not skip and element is not root:
            sink.write(element.tail or "")
    return normalise_newlines("\n".join(sink.texts())).strip("\n")
