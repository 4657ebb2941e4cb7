"""Translated labels of the money feature's codes (directions, due rules, methods)."""

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
}
