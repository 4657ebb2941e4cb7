"""The money panel of the contract page (a ``contracts.pages.PAGE_PARTS`` entry)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from ..contracts.models import Contract
from ..core import clock
from ..lifecycle.services import milestones
from . import balances, services
from .invoice_panel import invoice_money
from .models import PAYMENT_METHODS, Direction, DueRule


def money_part(contract: Contract) -> dict[str, Any]:
    can_plan = services.may_plan(current_user, contract)
    return {
        "money": {
            "direction": services.direction_of(contract),
            "directions": tuple(Direction),
            "rules": tuple(DueRule),
            "methods": PAYMENT_METHODS,
            "states": balances.instalment_states(contract),
            "payments": services.payments(contract),
            "check": services.check_plan(contract),
            "balance": balances.contract_balance(contract),
            "milestones": milestones(contract) if can_plan else [],
            "can_plan": can_plan,
            "can_record": services.may_record(current_user, contract),
            "today": clock.today(),
            **invoice_money(contract),
        }
    }
