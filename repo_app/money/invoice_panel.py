"""What the invoice part of the money panel shows (merged into ``money_part``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_login import current_user

from ..contracts.models import Contract
from . import invoices
from .invoice_models import MOVES, InvoiceStatus, InvoiceType


def invoice_money(contract: Contract) -> dict[str, Any]:
    can_invoice = invoices.may_record_invoice(current_user, contract)
    currency = (contract.currency or "CNY").upper()
    return {
        "invoices": invoices.invoices_of(contract),
        "invoiced": invoices.invoiced(contract),
        "contracted": (Decimal(contract.amount), currency) if contract.amount is not None else None,
        "invoice_kind": invoices.kind_of(contract),
        "invoice_types": tuple(InvoiceType),
        "invoice_moves": MOVES,
        "new_invoice_statuses": (
            InvoiceStatus.ISSUED,
            InvoiceStatus.SENT,
            InvoiceStatus.RECEIVED,
            InvoiceStatus.REQUESTED,
        ),
        "vat_rates": invoices.VAT_RATES,
        "can_invoice": can_invoice,
    }
