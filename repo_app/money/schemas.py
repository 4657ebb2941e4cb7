"""The JSON forms of a contract's money (plan, payments, balance) for the API."""

from __future__ import annotations

from typing import Any

from ..contracts.models import Contract
from .balances import InstalmentState, contract_balance, instalment_states
from .models import Payment
from .services import check_plan, direction_of, payments


def state_to_dict(state: InstalmentState) -> dict[str, Any]:
    row = state.instalment
    return {
        "id": row.id,
        "position": row.position,
        "due_rule": row.due_rule,
        "due_date": state.due.day.isoformat() if state.due.day else None,
        "due_estimated": state.due.estimated,
        "fixed_date": row.due_date.isoformat() if row.due_date else None,
        "offset_days": row.offset_days,
        "milestone_id": row.milestone_id,
        "amount": str(row.amount) if row.amount is not None else None,
        "percent": str(row.percent) if row.percent is not None else None,
        "planned": str(state.planned) if state.planned is not None else None,
        "currency": row.currency,
        "condition": row.condition,
        "settled": str(state.settled),
        "open": str(state.open),
        "overdue": state.overdue,
    }


def payment_to_dict(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "instalment_id": payment.instalment_id,
        "paid_on": payment.paid_on.isoformat(),
        "amount": str(payment.amount),
        "currency": payment.instalment.currency,
        "method": payment.method,
        "reference": payment.reference,
        "note": payment.note,
        "overpaid": str(payment.overpaid) if payment.overpaid is not None else None,
        "receipt": payment.receipt_name,
        "recorded_by": payment.recorded_by.email if payment.recorded_by else None,
        "recorded_at": payment.recorded_at.isoformat() + "Z",
        "reversed_at": payment.reversed_at.isoformat() + "Z" if payment.reversed_at else None,
        "reversal_reason": payment.reversal_reason,
    }


def money_to_dict(contract: Contract) -> dict[str, Any]:
    check = check_plan(contract)
    return {
        "contract_id": contract.id,
        "direction": direction_of(contract),
        "currency": check.currency,
        "contract_amount": str(check.contract_amount) if check.contract_amount is not None else None,
        "plan_total": str(check.planned),
        "plan_difference": str(check.difference) if check.difference is not None else None,
        "instalments": [state_to_dict(state) for state in instalment_states(contract)],
        "payments": [payment_to_dict(payment) for payment in payments(contract)],
        "balance": contract_balance(contract).to_dict(),
    }
