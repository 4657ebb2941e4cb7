"""The OpenAPI description of the template endpoints; merged into ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import ERROR, array, json_answer, json_body, json_ref, obj
from .schemas import MAPPINGS, TYPES

TEMPLATE_ID: dict[str, Any] = {"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}

_NULLABLE_TEXT = {"type": ["string", "null"]}
_ROW_ERROR = {
    "type": "object",
    "required": ["row", "field", "message"],
    "properties": {"row": {"type": "integer"}, "field": {"type": ["string", "null"]}, "message": {"type": "string"}},
}


def _variable() -> dict[str, Any]:
    return obj(
        {
            "name": {"type": "string"},
            "type": {"type": "string", "enum": list(TYPES)},
            "label": {"type": "string"},
            "help": {"type": "string"},
            "required": {"type": "boolean"},
            "options": array({"type": "string"}),
            "columns": array({"type": "string"}),
            "maps_to": {"type": ["string", "null"], "enum": [*MAPPINGS, None]},
            "sample": {"type": "string", "description": "An example value (used by the preview)"},
        }
    )


def _template() -> dict[str, Any]:
    return obj(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "language": {"type": "string", "enum": ["zh", "en"]},
            "contract_type": _NULLABLE_TEXT,
            "department": _NULLABLE_TEXT,
            "description": _NULLABLE_TEXT,
            "retired": {"type": "boolean"},
            "version": {"type": ["integer", "null"], "description": "The published version drafts use"},
            "published_at": _NULLABLE_TEXT,
            "variables": array(_variable()),
        }
    )


_VALUES_HELP = (
    "Values by variable name. text, select: a string; number: a number or decimal string; money: a decimal "
    'string or number (CNY), or `{"amount": "100000.00", "currency": "USD"}`; date: `YYYY-MM-DD`; party: a '
    'name or `{"name", "address", "contact"}`; yesno: a boolean; table: a list of objects keyed by the '
    "variable's columns. A missing required value, a value of the wrong type, or a name the template does not "
    "have is a 422 naming the variable (`error.field` = `variables.<name>`)."
)


def paths() -> dict[str, Any]:
    template = {
        "description": "The template and its published schema",
        "content": {"application/json": {"schema": _template()}},
    }
    return {
        "/templates": {
            "get": {
                "summary": "The templates the caller may draft from, with their variable schemas",
                "tags": ["templates"],
                "responses": {
                    "200": json_answer("Published, not retired templates", obj({"items": array(_template())})),
                    "403": ERROR,
                },
            }
        },
        "/templates/{template_id}": {
            "parameters": [TEMPLATE_ID],
            "get": {
                "summary": "One template with its published variable schema",
                "tags": ["templates"],
                "responses": {"200": template, "403": ERROR, "404": ERROR},
            },
        },
        "/templates/{template_id}/drafts": {
            "parameters": [TEMPLATE_ID],
            "post": {
                "summary": "Draft a contract from the template's published version",
                "tags": ["templates"],
                "description": "Creates a contract in draft whose version 1 is the filled Word file (processed like an "
                "upload: PDF rendition, text, index). Metadata comes from the variables the schema maps; the origin "
                "(template and version) is recorded.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["variables"],
                        "additionalProperties": False,
                        "properties": {
                            "variables": {"type": "object", "description": _VALUES_HELP},
                            "title": {"type": "string", "description": "Overrides the title the variables give"},
                        },
                    }
                ),
                "responses": {
                    "201": {"description": "The drafted contract", **json_ref("Contract")},
                    "403": ERROR,
                    "404": ERROR,
                    "409": ERROR,
                    "413": ERROR,
                    "415": ERROR,
                    "422": ERROR,
                    "503": ERROR,
                },
            },
        },
        "/templates/{template_id}/bulk-drafts": {
            "parameters": [TEMPLATE_ID],
            "post": {
                "summary": "Draft one contract per row (or only check the rows)",
                "tags": ["templates"],
                "description": "Each row is an object of column names and values (strings): variable names, "
                "`<party>.address`, `<party>.contact`, `<money>.currency`, a table as rows on lines with cells "
                "separated by `|`, and an optional `title`. Every row is checked first; with `dry_run` the answer "
                "lists the bad rows (numbered from 2, as in a file under its header row). Otherwise any bad row "
                "refuses them all (422, `errors` listing them) and nothing is drafted.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["rows"],
                        "properties": {
                            "rows": array(
                                {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}}
                            ),
                            "dry_run": {"type": "boolean", "default": False},
                        },
                    }
                ),
                "responses": {
                    "200": json_answer(
                        "The dry run's findings",
                        obj({"rows": {"type": "integer"}, "errors": array(_ROW_ERROR)}),
                    ),
                    "201": json_answer(
                        "The drafted contracts",
                        obj(
                            {
                                "contracts": array(
                                    obj(
                                        {
                                            "id": {"type": "integer"},
                                            "title": {"type": "string"},
                                            "url": {"type": "string"},
                                        }
                                    )
                                )
                            }
                        ),
                    ),
                    "403": ERROR,
                    "404": ERROR,
                    "409": ERROR,
                    "413": ERROR,
                    "415": ERROR,
                    "422": ERROR,
                    "503": ERROR,
                },
            },
        },
    }
