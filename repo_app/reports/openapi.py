"""The OpenAPI description of the ledger export and the dashboard; merged into
``/api/v1/openapi.json`` by ``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import array, errors, json_answer, obj, query
from ..search.services import LIST_FILTERS, SORTS
from .writers import FORMATS, MEDIA_TYPES

_DATE = {"type": "string", "format": "date"}
_NUMBER = {"type": "string", "description": "A decimal number; thousands separators are ignored."}
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


def _filter_parameters() -> list[dict[str, Any]]:
    text = query("q", {"type": "string"}, "Search words, as on the search page; empty lists every contract")
    sort = query("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"})
    lists = [
        {**query(name, _LIST, "Repeat to allow several values"), "style": "form", "explode": True}
        for name in LIST_FILTERS
    ]
    ranges = [query(name, _NUMBER) for name in ("amount_min", "amount_max")]
    dates = [query(name, _DATE) for name in ("signed_from", "signed_to", "expiry_from", "expiry_to")]
    dates += [query(name, _DATE, "UTC day") for name in ("created_from", "created_to")]
    return [text, sort, *lists, *ranges, *dates]


def paths() -> dict[str, Any]:
    fmt = query("format", {"type": "string", "enum": list(FORMATS), "default": "xlsx"})
    return {
        "/reports/ledger": {
            "get": {
                "summary": "The contract ledger (合同台账) of the contracts the caller may read that match "
                "the search filters, as XLSX, CSV or PDF",
                "tags": ["reports"],
                "description": "Made by a background job and kept: 202 with `status_url` until it is ready, "
                "then the same request (or `result_url`) gives the file. The PDF lists at most 2,000 contracts.",
                "parameters": [fmt, *_filter_parameters()],
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
