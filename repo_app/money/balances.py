"""Balances: planned, received or paid, outstanding and overdue amounts of one contract, of a
counterparty's contracts and of each department's, in each currency and counted in CNY.

Arithmetic is exact (:class:`~decimal.Decimal`); a conversion is rounded once to the cent, half
up (``services.convert``). Lists read their instalments, paid sums and directions through one
:class:`Ledger` instead of a query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from ..auth.models import User
from ..contracts import access
from ..contracts.models import Contract
from ..core import clock
from ..core.extensions import db
from .invoices import invoiced_by_contract
from .models import Direction, Instalment, Payment, PaymentPlan
from .services import BASE_CURRENCY, Due, convert, due_of, instalments, paid_towards, planned_amount


@dataclass
class Balance:
    """Planned, settled (received or paid), outstanding and overdue amounts in one currency."""

    currency: str
    planned: Decimal = Decimal(0)
    settled: Decimal = Decimal(0)
    outstanding: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    #: Parts that could not be counted (no rate, a percentage without contract amount).
    uncounted: int = 0

    def add(self, other: Balance) -> None:
        self.planned += other.planned
        self.settled += other.settled
        self.outstanding += other.outstanding
        self.overdue += other.overdue
        self.uncounted += other.uncounted

    def converted(self, target: str) -> Balance:
        """The same balance counted in ``target`` (each amount rounded to the cent once)."""
        parts = [
            convert(value, self.currency, target)
            for value in (self.planned, self.settled, self.outstanding, self.overdue)
        ]
        if any(part is None for part in parts):
            return Balance(target, uncounted=self.uncounted + 1)
        planned, settled, outstanding, overdue = (part or Decimal(0) for part in parts)
        return Balance(target, planned, settled, outstanding, overdue, self.uncounted)

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "planned": str(self.planned),
            "settled": str(self.settled),
            "outstanding": str(self.outstanding),
            "overdue": str(self.overdue),
            "uncounted": self.uncounted,
        }

    @property
    def settled_share(self) -> int:
        """Per cent settled, for the balance bar (0–100)."""
        if self.planned <= 0:
            return 0
        return int(min(Decimal(100), self.settled * 100 / self.planned))


@dataclass
class InstalmentState:
    instalment: Instalment
    planned: Decimal | None
    settled: Decimal
    due: Due
    overdue: bool

    @property
    def open(self) -> Decimal:
        return max(Decimal(0), (self.planned or Decimal(0)) - self.settled)


@dataclass
class Ledger:
    """The instalments, the sums paid towards each and the directions of many contracts, read
    in a few queries (lists and balances of hundreds of contracts would otherwise ask per row)."""

    instalments: dict[int, list[Instalment]] = field(default_factory=dict)
    paid: dict[int, Decimal] = field(default_factory=dict)
    directions: dict[int, str] = field(default_factory=dict)
    #: Per contract and currency, the totals of its invoices (void and reversed left out).
    invoiced: dict[int, dict[str, Decimal]] = field(default_factory=dict)

    @classmethod
    def of(cls, contract_ids: Iterable[int], chunk: int = 500) -> Ledger:
        ledger = cls()
        ids = sorted(set(contract_ids))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            rows = select(Instalment).where(Instalment.contract_id.in_(part))
            for row in db.session.scalars(rows.order_by(Instalment.position, Instalment.id)):
                ledger.instalments.setdefault(row.contract_id, []).append(row)
            sums = (
                select(Payment.instalment_id, func.sum(Payment.amount))
                .where(Payment.contract_id.in_(part), Payment.reversed_at.is_(None))
                .group_by(Payment.instalment_id)
            )
            ledger.paid.update({instalment_id: Decimal(total) for instalment_id, total in db.session.execute(sums)})
            plans = select(PaymentPlan.contract_id, PaymentPlan.direction).where(PaymentPlan.contract_id.in_(part))
            ledger.directions.update({contract_id: direction for contract_id, direction in db.session.execute(plans)})
        ledger.invoiced = invoiced_by_contract(ids)
        return ledger


def instalment_states(
    contract: Contract, today: date | None = None, ledger: Ledger | None = None
) -> list[InstalmentState]:
    today = today or clock.today()
    rows = ledger.instalments.get(contract.id, []) if ledger is not None else instalments(contract)
    states = []
    for instalment in rows:
        planned = planned_amount(instalment, contract)
        settled = ledger.paid.get(instalment.id, Decimal(0)) if ledger is not None else paid_towards(instalment)
        due = due_of(instalment, contract)
        open_amount = (planned or Decimal(0)) - settled
        states.append(
            InstalmentState(
                instalment, planned, settled, due, due.day is not None and due.day < today and open_amount > 0
            )
        )
    return states


def contract_balance(contract: Contract, today: date | None = None, ledger: Ledger | None = None) -> Balance:
    """The contract's balance in its own currency (instalments in another currency converted)."""
    currency = (contract.currency or BASE_CURRENCY).upper()
    balance = Balance(currency)
    for state in instalment_states(contract, today, ledger):
        own = Balance(
            state.instalment.currency,
            state.planned or Decimal(0),
            state.settled,
            state.open,
            state.open if state.overdue else Decimal(0),
            1 if state.planned is None else 0,
        )
        balance.add(own.converted(currency))
    return balance


