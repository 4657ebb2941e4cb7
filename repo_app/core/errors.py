"""One error family for the application, mapped to HTTP answers in one place.

Services raise these; API routes answer ``{"error": {"code", "message"}}`` and pages render
an error template, with the same status code.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from indexer.search.errors import SearchUnavailable


class PactumError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class ValidationFailed(PactumError):
    status = 422
    code = "invalid"


class NotFound(PactumError):
    status = 404
    code = "not_found"


class Forbidden(PactumError):
    status = 403
    code = "forbidden"


class Conflict(PactumError):
    status = 409
    code = "conflict"


class Duplicate(Conflict):
    code = "duplicate"


class PayloadTooLarge(PactumError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(PactumError):
    status = 415
    code = "unsupported_type"


class TooManyRequests(PactumError):
    status = 429
    code = "too_many_requests"


class ServiceUnavailable(PactumError):
    status = 503
    code = "unavailable"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, **extra: Any) -> tuple[Response, int]:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra)
    return jsonify({"error": body}), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(PactumError)
    def handle_pactum_error(error: PactumError) -> Any:
        if wants_json():
            return error_response(error.status, error.code, error.message, **error.extra)
        return render_template("error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(SearchUnavailable)
    def handle_search_unavailable(error: SearchUnavailable) -> Any:
        """Wherever the index is consulted (search, suggestions, similar contracts)."""
        return handle_pactum_error(ServiceUnavailable(_("Search is not available: %(reason)s", reason=str(error))))

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> Any:
        message = _("The form expired or was not sent from Pactum. Reload the page and try again.")
        if wants_json():
            return error_response(400, "csrf_failed", message)
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Any:
        status = error.code or 500
        message = _http_message(status) or error.description or error.name
        if wants_json():
            return error_response(status, error.name.lower().replace(" ", "_"), message)
        return render_template("error.html", status=status, message=message), status


def _http_message(status: int) -> str | None:
    if status == 413:
        from .extensions import settings

        return _("The file is larger than the upload limit of %(mb)d MB.", mb=settings().max_upload_mb)
    messages = {404: _("Not found."), 405: _("This method is not allowed here.")}
    return messages.get(status)
