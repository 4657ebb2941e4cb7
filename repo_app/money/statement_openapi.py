"""The OpenAPI description of the bank statement import; merged into ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import array, errors, json_answer, json_body, multipart_body, obj
from .statement_files import FIELDS
from .statement_models import RowState

_TEXT = {"type": ["string", "null"]}
_AMOUNT = {"type": "string", "description": "A decimal amount as text, e.g. `1280000.50`."}
_IMPORT_ID = {"name": "import_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ROW_ID = {"name": "row_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_CHOICE = obj(
    {
        "instalment_id": {"type": "integer"},
        "contract_id": {"type": "integer"},
        "contract_title": {"type": "string"},
        "contract_number": _TEXT,
        "position": {"type": "integer", "description": "The instalment's number in its plan (1, 2 …)."},
        "due_date": _TEXT,
        "currency": {"type": "string"},
        "open": _AMOUNT,
    }
)
_ROW = obj(
    {
        "id": {"type": "integer"},
        "line": {"type": "integer", "description": "The line's number below the header row."},
        "booked_on": _TEXT,
        "amount": {"type": ["string", "null"], "description": "Always positive; see `direction`."},
        "direction": {
            "type": ["string", "null"],
            "enum": ["credit", "debit", None],
            "description": "credit: money in (pays a receivable instalment); debit: money out (a payable one).",
        },
        "counterparty": _TEXT,
        "reference": _TEXT,
        "transaction_id": _TEXT,
        "currency": {
            "type": ["string", "null"],
            "description": "ISO code when the file says it (a currency column or a mark such as US$; XXX: "
            "a currency not known); only instalments in that currency are proposed or accepted.",
        },
        "state": {
            "type": "string",
            "enum": list(RowState),
            "description": "A proposal on a contract the caller may not record payments on reads as unmatched.",
        },
        "confidence": {"type": ["integer", "null"], "description": "0–100."},
        "reason": {
            "type": ["string", "null"],
            "enum": ["instalment_reference", "contract_number", "counterparty_amount", None],
        },
        "proposal": {"oneOf": [_CHOICE, {"type": "null"}]},
        "candidates": array(_CHOICE),
        "payment_id": {"type": ["integer", "null"]},
        "ignore_reason": _TEXT,
        "duplicate_of": {
            "oneOf": [obj({"import_id": {"type": "integer"}, "line": {"type": "integer"}}), {"type": "null"}],
            "description": "The line of another import that recorded the same transaction.",
        },
    }
)
_IMPORT = obj(
    {
        "id": {"type": "integer"},
        "filename": {"type": "string"},
        "sha256": {"type": "string"},
        "uploaded_at": {"type": "string", "format": "date-time"},
        "uploaded_by": _TEXT,
        "needs_mapping": {
            "type": "boolean",
            "description": "The header was not recognised: choose the columns (`…/columns`).",
        },
        "header": array({"type": "string"}),
        "columns": {"type": "object", "description": "Column index (from 0) by field; `reference` a list."},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "rows": array(_ROW),
    }
)
_COLUMNS_IN = {
    "type": "object",
    "properties": {
        name: array({"type": "integer"}) if name == "reference" else {"type": ["integer", "null"]} for name in FIELDS
    },
}


def paths() -> dict[str, Any]:
    answer = json_answer("The import with its lines and proposals", _IMPORT)
    return {
        "/money/statements": {
            "get": {
                "summary": "Recent bank statement imports (finance)",
                "tags": ["money"],
                "responses": {
                    "200": json_answer(
                        "Imports, newest first",
                        obj(
                            {
                                "items": array(
                                    obj(
                                        {
                                            "id": {"type": "integer"},
                                            "filename": {"type": "string"},
                                            "uploaded_at": {"type": "string", "format": "date-time"},
                                            "uploaded_by": _TEXT,
                                            "rows": {"type": "integer"},
                                        }
                                    )
                                )
                            }
                        ),
                    ),
                    **errors(403),
                },
            },
            "post": {
                "summary": "Import a bank statement or finance export (CSV or XLSX)",
                "tags": ["money"],
                "description": "CSV in UTF-8 (with or without BOM) or GBK/GB18030, or XLSX. Columns are "
                "recognised by their Chinese or English names; otherwise `needs_mapping` is true. Each line "
                "is matched to an open instalment of a contract the caller may record payments on. The "
                "same file again answers 200 with the earlier import (`already_imported`); nothing is "
                "recorded until lines are confirmed.",
                "requestBody": multipart_body({"file": {"type": "string", "format": "binary"}}),
                "responses": {
                    "201": json_answer("Imported", {**_IMPORT, "properties": {**_IMPORT["properties"]}}),
                    "200": json_answer("This file was imported before: that import", _IMPORT),
                    **errors(403, 413, 422),
                },
            },
        },
        "/money/statements/{import_id}": {
            "parameters": [_IMPORT_ID],
            "get": {
                "summary": "A statement import with its lines",
                "tags": ["money"],
                "responses": {"200": answer, **errors(403, 404)},
            },
        },
        "/money/statements/{import_id}/columns": {
            "parameters": [_IMPORT_ID],
            "post": {
                "summary": "Choose the columns of a statement whose header was not recognised",
                "tags": ["money"],
                "requestBody": json_body(_COLUMNS_IN),
                "responses": {"200": answer, **errors(403, 404, 409, 422)},
            },
        },
        "/money/statements/{import_id}/confirm": {
            "parameters": [_IMPORT_ID],
            "post": {
                "summary": "Record the matched lines as payments",
                "tags": ["money"],
                "description": "All matched lines, or those named in `row_ids`. A line whose transaction was "
                "recorded from another file meanwhile becomes `duplicate` instead.",
                "requestBody": json_body(obj({"row_ids": array({"type": "integer"})}, ()), required=False),
                "responses": {
                    "200": json_answer(
                        "The import; `recorded` counts the payments made",
                        {**_IMPORT, "properties": {**_IMPORT["properties"], "recorded": {"type": "integer"}}},
                    ),
                    **errors(403, 404, 422),
                },
            },
        },
        "/money/statements/{import_id}/rows/{row_id}/assign": {
            "parameters": [_IMPORT_ID, _ROW_ID],
            "post": {
                "summary": "Record a line against an instalment chosen by the caller",
                "tags": ["money"],
                "requestBody": json_body(obj({"instalment_id": {"type": "integer"}})),
                "responses": {"200": answer, **errors(403, 404, 409, 422)},
            },
        },
        "/money/statements/{import_id}/rows/{row_id}/ignore": {
            "parameters": [_IMPORT_ID, _ROW_ID],
            "post": {
                "summary": "Ignore a line, with a reason",
                "tags": ["money"],
                "requestBody": json_body(obj({"reason": {"type": "string"}})),
                "responses": {"200": answer, **errors(403, 404, 409, 422)},
            },
        },
    }