@dataclass
class Summary:
    """Balances of several contracts: per currency, and all of them counted in CNY."""

    direction: str
    contracted: dict[str, Decimal] = field(default_factory=dict)
    by_currency: dict[str, Balance] = field(default_factory=dict)
    total: Balance = field(default_factory=lambda: Balance(BASE_CURRENCY))
    contracted_total: Decimal = Decimal(0)
    invoiced: dict[str, Decimal] = field(default_factory=dict)
    invoiced_total: Decimal = Decimal(0)
    contracts: int = 0

    def add(self, contract: Contract, balance: Balance, invoiced: dict[str, Decimal] | None = None) -> None:
        self.contracts += 1
        for currency, amount in (invoiced or {}).items():
            self.invoiced[currency] = self.invoiced.get(currency, Decimal(0)) + amount
            converted_invoiced = convert(amount, currency, BASE_CURRENCY)
            if converted_invoiced is None:
                self.total.uncounted += 1
            else:
                self.invoiced_total += converted_invoiced
        if contract.amount is not None:
            currency = (contract.currency or BASE_CURRENCY).upper()
            self.contracted[currency] = self.contracted.get(currency, Decimal(0)) + Decimal(contract.amount)
            converted = convert(Decimal(contract.amount), currency, BASE_CURRENCY)
            if converted is None:
                self.total.uncounted += 1
            else:
                self.contracted_total += converted
        self.by_currency.setdefault(balance.currency, Balance(balance.currency)).add(balance)
        self.total.add(balance.converted(BASE_CURRENCY))

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "contracts": self.contracts,
            "contracted": {currency: str(value) for currency, value in sorted(self.contracted.items())},
            "contracted_cny": str(self.contracted_total),
            "invoiced": {currency: str(value) for currency, value in sorted(self.invoiced.items())},
            "invoiced_cny": str(self.invoiced_total),
            "by_currency": [balance.to_dict() for _code, balance in sorted(self.by_currency.items())],
            "total_cny": self.total.to_dict(),
        }


def summarise(contracts: Iterable[Contract], today: date | None = None) -> dict[str, Summary]:
    """Receivable and payable summaries of ``contracts`` (those the caller may read)."""
    summaries = {direction.value: Summary(direction.value) for direction in Direction}
    rows = list(contracts)
    ledger = Ledger.of(contract.id for contract in rows)
    for contract in rows:
        direction = ledger.directions.get(contract.id, Direction.RECEIVABLE.value)
        summaries[direction].add(contract, contract_balance(contract, today, ledger), ledger.invoiced.get(contract.id))
    return summaries


def department_balances(user: User, today: date | None = None) -> list[tuple[str, dict[str, Summary]]]:
    """Per department (name, or "" for none), the summaries of the contracts ``user`` may read
    that have a payment plan."""
    planned = select(PaymentPlan.contract_id)
    query = access.visible_contracts(user).where(Contract.id.in_(planned)).order_by(Contract.id)
    groups: dict[str, list[Contract]] = {}
    for contract in db.session.scalars(query):
        groups.setdefault(contract.department.name if contract.department else "", []).append(contract)
    return [(name, summarise(rows, today)) for name, rows in sorted(groups.items())]
