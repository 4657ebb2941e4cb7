"""The OpenAPI description of the custom field definition endpoints (``field_api``)."""

from __future__ import annotations

from typing import Any

from ..core.openapi import array, errors, json_answer, json_body, obj
from .field_models import FIELD_KINDS

_KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
_TEXT = {"type": ["string", "null"]}
_PROPERTIES: dict[str, Any] = {
    "kind": {"type": "string", "enum": list(FIELD_KINDS), "description": "Set when the field is added; never changes."},
    "label_zh": {"type": "string", "maxLength": 80},
    "label_en": {"type": "string", "maxLength": 80},
    "help_zh": _TEXT,
    "help_en": _TEXT,
    "required": {"type": "boolean"},
    "filterable": {"type": "boolean", "description": "Offered as a filter (and shown on the hits) in search."},
    "default": {"description": "A value of the field's kind, or null."},
    "options": array({"type": "string"}),
    "contract_types": {**array({"type": "string"}), "description": "Codes of the types it applies to; empty: all."},
    "position": {"type": "integer"},
}
_FIELD = obj(
    {"key": {"type": "string"}, **_PROPERTIES, "retired": {"type": "boolean"}},
    required=("key", "kind", "label_zh", "label_en", "required", "options", "contract_types", "retired"),
)


def paths() -> dict[str, Any]:
    tags = ["custom fields"]
    one = json_answer("The definition", _FIELD)
    return {
        "/custom-fields": {
            "get": {
                "summary": "The custom fields in use",
                "tags": tags,
                "description": "For everyone who may read contracts: the active definitions, in their order.",
                "responses": {"200": json_answer("The definitions", obj({"items": array(_FIELD)})), **errors(403)},
            },
            "post": {
                "summary": "Add a custom field (administrators)",
                "tags": tags,
                "description": "Checked like the administration page; 409 when the key exists. Audited as "
                "`custom_field.save`.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["key", "kind", "label_zh", "label_en"],
                        "properties": {"key": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}, **_PROPERTIES},
                    }
                ),
                "responses": {"201": one, **errors(403, 409, 422)},
            },
        },
        "/custom-fields/{key}": {
            "patch": {
                "summary": "Change a custom field (administrators)",
                "tags": tags,
                "description": "Only the properties sent change; the kind cannot. Audited as `custom_field.save`.",
                "parameters": [_KEY],
                "requestBody": json_body({"type": "object", "properties": _PROPERTIES}),
                "responses": {"200": one, **errors(403, 404, 422)},
            }
        },
        "/custom-fields/{key}/retire": {
            "post": {
                "summary": "Retire a custom field, or bring it back (administrators)",
                "tags": tags,
                "description": "Values stay (shown, searchable) but can no longer be changed. "
                '`{"retired": false}` brings it back. Audited as `custom_field.retire` / `custom_field.restore`.',
                "parameters": [_KEY],
                "requestBody": json_body(
                    {"type": "object", "properties": {"retired": {"type": "boolean"}}}, required=False
                ),
                "responses": {"200": one, **errors(403, 404, 422)},
            }
        },
    }
