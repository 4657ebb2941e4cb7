"""``python -m bench.money [--contracts 200,1000] [--instalments 3]``: seconds to compute money
balances on the embedded default (SQLite in a temporary folder).

Each contract gets ``instalments`` instalments (one a percentage, one relative to the effective
date) and one payment; a tenth of them name one large counterparty. Measured, as an
administrator: the balances by department (``GET /balances``), the counterparty page's totals
for the large counterparty, one contract's money panel, and one day's payment-reminder scan.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from repo_app import create_app
from repo_app.auth.models import User
from repo_app.auth.services import create_user
from repo_app.contracts.models import Contract, ContractParty, Counterparty, Department
from repo_app.core.extensions import db
from repo_app.migrations_runner import upgrade
from repo_app.money import balances, directory, reminders, schemas
from repo_app.money.models import Instalment, Payment, PaymentPlan


def _fill(contracts: int, instalments: int) -> tuple[User, Counterparty, Contract]:
    admin = create_user("admin@example.com", "Bench-Password-2026!", "admin")
    departments = [Department(name=f"部门{i}") for i in range(10)]
    big = Counterparty(name="华东精密机械有限公司")
    db.session.add_all([*departments, big])
    db.session.flush()
    first: Contract | None = None
    for number in range(contracts):
        contract = Contract(
            title=f"合同 {number}",
            owner_id=admin.id,
            amount=Decimal("120000.00"),
            currency="USD" if number % 7 == 0 else "CNY",
            effective_date=date(2026, 1, 1),
            department_id=departments[number % 10].id,
            status="in_force",
        )
        party = big if number % 10 == 0 else Counterparty(name=f"单位{number}有限公司")
        contract.parties.append(ContractParty(counterparty=party, position=0))
        db.session.add(contract)
        db.session.flush()
        first = first or contract
        db.session.add(PaymentPlan(contract_id=contract.id, direction="receivable"))
        rows = [
            Instalment(
                contract_id=contract.id,
                position=0,
                due_rule="effective",
                offset_days=15,
                percent=Decimal(30),
                currency=contract.currency,
            ),
            *(
                Instalment(
                    contract_id=contract.id,
                    position=i,
                    due_rule="fixed",
                    due_date=date(2026, 3, 1) + timedelta(days=30 * i),
                    amount=Decimal(84000) / (instalments - 1),
                    currency=contract.currency,
                )
                for i in range(1, instalments)
            ),
        ]
        rows[0].paid_amount = Decimal("20000.00")  # the payment below, as the services keep it
        db.session.add_all(rows)
        db.session.flush()
        db.session.add(
            Payment(
                contract_id=contract.id,
                instalment_id=rows[0].id,
                paid_on=date(2026, 1, 20),
                amount=Decimal("20000.00"),
                recorded_by_id=admin.id,
            )
        )
    db.session.commit()
    assert first is not None
    return admin, big, first


def _seconds(action: Callable[[], Any], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def measure(contracts: int, instalments: int, folder: Path) -> str:
    app = create_app({"data_dir": folder, "secret_key": "bench", "fx_rates": "USD=7.10", "check_schema": False})
    with app.app_context():
        upgrade()
        admin, big, first = _fill(contracts, instalments)
        with app.test_request_context():
            department = _seconds(lambda: balances.department_balances(admin))
            party = _seconds(lambda: balances.summarise(directory.contracts_of(admin, big)))
            panel = _seconds(lambda: schemas.money_to_dict(first))
            scan = _seconds(lambda: list(reminders.occurrences(date(2026, 3, 1), date(2026, 3, 2))), runs=1)
    return (
        f"| {contracts:>9,} | {contracts * instalments:>11,} | {department:>10.2f} | {party:>12.3f} "
        f"| {panel * 1000:>8.1f} | {scan:>11.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contracts", default="200,1000")
    parser.add_argument("--instalments", type=int, default=3)
    options = parser.parse_args()
    print("| contracts | instalments | by dept s | counterparty s | panel ms | reminder scan s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for count in (int(part) for part in options.contracts.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            print(measure(count, max(2, options.instalments), Path(folder)), flush=True)
    print(f"({datetime.now():%Y-%m-%d %H:%M}; best of 3 runs, the reminder scan once)")


if __name__ == "__main__":
    main()
