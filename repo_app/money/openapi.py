"""The OpenAPI description of the counterparty directory, payment plan, payment and balance
endpoints; merged into ``/api/v1/openapi.json`` by ``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import CONTRACT_ID, PAGE, array, errors, json_answer, json_body, multipart_body, obj, query
from .models import PAYMENT_METHODS, Direction, DueRule

_TEXT = {"type": ["string", "null"]}
_AMOUNT = {"type": "string", "description": "A decimal amount as text, e.g. `1280000.50` (exact, two decimals)."}
_AMOUNT_IN = {
    "type": ["string", "number", "null"],
    "description": 'A decimal amount; send text (`"1280000.50"`) to keep it exact.',
}
_COUNTERPARTY_ID = {"name": "counterparty_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_PAYMENT_ID = {"name": "payment_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_CONTACT = {
    "type": "object",
    "properties": {key: {"type": "string"} for key in ("name", "role", "email", "phone")},
}
_COUNTERPARTY_FIELDS: dict[str, Any] = {
    "name": {"type": "string", "maxLength": 255},
    "name_en": _TEXT,
    "credit_code": {
        "type": ["string", "null"],
        "description": "统一社会信用代码: 18 characters, check character validated (GB 32100-2015).",
    },
    "registration_no": _TEXT,
    "address": _TEXT,
    "contacts": array(_CONTACT),
    "bank_account": _TEXT,
    "tags": array({"type": "string"}),
    "notes": _TEXT,
    "external_id": {"type": ["string", "null"], "description": "The party's id in an external CRM."},
}
_COUNTERPARTY = {
    "type": "object",
    "required": ["id", "name", "credit_code", "contacts", "tags"],
    "properties": {"id": {"type": "integer"}, **_COUNTERPARTY_FIELDS},
}
_BALANCE = obj(
    {
        "currency": {"type": "string"},
        "planned": _AMOUNT,
        "settled": {**_AMOUNT, "description": "Received (receivable) or paid (payable), reversals left out."},
        "outstanding": _AMOUNT,
        "overdue": _AMOUNT,
        "uncounted": {"type": "integer", "description": "Parts not counted: no exchange rate, or no contract amount."},
    }
)
_SUMMARY = obj(
    {
        "direction": {"type": "string", "enum": list(Direction)},
        "contracts": {"type": "integer"},
        "contracted": {"type": "object", "additionalProperties": {"type": "string"}},
        "contracted_cny": _AMOUNT,
        "invoiced": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Per currency, the totals (with tax) of issued, sent and received invoices "
            "(void and reversed ones left out).",
        },
        "invoiced_cny": _AMOUNT,
        "by_currency": array(_BALANCE),
        "total_cny": _BALANCE,
    }
)
_INSTALMENT_IN = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "An existing instalment to change; leave out to add one."},
        "due_rule": {"type": "string", "enum": list(DueRule)},
        "due_date": {"type": "string", "format": "date", "description": "For `fixed`."},
        "offset_days": {"type": "integer", "description": "For `effective` and `milestone`."},
        "milestone_id": {"type": "integer", "description": "For `milestone`: a milestone of the contract."},
        "amount": _AMOUNT_IN,
        "percent": {**_AMOUNT_IN, "description": "Per cent of the contract amount (instead of `amount`)."},
        "currency": {"type": "string", "minLength": 3, "maxLength": 3},
        "condition": {"type": "string"},
    },
}
_PAYMENT = {
    "type": "object",
    "required": ["id", "instalment_id", "paid_on", "amount", "currency", "method", "reversed_at"],
    "properties": {
        "id": {"type": "integer"},
        "instalment_id": {"type": "integer"},
        "paid_on": {"type": "string", "format": "date"},
        "amount": _AMOUNT,
        "currency": {"type": "string"},
        "method": {"type": "string", "enum": list(PAYMENT_METHODS)},
        "reference": _TEXT,
        "note": _TEXT,
        "overpaid": {"type": ["string", "null"], "description": "By how much the instalment is now overpaid."},
        "receipt": _TEXT,
        "recorded_by": _TEXT,
        "recorded_at": {"type": "string"},
        "reversed_at": _TEXT,
        "reversal_reason": _TEXT,
    },
}
_MONEY = {
    "type": "object",
    "required": ["contract_id", "direction", "currency", "plan_total", "instalments", "payments", "balance"],
    "properties": {
        "contract_id": {"type": "integer"},
        "direction": {"type": "string", "enum": list(Direction)},
        "currency": {"type": "string"},
        "contract_amount": {"type": ["string", "null"]},
        "plan_total": _AMOUNT,
        "plan_difference": {
            "type": ["string", "null"],
            "description": "Contract amount minus the plan total: positive, not yet planned; "
            "negative, planned beyond it.",
        },
        "instalments": array({"type": "object"}),
        "payments": array(_PAYMENT),
        "balance": _BALANCE,
    },
}
_PAYMENT_FIELDS = {
    "instalment_id": {"type": "integer"},
    "amount": _AMOUNT_IN,
    "paid_on": {"type": "string", "format": "date", "description": "Default: today; not in the future."},
    "method": {"type": "string", "enum": list(PAYMENT_METHODS)},
    "reference": {"type": "string", "description": "The bank reference."},
    "note": {"type": "string"},
}


def paths() -> dict[str, Any]:
    money = json_answer("The contract's plan, payments and balance", _MONEY)
    return {
        "/counterparties": {
            "get": {
                "summary": "The counterparty directory",
                "tags": ["counterparties"],
                "description": "`contracts` counts only the contracts the caller may read.",
                "parameters": [
                    query("q", {"type": "string"}, "Part of a name, English name, credit code or registration number."),
                    query("tag", {"type": "string"}),
                    *PAGE,
                ],
                "responses": {
                    "200": json_answer(
                        "A page of entries",
                        obj(
                            {
                                "total": {"type": "integer"},
                                "page": {"type": "integer"},
                                "per_page": {"type": "integer"},
                                "items": array(_COUNTERPARTY),
                            }
                        ),
                    ),
                    **errors(403, 422),
                },
            },
            "post": {
                "summary": "Add an entry",
                "tags": ["counterparties"],
                "description": "409 when another entry has the same credit code, or the same name once width, "
                "spaces, brackets and the company form are ignored (send `force: true` to add it anyway; "
                "never for a same credit code).",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["name"],
                        "properties": {**_COUNTERPARTY_FIELDS, "force": {"type": "boolean"}},
                    }
                ),
                "responses": {"201": json_answer("Added", _COUNTERPARTY), **errors(403, 409, 422)},
            },
        },
        "/counterparties/{counterparty_id}": {
            "parameters": [_COUNTERPARTY_ID],
            "get": {
                "summary": "An entry with its readable contracts, totals and possible duplicates",
                "tags": ["counterparties"],
                "responses": {"200": json_answer("The entry", {"type": "object"}), **errors(403, 404)},
            },
            "patch": {
                "summary": "Change an entry (only the fields sent)",
                "tags": ["counterparties"],
                "requestBody": json_body(
                    {"type": "object", "properties": {**_COUNTERPARTY_FIELDS, "force": {"type": "boolean"}}}
                ),
                "responses": {"200": json_answer("Changed", _COUNTERPARTY), **errors(403, 404, 409, 422)},
            },
        },
        "/counterparties/{counterparty_id}/merge": {
            "parameters": [_COUNTERPARTY_ID],
            "post": {
                "summary": "Merge another entry into this one: its contracts move here, then it is deleted",
                "tags": ["counterparties"],
                "requestBody": json_body(obj({"other_id": {"type": "integer"}})),
                "responses": {"200": json_answer("The entry kept", _COUNTERPARTY), **errors(403, 404, 422)},
            },
        },
        "/contracts/{contract_id}/money": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "The contract's payment plan, payments and balance",
                "tags": ["money"],
                "responses": {"200": money, **errors(404)},
            },
        },
        "/contracts/{contract_id}/money/plan": {
            "parameters": [CONTRACT_ID],
            "put": {
                "summary": "Set the direction and the instalments",
                "tags": ["money"],
                "description": "Instalments named by `id` are changed, those without are added, those left out "
                "are deleted (409 when payments were recorded against one). Needs edit rights on the "
                "contract or the `payment.record` permission.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "properties": {
                            "direction": {"type": "string", "enum": list(Direction)},
                            "instalments": array(_INSTALMENT_IN),
                        },
                    }
                ),
                "responses": {"200": money, **errors(403, 404, 409, 422)},
            },
        },
        "/contracts/{contract_id}/money/payments": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Record a payment against an instalment (finance)",
                "tags": ["money"],
                "description": "Partial payments are allowed; a payment beyond the instalment's amount is "
                "recorded and flagged (`overpaid`). Multipart adds a receipt (PDF or image) as `receipt`.",
                "requestBody": {
                    "required": True,
                    "content": {
                        **json_body(obj(_PAYMENT_FIELDS, ("instalment_id", "amount")))["content"],
                        **multipart_body(
                            {**_PAYMENT_FIELDS, "receipt": {"type": "string", "format": "binary"}},
                            ("instalment_id", "amount"),
                        )["content"],
                    },
                },
                "responses": {"201": json_answer("Recorded", _PAYMENT), **errors(403, 404, 413, 422)},
            },
        },
        "/contracts/{contract_id}/money/payments/{payment_id}/reverse": {
            "parameters": [CONTRACT_ID, _PAYMENT_ID],
            "post": {
                "summary": "Reverse a payment (payments are never deleted)",
                "tags": ["money"],
                "requestBody": json_body(obj({"reason": {"type": "string"}})),
                "responses": {"200": json_answer("Reversed", _PAYMENT), **errors(403, 404, 409, 422)},
            },
        },
        "/contracts/{contract_id}/money/payments/{payment_id}/receipt": {
            "parameters": [CONTRACT_ID, _PAYMENT_ID],
            "get": {
                "summary": "The payment's receipt file",
                "tags": ["money"],
                "responses": {
                    "200": {
                        "description": "The receipt",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                            "image/*": {"schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    **errors(404, 503),
                },
            },
        },
        "/balances": {
            "get": {
                "summary": "Balances per department of the contracts the caller may read that have a plan",
                "tags": ["money"],
                "description": "Per currency and in CNY with `PACTUM_FX_RATES` (one rate per currency, whatever "
                "the date).",
                "responses": {
                    "200": json_answer(
                        "Per department",
                        obj(
                            {
                                "base_currency": {"type": "string"},
                                "departments": array(
                                    obj(
                                        {
                                            "department": _TEXT,
                                            "receivable": _SUMMARY,
                                            "payable": _SUMMARY,
                                        }
                                    )
                                ),
                            }
                        ),
                    ),
                    **errors(403),
                },
            },
        },
    }
