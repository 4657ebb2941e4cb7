"""Serving a stored version's bytes: exact content, ETag = SHA-256, single HTTP ranges.

The same for a version's PDF rendition (the preview of Word, ODT, RTF and DOC versions); a
download always gives the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from flask import Response, request

from storage import content_disposition

from ..core.extensions import blob_store
from .models import ContractVersion, VersionRendition


@dataclass(frozen=True)
class _Served:
    key: str
    sha256: str
    size: int
    media_type: str
    filename: str


def version_response(version: ContractVersion, *, inline: bool = False) -> Response:
    served = _Served(version.blob_key, version.sha256, version.size, version.media_type, version.original_filename)
    return _blob_response(served, inline=inline)


def rendition_response(version: ContractVersion, rendition: VersionRendition) -> Response:
    """The rendition's PDF, shown inline, named after the original (``合同.docx`` → ``合同.pdf``)."""
    assert rendition.blob_key is not None and rendition.sha256 is not None
    filename = f"{PurePath(version.original_filename).stem or 'document'}.pdf"
    served = _Served(rendition.blob_key, rendition.sha256, rendition.size, "application/pdf", filename)
    return _blob_response(served, inline=True)


def _blob_response(served: _Served, *, inline: bool) -> Response:
    store = blob_store()
    etag = served.sha256
    headers = {
        "Content-Disposition": content_disposition(served.filename, "inline" if inline else "attachment"),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0, must-revalidate",
        "X-Content-Type-Options": "nosniff",
    }
    if request.if_none_match.contains(etag):
        response = Response(status=304, headers=headers)
        response.set_etag(etag)
        return response

    byte_range = request.range if _range_applies(etag) else None
    ranges = byte_range.range_for_length(served.size) if byte_range else None
    if byte_range is not None and ranges is None:
        response = Response(status=416, headers=headers)
        response.headers["Content-Range"] = f"bytes */{served.size}"
        return response
    start, stop = ranges if ranges else (0, served.size)
    body = store.read_range(served.key, start, stop - 1)
    response = Response(
        body, status=206 if ranges else 200, mimetype=served.media_type, headers=headers, direct_passthrough=True
    )
    response.content_length = stop - start
    if ranges:
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{served.size}"
    response.set_etag(etag)
    return response


def _range_applies(etag: str) -> bool:
    """A Range header counts unless If-Range names another representation."""
    if request.range is None:
        return False
    if_range = request.if_range
    return if_range.etag is None or if_range.etag == etag
