"""Serving a stored version's bytes: exact content, ETag = SHA-256, single HTTP ranges."""

from __future__ import annotations

from flask import Response, request

from storage import content_disposition

from ..core.extensions import blob_store
from .models import ContractVersion


def version_response(version: ContractVersion, *, inline: bool = False) -> Response:
    store = blob_store()
    etag = version.sha256
    headers = {
        "Content-Disposition": content_disposition(version.original_filename, "inline" if inline else "attachment"),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0, must-revalidate",
        "X-Content-Type-Options": "nosniff",
    }
    if request.if_none_match.contains(etag):
        response = Response(status=304, headers=headers)
        response.set_etag(etag)
        return response

    byte_range = request.range if _range_applies(etag) else None
    ranges = byte_range.range_for_length(version.size) if byte_range else None
    if byte_range is not None and ranges is None:
        response = Response(status=416, headers=headers)
        response.headers["Content-Range"] = f"bytes */{version.size}"
        return response
    start, stop = ranges if ranges else (0, version.size)
    body = store.read_range(version.blob_key, start, stop - 1)
    response = Response(
        body, status=206 if ranges else 200, mimetype=version.media_type, headers=headers, direct_passthrough=True
    )
    response.content_length = stop - start
    if ranges:
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{version.size}"
    response.set_etag(etag)
    return response


def _range_applies(etag: str) -> bool:
    """A Range header counts unless If-Range names another representation."""
    if request.range is None:
        return False
    if_range = request.if_range
    return if_range.etag is None or if_range.etag == etag
