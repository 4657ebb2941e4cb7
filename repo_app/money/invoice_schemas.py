"""The JSON form of an invoice for the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .invoice_models import Invoice


def invoice_to_dict(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "contract_id": invoice.contract_id,
        "kind": invoice.kind,
        "type": invoice.type,
        "code": invoice.code,
        "number": invoice.number,
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
        "amount": str(invoice.amount),
        "tax_rate": f"{Decimal(invoice.tax_rate).normalize():f}" if invoice.tax_rate is not None else None,
        "tax": str(invoice.tax),
        "total": str(invoice.total),
        "currency": invoice.currency,
        "status": invoice.status,
        "status_reason": invoice.status_reason,
        "buyer_name": invoice.buyer_name,
        "buyer_tax_id": invoice.buyer_tax_id,
        "seller_name": invoice.seller_name,
        "seller_tax_id": invoice.seller_tax_id,
        "note": invoice.note,
        "instalment_ids": [row.id for row in invoice.instalments],
        "file": invoice.file_name,
        "created_by": invoice.created_by.email if invoice.created_by else None,
        "created_at": invoice.created_at.isoformat() + "Z",
    }
