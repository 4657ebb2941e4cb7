"""Loads the demo contracts through the same upload path users take (inside an app context)."""

from __future__ import annotations

import io
import secrets
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from repo_app.auth.models import User
from repo_app.auth.services import create_user, get_user_by_email
from repo_app.contracts import services
from repo_app.contracts.models import Contract, Department
from repo_app.contracts.own_names import own_names, set_own_names
from repo_app.contracts.schemas import parse_metadata
from repo_app.core import clock
from repo_app.core.errors import Duplicate
from repo_app.core.extensions import db, settings
from repo_app.core.fonts import configured_font_path
from repo_app.lifecycle import states
from repo_app.lifecycle.schedule import apply_dates
from repo_app.lifecycle.services import transition
from repo_app.review.checklist import seed_defaults
from repo_app.review.periodic import seed_intervals

from .build import build_demo_contracts
from .clauses import OWN_NAME_EN, OWN_NAME_ZH
from .money import add_payment_plans, place_in_finance


@dataclass(frozen=True)
class DemoReport:
    created: int
    skipped: int
    admin_password: str | None
    #: The demo finance user (records payments, imports bank statements) and a new password.
    finance_email: str
    finance_password: str | None
    #: Demo contracts that got a payment plan in this run.
    planned: int
    #: How many demo contracts are in each status after loading.
    statuses: dict[str, int]


def _ensure_user(email: str, role: str, password: str | None, display_name: str) -> tuple[User, str | None]:
    """A demo account; a generated password is kept (0600) in the data folder so that
    re-running the demo can show it again."""
    remembered = settings().data_dir / f"demo-{role}-password"
    user = get_user_by_email(email)
    if user is not None:
        return user, remembered.read_text().strip() if remembered.exists() and not password else None
    if not password:
        password = secrets.token_urlsafe(12)
        remembered.touch(mode=0o600)
        remembered.write_text(password)
    user = create_user(email, password, role, display_name=display_name, language=None)
    db.session.commit()
    return user, password


def _ensure_admin(email: str, password: str | None) -> tuple[User, str | None]:
    return _ensure_user(email, "admin", password, "Demo Admin")


def finance_email(admin_email: str) -> str:
    """The demo finance account lives beside the admin: ``finance@<the admin's domain>``."""
    return "finance@" + admin_email.rpartition("@")[2]


def _ensure_departments(names: set[str]) -> None:
    existing = set(db.session.scalars(select(Department.name)))
    for name in sorted(names - existing):
        db.session.add(Department(name=name))
    db.session.commit()


def _ensure_own_names(admin: User) -> None:
    """The demo company's names join the organisation's own names (kept: names an
    administrator added), so 甲方 = us is never suggested as a counterparty."""
    set_own_names(admin, [*own_names(), OWN_NAME_ZH, OWN_NAME_EN])
    db.session.commit()


def load_demo(admin_email: str, admin_password: str | None = None) -> DemoReport:
    admin, new_password = _ensure_admin(admin_email, admin_password)
    _ensure_own_names(admin)
    # The default clause checklist (违约责任, 争议解决, 保密, 不可抗力) and a yearly review of
    # in-force contracts, set before the uploads so every demo version is checked.
    seed_defaults()
    seed_intervals(12)
    db.session.commit()
    contracts = build_demo_contracts(font_path=configured_font_path())
    _ensure_departments({str(item.metadata["department"]) for item in contracts if item.metadata.get("department")})
    created = skipped = 0
    loaded_numbers = set(db.session.scalars(select(Contract.contract_number)))
    for item in contracts:
        # Demo dates follow today's date, so the bytes change from day to day: the contract
        # number is what makes a demo contract "already loaded".
        if item.metadata.get("contract_number") in loaded_numbers:
            skipped += 1
            continue
        upload = services.IncomingFile(io.BytesIO(item.content), item.filename)
        try:
            contract = services.create_contract(admin, upload, parse_metadata(dict(item.metadata)))
        except Duplicate:
            skipped += 1
        else:
            created += 1
            _register_as_signed(admin, contract)
    # Contracts whose dates have come move on: expiring soon, expired.
    apply_dates()
    numbers = [item.metadata.get("contract_number") for item in contracts]
    statuses = Counter(db.session.scalars(select(Contract.status).where(Contract.contract_number.in_(numbers))))
    finance, finance_password = _ensure_user(finance_email(admin_email), "finance", None, "Demo Finance")
    place_in_finance(finance)
    planned = add_payment_plans(admin, finance, [str(number) for number in numbers if number])
    return DemoReport(
        created=created,
        skipped=skipped,
        admin_password=new_password,
        finance_email=finance.email,
        finance_password=finance_password,
        planned=planned,
        statuses=dict(statuses),
    )


def _register_as_signed(admin: User, contract: Contract) -> None:
    """The demo contracts were signed on paper: they are in force (or past it) from the start."""
    if contract.signed_date is not None and contract.signed_date <= clock.today():
        transition(admin, contract, states.IN_FORCE, "Demo: signed outside Pactum.")
