"""Translated labels of the money feature's codes (directions, due rules, methods, invoice
types, kinds and statuses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "receivable": _l("Receivable (we are paid)"),
    "payable": _l("Payable (we pay)"),
    "fixed": _l("On a fixed date"),
    "effective": _l("Days after the effective date"),
    "milestone": _l("Days after a milestone"),
    "transfer": _l("Bank transfer"),
    "cheque": _l("Cheque"),
    "cash": _l("Cash"),
    "card": _l("Card"),
    "acceptance_bill": _l("Bank acceptance bill"),
    "other": _l("Other"),
    "invoice_type.vat_special": _l("VAT special invoice"),
    "invoice_type.vat_normal": _l("VAT normal invoice"),
    "invoice_type.electronic": _l("Fully digitalised e-invoice"),
    "invoice_type.foreign": _l("Foreign invoice"),
    "invoice_kind.issued": _l("Issued by us"),
    "invoice_kind.received": _l("Received from the counterparty"),
    "invoice.requested": _l("Requested"),
    "invoice.issued": _l("Issued"),
    "invoice.sent": _l("Sent"),
    "invoice.received": _l("Received / confirmed"),
    "invoice.reversed": _l("Reversed (red-letter)"),
    "invoice.void": _l("Void"),
}
