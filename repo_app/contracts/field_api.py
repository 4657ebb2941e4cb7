"""API v1 handlers of the custom field definitions: read by everyone who reads contracts,
added, changed and retired by administrators through the same service as the admin page
(``custom_fields.save_field`` / ``retire_field``: the same checks, the same audit events)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..core.errors import Conflict, ValidationFailed
from . import access, custom_fields

#: What a definition is made of (anything else in a body is refused).
FIELDS = (
    "kind",
    "label_zh",
    "label_en",
    "help_zh",
    "help_en",
    "required",
    "filterable",
    "default",
    "options",
    "contract_types",
    "position",
)


def _body(*extra: str) -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send a JSON object."))
    unknown = sorted(set(body) - set(FIELDS) - set(extra))
    if unknown:
        raise ValidationFailed(_("Unknown property %(name)s.", name=unknown[0]), fields={unknown[0]: "unknown"})
    return body


@login_required
def list_custom_fields() -> Any:
    access.require(current_user, Permission.CONTRACT_READ)
    return jsonify({"items": [custom_fields.to_dict(field) for field in custom_fields.active_fields()]})


@login_required
def create_custom_field() -> Any:
    access.require(current_user, Permission.USER_ADMIN)
    body = _body("key")
    key = str(body.get("key") or "").strip().lower()
    if any(field.key == key for field in custom_fields.all_fields()):
        raise Conflict(_("A custom field with this key exists already."))
    field = custom_fields.save_field(current_user, key, body)
    return jsonify(custom_fields.to_dict(field)), 201


@login_required
def update_custom_field(key: str) -> Any:
    """Only the properties sent change (the others keep their value)."""
    access.require(current_user, Permission.USER_ADMIN)
    field = custom_fields.field_by_key(key)
    values = {**custom_fields.to_dict(field), **_body()}
    return jsonify(custom_fields.to_dict(custom_fields.save_field(current_user, field.key, values)))


@login_required
def retire_custom_field(key: str) -> Any:
    """``{"retired": false}`` brings a retired field back."""
    access.require(current_user, Permission.USER_ADMIN)
    field = custom_fields.field_by_key(key)
    body = request.get_json(silent=True) or {}
    retired = body.get("retired", True) if isinstance(body, dict) else True
    if not isinstance(retired, bool):
        raise ValidationFailed(_("retired must be true or false."), fields={"retired": "boolean"})
    custom_fields.retire_field(current_user, field, retired)
    return jsonify(custom_fields.to_dict(field))
