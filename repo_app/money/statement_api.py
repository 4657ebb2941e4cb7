"""API v1 handlers of the bank statement import (finance: ``payment.record``)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.services import IncomingFile
from ..core.errors import ValidationFailed
from . import statements
from .api import _body


def _answer(statement: Any) -> dict[str, Any]:
    return statements.import_to_dict(statements.review(current_user, statement))


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(_("%(name)s must be a whole number.", name=name), field=name)
    return value


@login_required
def statement_list() -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    return jsonify(
        {
            "items": [
                {
                    "id": row.id,
                    "filename": row.filename,
                    "uploaded_at": row.uploaded_at.isoformat() + "Z",
                    "uploaded_by": row.uploaded_by.email if row.uploaded_by else None,
                    "rows": len(row.rows),
                }
                for row in statements.recent_imports()
            ]
        }
    )


@login_required
def statement_upload() -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(_("Send the statement as the multipart field file."), field="file")
    statement, created = statements.import_statement(current_user, IncomingFile.of(upload))
    location = url_for("api.statement_get", import_id=statement.id)
    body = {**_answer(statement), "already_imported": not created}
    return jsonify(body), 201 if created else 200, {"Location": location}


@login_required
def statement_get(import_id: int) -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    return jsonify(_answer(statements.get_import(import_id)))


@login_required
def statement_columns(import_id: int) -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    statement = statements.get_import(import_id)
    return jsonify(_answer(statements.set_columns(current_user, statement, _body())))


@login_required
def statement_confirm(import_id: int) -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    statement = statements.get_import(import_id)
    body = request.get_json(silent=True) or {}
    raw = body.get("row_ids") if isinstance(body, dict) else None
    if raw is not None and (not isinstance(raw, list) or not all(isinstance(item, int) for item in raw)):
        raise ValidationFailed(_("row_ids must be a list of line ids."), field="row_ids")
    recorded = statements.confirm(current_user, statement, raw)
    return jsonify({**_answer(statement), "recorded": recorded})


@login_required
def statement_assign(import_id: int, row_id: int) -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    statement = statements.get_import(import_id)
    row = statements.get_row(statement, row_id)
    statements.assign(current_user, statement, row, _whole(_body().get("instalment_id"), "instalment_id"))
    return jsonify(_answer(statement))


@login_required
def statement_ignore(import_id: int, row_id: int) -> Any:
    access.require(current_user, Permission.PAYMENT_RECORD)
    statement = statements.get_import(import_id)
    row = statements.get_row(statement, row_id)
    reason = _body().get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ValidationFailed(_("reason must be text."), field="reason")
    statements.ignore(current_user, statement, row, reason)
    return jsonify(_answer(statement))
