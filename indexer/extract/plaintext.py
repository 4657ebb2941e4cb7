"""Plain text: decode UTF-8 (with or without BOM), UTF-16/32 (with BOM) or GB18030."""

from __future__ import annotations

import codecs
from pathlib import Path

from .common import PageText, normalise_newlines, split_form_feeds
from .model import ExtractionFailed, ExtractOptions, FailureReason

__all__ = ["decode_text", "extract_text_file"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def extract_text_file(path: Path, options: ExtractOptions) -> PageText:
    size = path.stat().st_size
    if size > options.max_uncompressed_bytes:
        raise ExtractionFailed(
            FailureReason.TOO_LARGE,
            f"The text file has {size} bytes, over the {options.max_uncompressed_bytes}-byte limit.",
        )
    text, encoding, exact = decode_text(path.read_bytes())
    result = PageText()
    if not exact:
        result.warnings.append(
            f"The text is not valid in any expected encoding; it was read as {encoding} with unreadable bytes replaced."
        )
    pages = split_form_feeds(normalise_newlines(text))
    if len(pages) > options.max_pages:
        result.warnings.append(f"The text has {len(pages)} pages; only the first {options.max_pages} were extracted.")
        pages = pages[: options.max_pages]
    result.pages.extend(pages)
    return result


def decode_text(data: bytes) -> tuple[str, str, bool]:
    """``(text, encoding, exact)``: a byte-order mark wins, then strict UTF-8, then strict GB18030.

    GB18030 is a superset of GBK and GB2312, so it covers legacy Chinese Windows files. Bytes
    that are neither fall back to UTF-8 with replacement characters (``exact`` is False).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding, True
            except UnicodeDecodeError:
                return data[len(bom) :].decode(encoding, "replace"), encoding, False
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding, True
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace"), "utf-8", False
