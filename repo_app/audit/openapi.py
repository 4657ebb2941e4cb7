"""The OpenAPI description of the audit trail; merged into ``/api/v1/openapi.json`` by
``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import array, errors, json_answer, obj, query

_WHEN = {"type": "string", "description": "A date or date-time, e.g. 2025-03-01T08:00:00Z"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_NULLABLE_ID = {"type": ["integer", "null"]}
_EVENT = obj(
    {
        "seq": {"type": "integer"},
        "at": {"type": "string"},
        "actor": _NULLABLE_TEXT,
        "ip": _NULLABLE_TEXT,
        "user_agent": _NULLABLE_TEXT,
        "action": {"type": "string"},
        "contract_id": _NULLABLE_ID,
        "version_id": _NULLABLE_ID,
        "details": {"type": ["object", "null"]},
        "hash": {"type": "string"},
    }
)
_PAGE = obj(
    {"total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"}, "items": array(_EVENT)}
)


def paths() -> dict[str, Any]:
    return {
        "/audit": {
            "get": {
                "summary": "Audit events the caller may see, newest first (roles that may read the trail)",
                "tags": ["audit"],
                "parameters": [
                    query("contract_id", {"type": "integer"}),
                    query("actor", {"type": "string"}, "The actor's e-mail"),
                    query("action", {"type": "string"}, "An action or its prefix, e.g. contract."),
                    query("from", _WHEN),
                    query("to", _WHEN),
                    query("page", {"type": "integer", "minimum": 1, "default": 1}),
                    query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}),
                ],
                "responses": {"200": json_answer("A page of audit events", _PAGE), **errors(401, 403, 422)},
            },
        },
    }
