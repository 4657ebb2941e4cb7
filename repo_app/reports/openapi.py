"""The OpenAPI description of the ledger export and the dashboard; merged into
``/api/v1/openapi.json`` by ``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any

from ..core.bodies import MAX_ID
from ..core.openapi import array, errors, json_answer, json_body, obj, query
from ..search.openapi import filter_parameters
from .builder import AGGREGATES, BUCKETS, CURRENCY_MODES, DATE_COLUMNS, FIXED_DIMENSIONS, MAX_LIMIT
from .writers import FORMATS, MEDIA_TYPES

_LIST = {"type": "array", "items": {"type": "string"}}
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_BAR = obj(
    {
        "key": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
        "amounts": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Sum per currency"},
        "search": {"type": ["object", "null"], "additionalProperties": _LIST},
        "search_url": {"type": ["string", "null"], "description": "The search page listing these contracts"},
    }
)
_DASHBOARD = obj(
    {
        "generated_at": {"type": "string"},
        "approvals_waiting": {"type": "integer"},
        "oldest_approval_days": _NULLABLE_NUMBER,
        "approval_cycle_hours": _NULLABLE_NUMBER,
        "signing_cycle_hours": _NULLABLE_NUMBER,
        "charts": array(
            obj(
                {
                    "key": {"type": "string"},
                    "title": {"type": "string"},
                    "kind": {"type": "string"},
                    "bars": array(_BAR),
                }
            )
        ),
    }
)
_PENDING = obj(
    {
        "status": {"type": "string", "enum": ["queued", "running", "failed"]},
        "message": {"type": "string"},
        "status_url": {"type": "string"},
        "result_url": {"type": "string"},
    },
    required=("status", "status_url", "result_url"),
)


_DIMENSION = {
    "type": "string",
    "pattern": "^("
    + "|".join(FIXED_DIMENSIONS)
    + r"|cf\.[a-z][a-z0-9_]*"
    + "|("
    + "|".join(DATE_COLUMNS)
    + r"|cf\.[a-z][a-z0-9_]*):("
    + "|".join(BUCKETS)
    + "))$",
    "description": "contract_type, status, department, owner, counterparty; `<date>:<bucket>` with date created, "
    "signed, effective, expiry or `cf.<key>` of a date field and bucket month, quarter or year; `cf.<key>` of a "
    "single-choice or yes/no field",
}
_MEASURE = {
    "type": "string",
    "pattern": "^(count|received|outstanding|(" + "|".join(AGGREGATES) + r"):(amount|cf\.[a-z][a-z0-9_]*))$",
    "description": "count; `sum|avg|min|max:amount` or `:cf.<key>` of a number or money field; received and "
    "outstanding (receivable payment plans)",
}
DEFINITION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["group_by"],
    "properties": {
        "filters": {
            "type": "object",
            "description": "The search page's parameters (q, contract_type, status, …, `cf.<key>`)",
            "additionalProperties": {"oneOf": [{"type": "string"}, _LIST]},
        },
        "group_by": {"type": "array", "items": _DIMENSION, "minItems": 1, "maxItems": 2},
        "measures": {"type": "array", "items": _MEASURE, "minItems": 1, "default": ["count"]},
        "currency": {
            "type": "string",
            "enum": list(CURRENCY_MODES),
            "default": "split",
            "description": "split: every amount per currency (never added across currencies); CNY: counted in CNY "
            "at PACTUM_FX_RATES, amounts without a rate left out and counted in `uncounted`",
        },
        "sort": {"type": "string", "description": "group1, group2, count or a measure; `-` first for descending"},
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100},
    },
}
_FIGURE = {
    "oneOf": [
        {"type": "null"},
        {"type": "string", "description": "A decimal number"},
        {"type": "object", "additionalProperties": {"type": "string"}, "description": "Per currency"},
    ]
}
_REPORT = obj(
    {
        "definition": DEFINITION,
        "group_headings": _LIST,
        "measures": array(obj({"key": {"type": "string"}, "label": {"type": "string"}})),
        "currency_mode": {"type": "string"},
        "currencies": _LIST,
        "uncounted": {"type": "integer"},
        "total_groups": {"type": "integer"},
        "rows": array(
            obj(
                {
                    "keys": {"type": "array", "items": {"type": ["string", "null"]}},
                    "labels": _LIST,
                    "count": {"type": "integer"},
                    "values": {"type": "object", "additionalProperties": _FIGURE},
                    "search": {"type": ["object", "null"], "additionalProperties": _LIST},
                    "search_url": {"type": ["string", "null"]},
                }
            )
        ),
    }
)
_SAVED_FIELDS = {
    "name": {"type": "string", "maxLength": 120},
    "definition": DEFINITION,
    "shared_roles": {**_LIST, "description": "Roles whose members see the report under Shared with me"},
    "schedule": {"type": ["string", "null"], "enum": ["daily", "weekly", "monthly", "", None]},
    "recipients": {
        "type": "array",
        "items": {"type": ["integer", "string"]},
        "description": "Users (ids or e-mail addresses) who get the scheduled e-mail besides the owner",
    },
}
_SAVED_BODY = obj(_SAVED_FIELDS, required=("name", "definition"))
_SAVED = obj(
    {
        "id": {"type": "integer"},
        "owner_id": {"type": "integer"},
        "mine": {"type": "boolean"},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        **_SAVED_FIELDS,
        "recipients": {"type": "array", "items": {"type": "integer"}},
    }
)
#: An id beyond the database's range matches no rule: 404 for GET, 405 for the other methods
#: (Werkzeug reports the methods of the rules whose path matched before converting the id).
_REPORT_ID = {
    "name": "report_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
_RUN_FORMAT = query("format", {"type": "string", "enum": ["json", *FORMATS], "default": "json"})


def _run_answers() -> dict[str, Any]:
    files: dict[str, Any] = {media_type: {} for media_type in MEDIA_TYPES.values()}
    return {
        "200": {
            "description": "The report: JSON (groups and measures), or an XLSX, CSV or PDF file (audited)",
            "content": {"application/json": {"schema": _REPORT}, **files},
        },
        **errors(400, 401, 403, 404, 422, 503),
    }


def builder_paths() -> dict[str, Any]:
    saved_tags = ["reports"]
    return {
        "/reports/run": {
            "post": {
                "summary": "Run an ad-hoc report definition over the contracts the caller may read",
                "description": "Grouped and measured by the database. A wrong definition is a 422 whose `field` "
                "names the place (`group_by[1]`, `measures[0]`, `filters.status`, …).",
                "tags": saved_tags,
                "parameters": [_RUN_FORMAT],
                "requestBody": json_body(DEFINITION),
                "responses": _run_answers(),
            }
        },
        "/reports/saved": {
            "get": {
                "summary": "My saved reports and those shared with my role",
                "tags": saved_tags,
                "responses": {
                    "200": json_answer("Saved reports", obj({"mine": array(_SAVED), "shared": array(_SAVED)})),
                    **errors(401, 403),
                },
            },
            "post": {
                "summary": "Save a report (personal, or shared with roles; optionally e-mailed on a schedule)",
                "tags": saved_tags,
                "requestBody": json_body(_SAVED_BODY),
                "responses": {"201": json_answer("Saved", _SAVED), **errors(400, 401, 403, 422)},
            },
        },
        "/reports/saved/{report_id}": {
            "parameters": [_REPORT_ID],
            "get": {
                "summary": "A saved report (own, shared with my role, or any for administrators)",
                "tags": saved_tags,
                "responses": {"200": json_answer("The saved report", _SAVED), **errors(401, 403, 404, 405)},
            },
            "put": {
                "summary": "Change an own saved report",
                "tags": saved_tags,
                "requestBody": json_body(_SAVED_BODY),
                "responses": {"200": json_answer("Changed", _SAVED), **errors(400, 401, 403, 404, 405, 422)},
            },
            "delete": {
                "summary": "Delete an own saved report (administrators: any)",
                "tags": saved_tags,
                "responses": {"204": {"description": "Deleted"}, **errors(401, 403, 404, 405)},
            },
        },
        "/reports/saved/{report_id}/run": {
            "parameters": [_REPORT_ID],
            "get": {
                "summary": "Run a saved report with the caller's own permissions",
                "tags": saved_tags,
                "parameters": [_RUN_FORMAT],
                "responses": _run_answers(),
            },
        },
    }


def paths() -> dict[str, Any]:
    fmt = query("format", {"type": "string", "enum": list(FORMATS), "default": "xlsx"})
    return {
        **builder_paths(),
        "/reports/ledger": {
            "get": {
                "summary": "The contract ledger (合同台账) of the contracts the caller may read that match "
                "the search filters, as XLSX, CSV or PDF",
                "tags": ["reports"],
                "description": "Made by a background job and kept: 202 with `status_url` until it is ready, "
                "then the same request (or `result_url`) gives the file. The PDF lists at most 2,000 contracts.",
                "parameters": [fmt, *filter_parameters()],
                "responses": {
                    "200": {
                        "description": "The ledger file",
                        "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
                    },
                    "202": json_answer("Being made; poll status_url", _PENDING),
                    **errors(400, 401, 403, 422, 503),
                },
            },
        },
        "/reports/dashboard": {
            "get": {
                "summary": "The dashboard's figures over the contracts the caller may read, each with the "
                "search that lists them",
                "tags": ["reports"],
                "responses": {"200": json_answer("Charts and figures", _DASHBOARD), **errors(401, 403)},
            },
        },
    }
