"""The rule "no payment without an invoice" (``PACTUM_INVOICE_BEFORE_PAYMENT``): with it on, a
payment against a payable instalment is recorded only once an invoice covering that instalment
was received (and is neither void nor reversed)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.errors import Conflict
from ..core.extensions import db, settings
from .invoice_models import Invoice, InvoiceStatus, invoice_instalments
from .models import Direction, Instalment


def has_received_invoice(instalment: Instalment) -> bool:
    query = (
        select(Invoice.id)
        .join(invoice_instalments, invoice_instalments.c.invoice_id == Invoice.id)
        .where(invoice_instalments.c.instalment_id == instalment.id, Invoice.status == InvoiceStatus.RECEIVED)
    )
    return db.session.scalar(query.limit(1)) is not None


def require_invoice_before_payment(direction: str, instalment: Instalment) -> None:
    if not settings().invoice_before_payment or direction != Direction.PAYABLE:
        return
    if not has_received_invoice(instalment):
        raise Conflict(
            _(
                "No payment before the invoice: record the supplier's invoice for this instalment as "
                "received first (the rule “invoice before payment” is on)."
            ),
            reason="invoice_required",
        )
