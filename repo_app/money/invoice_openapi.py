"""The OpenAPI description of the invoice endpoints; merged into ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from ..core.bodies import MAX_ID
from ..core.openapi import CONTRACT_ID, array, errors, json_answer, json_body, multipart_body, obj
from .invoice_models import InvoiceKind, InvoiceStatus, InvoiceType

_TEXT = {"type": ["string", "null"]}
_AMOUNT = {"type": "string", "description": "A decimal amount as text (exact, two decimals)."}
_AMOUNT_IN = {"type": ["string", "number", "null"], "description": 'A decimal amount; send text (`"113000.00"`).'}
_INVOICE_ID = {
    "name": "invoice_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
_FILE = {"type": "string", "format": "binary", "description": "PDF, OFD, PNG or JPEG."}
_FIELDS: dict[str, Any] = {
    "type": {"type": "string", "enum": list(InvoiceType), "description": "Default `electronic` (数电票)."},
    "code": {
        "type": ["string", "null"],
        "description": "发票代码: 10 or 12 digits on a paper VAT invoice; none on a 数电票.",
    },
    "number": {
        "type": ["string", "null"],
        "description": "发票号码: 8 digits (paper VAT), 20 digits (数电票), 1–40 characters (foreign); "
        "none only while `requested`.",
    },
    "issued_on": {"type": ["string", "null"], "format": "date"},
    "amount": {**_AMOUNT_IN, "description": "The amount before tax."},
    "tax_rate": {
        **_AMOUNT_IN,
        "description": "Per cent; Chinese types: 0, 1, 3, 5, 6, 9 or 13. The tax must be amount × rate within 0.01.",
    },
    "tax": {**_AMOUNT_IN, "description": "Default: amount × rate."},
    "total": {**_AMOUNT_IN, "description": "Must be amount + tax to the cent; default: their sum."},
    "currency": {"type": "string", "description": "Default: the contract's; Chinese types are in CNY."},
    "buyer_name": _TEXT,
    "buyer_tax_id": {**_TEXT, "description": "统一社会信用代码 / 纳税人识别号."},
    "seller_name": _TEXT,
    "seller_tax_id": _TEXT,
    "note": _TEXT,
    "instalment_ids": {
        "type": "array",
        "items": {"type": "integer"},
        "description": "The instalments of the contract the invoice covers (multipart: repeat the field).",
    },
}
_INVOICE = obj(
    {
        "id": {"type": "integer"},
        "contract_id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(InvoiceKind), "description": "Follows the plan's direction."},
        **{key: value for key, value in _FIELDS.items() if key not in ("amount", "tax_rate", "tax", "total")},
        "amount": _AMOUNT,
        "tax_rate": _TEXT,
        "tax": _AMOUNT,
        "total": _AMOUNT,
        "status": {"type": "string", "enum": list(InvoiceStatus)},
        "status_reason": _TEXT,
        "file": {**_TEXT, "description": "The file's name, if one was attached."},
        "created_by": _TEXT,
        "created_at": {"type": "string"},
    },
    ("id", "contract_id", "kind", "type", "number", "amount", "tax", "total", "currency", "status"),
)


def _create_body() -> dict[str, Any]:
    fields = {**_FIELDS, "status": {"type": "string", "enum": ["requested", "issued", "sent", "received"]}}
    return {
        "required": True,
        "content": {
            **json_body(obj(fields, ("amount",)))["content"],
            **multipart_body({**fields, "file": _FILE}, ("amount",))["content"],
        },
    }


def paths() -> dict[str, Any]:
    one = json_answer("The invoice", _INVOICE)
    return {
        "/contracts/{contract_id}/money/invoices": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "The contract's invoices and the invoiced totals per currency",
                "tags": ["money"],
                "description": "`invoiced` adds up the totals (with tax) of issued, sent and received invoices; "
                "void and reversed ones are left out.",
                "responses": {
                    "200": json_answer(
                        "The invoices",
                        obj(
                            {"items": array(_INVOICE), "invoiced": {"type": "object", "additionalProperties": _AMOUNT}}
                        ),
                    ),
                    **errors(404),
                },
            },
            "post": {
                "summary": "Record an invoice (`invoice.record`)",
                "tags": ["money"],
                "description": "JSON, or multipart with the invoice `file`. 422 names the field and says what is "
                "wrong (number format, VAT rate, tax or total that do not add up); 409 when the same type, code "
                "and number was recorded already.",
                "requestBody": _create_body(),
                "responses": {"201": one, **errors(403, 404, 409, 413, 422)},
            },
        },
        "/contracts/{contract_id}/money/invoices/suggest": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Suggested fields read from an invoice file (nothing is saved)",
                "tags": ["money"],
                "description": "The text of a PDF (or a scan, with OCR) read for number, code, date, amounts, "
                "buyer and seller; `counterparties` names the contract's counterparty whose credit code is the "
                "buyer's or the seller's tax id.",
                "requestBody": multipart_body({"file": _FILE}),
                "responses": {
                    "200": json_answer(
                        "Suggestions",
                        obj(
                            {
                                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                                "counterparties": {"type": "object"},
                                "message": {"type": "string"},
                            }
                        ),
                    ),
                    **errors(403, 404, 413, 422),
                },
            },
        },
        "/contracts/{contract_id}/money/invoices/{invoice_id}": {
            "parameters": [CONTRACT_ID, _INVOICE_ID],
            "get": {"summary": "One invoice", "tags": ["money"], "responses": {"200": one, **errors(404)}},
            "patch": {
                "summary": "Change an invoice's fields (those sent)",
                "tags": ["money"],
                "description": "Checked as when recorded; a void or reversed invoice is not changed (409).",
                "requestBody": {
                    "required": True,
                    "content": {
                        **json_body(obj(_FIELDS, ()))["content"],
                        **multipart_body({**_FIELDS, "file": _FILE}, ())["content"],
                    },
                },
                "responses": {"200": one, **errors(403, 404, 409, 413, 422)},
            },
        },
        "/contracts/{contract_id}/money/invoices/{invoice_id}/status": {
            "parameters": [CONTRACT_ID, _INVOICE_ID],
            "post": {
                "summary": "Move the invoice to another status",
                "tags": ["money"],
                "description": "requested → issued → sent → received (confirmed); issued, sent or received → "
                "reversed (红冲) or void (作废) with a `reason`. Other moves answer 409 saying which are "
                "possible. Audited and sent as the webhook event `invoice.status_changed`.",
                "requestBody": json_body(
                    obj(
                        {"status": {"type": "string", "enum": list(InvoiceStatus)}, "reason": {"type": "string"}},
                        ("status",),
                    )
                ),
                "responses": {"200": one, **errors(403, 404, 409, 422)},
            },
        },
        "/contracts/{contract_id}/money/invoices/{invoice_id}/file": {
            "parameters": [CONTRACT_ID, _INVOICE_ID],
            "get": {
                "summary": "The invoice's file",
                "tags": ["money"],
                "responses": {
                    "200": {
                        "description": "The file",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                            "application/ofd": {"schema": {"type": "string", "format": "binary"}},
                            "image/*": {"schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    **errors(404, 503),
                },
            },
        },
    }
