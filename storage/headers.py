"""HTTP header helpers for serving blobs as downloads."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

__all__ = ["content_disposition"]

_UNSAFE_IN_QUOTED_STRING = re.compile(r'[^\x20-\x7e]|["\\]')


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """Build a ``Content-Disposition`` value that survives any file name.

    Browsers that understand RFC 6266/5987 use ``filename*`` (exact UTF-8
    name, e.g. ``合同.pdf``); older clients fall back to the plain ``filename``,
    an ASCII approximation with quotes, backslashes and control characters
    replaced so the header cannot be broken or injected into.
    """
    return f"{disposition}; filename=\"{_ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii_fallback(filename: str) -> str:
    decomposed = unicodedata.normalize("NFKD", filename)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    fallback = _UNSAFE_IN_QUOTED_STRING.sub("_", without_accents)
    return fallback or "download"
