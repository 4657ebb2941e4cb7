"""The OpenAPI description of search, suggestions, similar contracts and reprocessing; merged
into ``/api/v1/openapi.json`` by ``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import CONTRACT_ID, PAGE, array, errors, json_answer, obj, query, schema_ref, version_parameter
from .services import LIST_FILTERS, SORTS

_DATE = {"type": "string", "format": "date"}
_NUMBER = {"type": "string", "description": "A decimal number; thousands separators are ignored."}
_LIST = {"type": "array", "items": {"type": "string"}}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_HIT = obj(
    {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "score": {"type": "number"},
        "highlights": _LIST,
        "page": {"type": ["integer", "null"], "description": "The page of the first highlight"},
        "contract_type": _NULLABLE_TEXT,
        "status": {"type": "string"},
        "counterparties": _LIST,
        "amount": _NULLABLE_TEXT,
        "currency": _NULLABLE_TEXT,
        "expiry_date": _NULLABLE_TEXT,
        "tags": _LIST,
        "custom_fields": {
            "type": "object",
            "description": 'The values of the custom fields marked "filter in search" (key → value, as on the '
            "contract; fields without a value are left out).",
        },
    }
)
_FACET = array(obj({"value": {"type": ["string", "integer"]}, "count": {"type": "integer"}}))
_RESULTS = obj(
    {
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
        "hits": array(_HIT),
        "facets": {
            "type": "object",
            "additionalProperties": _FACET,
            "description": "By facet: contract_type, status, tags, department, counterparty, year, and "
            "`cf:<key>` for each filterable custom field of a choice, yes/no, user or department kind",
        },
    }
)


def filter_parameters() -> list[dict[str, Any]]:
    """The search filters as query parameters: words, sort, the list filters, amount and date
    ranges (``created_from`` / ``created_to`` are UTC days). The search page, the ledger export
    and the report builder take the same ones (custom fields: ``cf.<key>``, see the search)."""
    text = query("q", {"type": "string"}, "Words or phrases (Chinese and English); empty lists everything")
    sort = query(
        "sort",
        {"anyOf": [{"type": "string", "enum": list(SORTS)}, {"type": "string", "pattern": r"^-?cf:[a-z][a-z0-9_]*$"}]},
        "One of the fixed orders, or `cf:<key>` / `-cf:<key>` for a custom field of a number, money or date kind",
    )
    lists = [
        {**query(name, _LIST, "Repeat to allow several values"), "style": "form", "explode": True}
        for name in LIST_FILTERS
    ]
    ranges = [query(name, _NUMBER) for name in ("amount_min", "amount_max")]
    dates = [query(name, _DATE) for name in ("signed_from", "signed_to", "expiry_from", "expiry_to")]
    dates += [query(name, _DATE, "UTC day") for name in ("created_from", "created_to")]
    return [text, sort, *lists, *ranges, *dates]


def paths() -> dict[str, Any]:
    return {
        "/search": {
            "get": {
                "summary": "Full-text search with filters; only contracts the caller may read",
                "description": "Custom fields filter by key: `cf.<key>=value` (exact; repeat for several "
                "values) for text, choice, yes/no (`true`/`false`), user (e-mail), department and counterparty "
                "fields; `cf.<key>.min` and `cf.<key>.max` (inclusive) for whole numbers, decimals, money and "
                "dates. An unknown key or the wrong form is a 422 naming the parameter.",
                "tags": ["search"],
                "parameters": [*filter_parameters(), *PAGE],
                "responses": {
                    "200": json_answer("A page of hits with highlights and facets", _RESULTS),
                    **errors(400, 401, 422),
                },
            },
        },
        "/search/suggest": {
            "get": {
                "summary": "Suggestions for the search box",
                "tags": ["search"],
                "parameters": [query("q", {"type": "string"})],
                "responses": {
                    "200": json_answer(
                        "Suggestions",
                        obj({"suggestions": _LIST}),
                    ),
                    **errors(401),
                },
            },
        },
        "/contracts/{contract_id}/similar": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "Contracts with similar text that the caller may read",
                "tags": ["search"],
                "responses": {
                    "200": json_answer(
                        "Similar contracts",
                        obj({"items": array(schema_ref("Contract"))}),
                    ),
                    **errors(401, 404),
                },
            },
        },
        "/contracts/{contract_id}/versions/{number}/reprocess": {
            "parameters": [CONTRACT_ID, version_parameter()],
            "post": {
                "summary": "Extract and index a version again (administrators)",
                "tags": ["search"],
                "responses": {
                    "202": json_answer(
                        "Queued",
                        obj({"status": {"type": "string", "const": "processing"}}),
                    ),
                    **errors(401, 403, 404, 422),
                },
            },
        },
    }
