"""Results of heavy work (``core/results.py``) by key: the page that waits for one, its state
for pollers and the finished file, for the browser and the API. Whoever asks must be allowed
to read the result by its kind (for most: read the contract it was made from); otherwise the
key is answered as unknown (404), so a key alone reveals nothing."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..core import results
from ..core.errors import Conflict, NotFound


def readable(key: str) -> tuple[results.CachedResult, results.ResultKind]:
    """The result under ``key`` and its kind, if the current user may read it."""
    row = results.find(key)
    if row is None:
        raise NotFound(_("No such result."))
    kind = results.kind_of(row)
    if not kind.may_read(current_user, row):
        raise NotFound(_("No such result."))
    return row, kind


def file_response(row: results.CachedResult, kind: results.ResultKind) -> Response:
    """The finished result as a download."""
    return Response(
        results.payload(row),
        mimetype=row.media_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{kind.filename(row)}"'},
    )


def this_url() -> str:
    """The path and query of the current request (without a bare trailing ``?``)."""
    return request.full_path.rstrip("?")


def pending_page(
    row: results.CachedResult,
    kind: results.ResultKind,
    text: tuple[str, str],
    urls: tuple[str, str] | None = None,
) -> Any:
    """202: the page that polls the result's state, then loads the result. ``text``: the
    heading and a sentence saying what is being made; ``urls``: where to poll and what to load
    when done (default: the generic state and download of the result)."""
    status_url, done_url = urls or (
        url_for("contracts.result_status", key=row.key),
        url_for("contracts.result_file", key=row.key),
    )
    return render_template(
        "results/pending.html",
        heading=text[0],
        explanation=text[1],
        progress=results.progress_to_dict(row, kind),
        status_url=status_url,
        done_url=done_url,
        retry_url=this_url(),
    ), 202


def pending_answer(row: results.CachedResult, kind: results.ResultKind) -> Any:
    """202 for the API: the state, and where to poll (``Location``) and fetch it."""
    status_url = url_for("api.result_state", key=row.key)
    body = {
        **results.progress_to_dict(row, kind),
        "status_url": status_url,
        "result_url": url_for("api.result_download", key=row.key),
    }
    return jsonify(body), 202, {"Location": status_url, "Retry-After": "2"}


def _state(key: str, result_endpoint: str) -> dict[str, object]:
    row, kind = readable(key)
    return {**results.progress_to_dict(row, kind), "result_url": url_for(result_endpoint, key=key)}


def _download(key: str) -> Response:
    row, kind = readable(key)
    if row.status != results.DONE:
        raise Conflict(_("The result is not ready (%(status)s).", status=row.status))
    return file_response(row, kind)


@login_required
def result_status(key: str) -> Any:
    """JSON for the page that waits for a result."""
    return jsonify(_state(key, "contracts.result_file"))


@login_required
def result_file(key: str) -> Any:
    return _download(key)


@login_required
def result_state(key: str) -> Any:
    """API: the state of a result; ``done``: fetch ``result_url``."""
    return jsonify(_state(key, "api.result_download"))


@login_required
def result_download(key: str) -> Any:
    """API: the finished result (409 while it is being made)."""
    return _download(key)
