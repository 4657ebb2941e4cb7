"""One error family for the application, and one table for the libraries' errors, mapped to
HTTP answers in one place.

Services raise :class:`PactumError` subclasses; the libraries (storage, search, signer,
extraction) raise their own families, which :data:`LIBRARY_ERRORS` maps to a status, an
error code and a translated message, so no caller re-wraps them by hand. API routes answer
``{"error": {"code", "message"}}`` and pages render an error template, with the same status.
Every error answer rolls the unit of work back first (see ``uow.end_with_error``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as NoRoute

from indexer import FormatRejected
from indexer.extract import ExtractionFailed
from indexer.search.errors import IndexLocked, QuerySyntaxError, QueryTooComplex, SearchError, SearchUnavailable
from signer.errors import KeyUnavailable, SignerError, SigningRefused
from signer.errors import ValidationError as SignerValidationError
from storage import BlobNotFound, BlobTooLarge, StorageError, StorageUnavailable

from . import uow
from .query_errors import query_syntax_message


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


def _too_complex_message(error: Exception) -> str:
    maximum = error.maximum if isinstance(error, QueryTooComplex) else 0
    if isinstance(error, QueryTooComplex) and error.limit == "length":
        return _("The search query is too long: at most %(n)d characters.", n=maximum)
    return _("The search query is nested too deeply: at most %(n)d levels of parentheses and exclusions.", n=maximum)


@dataclass(frozen=True)
class LibraryError:
    """How one family of library exceptions is answered."""

    exception: type[Exception]
    status: int
    code: str
    message: Callable[[Exception], str]


#: Library exceptions → HTTP answers. A subclass not listed is answered as its nearest listed
#: base class. Messages name the reason in the library's own words after a translated sentence.
LIBRARY_ERRORS: tuple[LibraryError, ...] = (
    LibraryError(StorageError, 503, "storage_error", lambda e: _("File storage failed: %(reason)s", reason=str(e))),
    LibraryError(
        BlobNotFound,
        503,
        "blob_missing",
        lambda e: _("The stored file is missing from storage; tell an administrator (%(reason)s).", reason=str(e)),
    ),
    LibraryError(
        StorageUnavailable,
        503,
        "storage_unavailable",
        lambda e: _("File storage cannot be reached right now: %(reason)s", reason=str(e)),
    ),
    LibraryError(BlobTooLarge, 413, "too_large", lambda e: _("The file is larger than the upload limit.")),
    LibraryError(SearchError, 503, "search_error", lambda e: _("Search failed: %(reason)s", reason=str(e))),
    LibraryError(
        SearchUnavailable, 503, "unavailable", lambda e: _("Search is not available: %(reason)s", reason=str(e))
    ),
    LibraryError(
        IndexLocked,
        503,
        "index_busy",
        lambda e: _("The search index is busy (%(reason)s); try again in a moment.", reason=str(e)),
    ),
    LibraryError(
        QuerySyntaxError,
        400,
        "bad_query",
        query_syntax_message,
    ),
    LibraryError(QueryTooComplex, 400, "bad_query", lambda e: _too_complex_message(e)),
    LibraryError(SignerError, 422, "signer_error", lambda e: _("Signing failed: %(reason)s", reason=str(e))),
    LibraryError(SigningRefused, 422, "signing_failed", lambda e: _("Signing failed: %(reason)s", reason=str(e))),
    LibraryError(
        KeyUnavailable,
        503,
        "key_unavailable",
        lambda e: _("The signing key cannot be used right now: %(reason)s", reason=str(e)),
    ),
    LibraryError(
        SignerValidationError,
        422,
        "unreadable_pdf",
        lambda e: _("The PDF cannot be validated: %(reason)s", reason=str(e)),
    ),
    LibraryError(
        FormatRejected, 415, "unsupported_type", lambda e: _("This file cannot be accepted: %(reason)s", reason=str(e))
    ),
    LibraryError(
        ExtractionFailed,
        422,
        "extraction_failed",
        lambda e: _("The text of the file cannot be read: %(reason)s", reason=str(e)),
    ),
)


_ROWS = {row.exception: row for row in LIBRARY_ERRORS}


def library_error_answer(error: Exception) -> LibraryError:
    """The table row of ``error``'s nearest listed class."""
    for cls in type(error).__mro__:
        if cls in _ROWS:
            return _ROWS[cls]
    raise LookupError(f"{type(error).__name__} is not a library error of the table")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, **extra: Any) -> tuple[Response, int]:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra)
    return jsonify({"error": body}), status


def answer(status: int, code: str, message: str, **extra: Any) -> Any:
    """The error answer: JSON for the API, the error page otherwise; the unit of work ends first."""
    uow.end_with_error()
    if wants_json():
        return error_response(status, code, message, **extra)
    return render_template("error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(PactumError)
    def handle_pactum_error(error: PactumError) -> Any:
        return answer(error.status, error.code, error.message, **error.extra)

    def handle_library_error(error: Exception) -> Any:
        row = library_error_answer(error)
        if row.status >= 500:
            app.logger.error("%s answered %d: %s", type(error).__name__, row.status, error)
        return answer(row.status, row.code, row.message(error))

    for row in LIBRARY_ERRORS:
        app.register_error_handler(row.exception, handle_library_error)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> Any:
        message = _("The form expired or was not sent from Pactum. Reload the page and try again.")
        return answer(400, "csrf_failed", message)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Any:
        status = error.code or 500
        if status == 405 and not _path_exists(error):
            status = 404
        message = _http_message(status) or error.description or error.name
        return answer(status, error.name.lower().replace(" ", "_"), message)


def _path_exists(error: HTTPException) -> bool:
    """Whether some route serves the path with another method. Werkzeug answers 405 when a rule
    of another method has the same pattern, even when an id in the path is beyond what
    ``<int:…>`` accepts (so no rule matches at all): that is a 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in getattr(error, "valid_methods", None) or ():
        try:
            adapter.match(method=method)
        except NoRoute:
            continue
        except HTTPException:
            return True
        return True
    return False


def _http_message(status: int) -> str | None:
    if status == 413:
        from .extensions import settings

        return _("The file is larger than the upload limit of %(mb)d MB.", mb=settings().max_upload_mb)
    messages = {404: _("Not found."), 405: _("This method is not allowed here.")}
    return messages.get(status)
