"""Payment plans, payments and balances of contracts.

Rules:

* An instalment is an amount, or a percentage of the contract amount (then in the contract's
  currency). Its due date is fixed, or ``offset_days`` after the effective date, or after a
  milestone is done (until then after the milestone's due date, marked as estimated).
* The plan should add up to the contract amount; :func:`check_plan` says by how much it does not.
* Payments are in the instalment's currency, partial payments are allowed and an overpayment
  is recorded and flagged. A payment is never deleted: it is reversed, with a reason.
* Arithmetic is exact (:class:`~decimal.Decimal`); amounts are kept to the cent and every
  computed amount (a percentage, a conversion) is rounded to the cent half-up, once.
* Conversion uses ``PACTUM_FX_RATES`` (what one unit is worth in CNY): one rate per currency,
  applied to every date; a currency without a rate is not converted (shown as such).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from indexer.formats import FormatRejected, detect_format
from storage import BlobTooLarge

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..contracts.services import IncomingFile, clean_filename, discard_on_rollback
from ..core import clock
from ..core.audit import record
from ..core.errors import Conflict, Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from ..core.extensions import blob_store, db, settings
from ..lifecycle.config import parse_rates
from ..lifecycle.models import Milestone
from ..lifecycle.services import interested
from ..notifications.links import path_for
from ..notifications.services import notify
from .invoice_rule import require_invoice_before_payment
from .models import PAYMENT_METHODS, Direction, DueRule, Instalment, Payment, PaymentPlan

CENT = Decimal("0.01")
BASE_CURRENCY = "CNY"
MAX_AMOUNT = Decimal("9999999999999999.99")


def cents(value: Decimal) -> Decimal:
    """Rounded to the cent, half away from zero (the one rounding rule of money)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rates() -> dict[str, Decimal]:
    return parse_rates(settings().fx_rates)


def convert(amount: Decimal, source: str, target: str) -> Decimal | None:
    """``amount`` of ``source`` counted in ``target`` (via CNY), or None without a rate."""
    if source == target:
        return amount
    table = rates()
    if source not in table or target not in table:
        return None
    return cents(amount * table[source] / table[target])


# --- permissions ---------------------------------------------------------------------------


def may_plan(user: User, contract: Contract) -> bool:
    """Editors of the contract and finance staff who may read it set the plan."""
    if contract.deleted_at is not None:
        return False
    return access.may(user, contract, Permission.CONTRACT_EDIT) or access.may(user, contract, Permission.PAYMENT_RECORD)


def may_record(user: User, contract: Contract) -> bool:
    return contract.deleted_at is None and access.may(user, contract, Permission.PAYMENT_RECORD)


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden(_("Your role does not allow this."))


# --- the plan --------------------------------------------------------------------------------


def plan_of(contract: Contract) -> PaymentPlan | None:
    return db.session.get(PaymentPlan, contract.id)


def direction_of(contract: Contract) -> str:
    plan = plan_of(contract)
    return plan.direction if plan is not None else Direction.RECEIVABLE


def instalments(contract: Contract) -> list[Instalment]:
    query = select(Instalment).where(Instalment.contract_id == contract.id)
    return list(db.session.scalars(query.order_by(Instalment.position, Instalment.id)))


def get_instalment(contract: Contract, instalment_id: int) -> Instalment:
    found = db.session.get(Instalment, instalment_id)
    if found is None or found.contract_id != contract.id:
        raise NotFound(_("No such instalment."))
    return found


def planned_amount(instalment: Instalment, contract: Contract) -> Decimal | None:
    """The instalment's amount; a percentage needs the contract amount (None without one)."""
    if instalment.amount is not None:
        return Decimal(instalment.amount)
    if instalment.percent is None or contract.amount is None:
        return None
    return cents(Decimal(contract.amount) * Decimal(instalment.percent) / 100)


@dataclass(frozen=True)
class Due:
    day: date | None
    #: The milestone is not done yet: the date counts from its planned due date.
    estimated: bool = False


def due_of(instalment: Instalment, contract: Contract) -> Due:
    offset = timedelta(days=instalment.offset_days or 0)
    if instalment.due_rule == DueRule.EFFECTIVE:
        return Due(contract.effective_date + offset if contract.effective_date else None)
    if instalment.due_rule == DueRule.MILESTONE:
        milestone = db.session.get(Milestone, instalment.milestone_id) if instalment.milestone_id else None
        if milestone is None:
            return Due(None)
        if milestone.done_at is not None:
            return Due(milestone.done_at.date() + offset)
        return Due(milestone.due_date + offset, estimated=True)
    return Due(instalment.due_date)


def set_direction(user: User, contract: Contract, direction: str) -> PaymentPlan:
    _require(may_plan(user, contract))
    if direction not in tuple(Direction):
        raise ValidationFailed(_("direction must be receivable or payable."), field="direction")
    plan = plan_of(contract)
    if plan is None:
        plan = PaymentPlan(contract_id=contract.id, direction=direction)
        db.session.add(plan)
    elif plan.direction == direction:
        return plan
    plan.direction = direction
    db.session.flush()
    record("money.direction", contract_id=contract.id, direction=direction)
    return plan


def save_instalment(
    user: User, contract: Contract, instalment: Instalment | None, values: Mapping[str, Any]
) -> Instalment:
    """Add (``instalment`` None) or change one instalment; audited."""
    _require(may_plan(user, contract))
    if plan_of(contract) is None:
        db.session.add(PaymentPlan(contract_id=contract.id, direction=Direction.RECEIVABLE))
    cleaned = _instalment_values(contract, values)
    creating = instalment is None
    if instalment is None:
        position = max((row.position for row in instalments(contract)), default=-1) + 1
        instalment = Instalment(contract_id=contract.id, position=position)
        db.session.add(instalment)
    elif _has_payments(instalment) and cleaned["currency"] != instalment.currency:
        raise Conflict(_("Payments were recorded in this instalment's currency: it cannot change."), field="currency")
    for key, value in cleaned.items():
        setattr(instalment, key, value)
    db.session.flush()
    refresh_settled(instalment, contract)
    amount = planned_amount(instalment, contract)
    record(
        "instalment.create" if creating else "instalment.update",
        contract_id=contract.id,
        instalment_id=instalment.id,
        amount=f"{instalment.currency} {amount:,.2f}" if amount is not None else f"{instalment.percent}%",
    )
    return instalment


def delete_instalment(user: User, contract: Contract, instalment: Instalment) -> None:
    _require(may_plan(user, contract))
    if _has_payments(instalment):
        raise Conflict(_("Payments were recorded against this instalment: reverse them instead."))
    amount = planned_amount(instalment, contract)
    record(
        "instalment.delete",
        contract_id=contract.id,
        instalment_id=instalment.id,
        amount=f"{instalment.currency} {amount:,.2f}" if amount is not None else f"{instalment.percent}%",
    )
    db.session.delete(instalment)
    db.session.flush()


def replace_plan(user: User, contract: Contract, direction: str, items: list[Mapping[str, Any]]) -> None:
    """The API's whole-plan update: items with an ``id`` change that instalment, items without
    one are added, instalments not named are deleted (refused when they have payments)."""
    _require(may_plan(user, contract))
    set_direction(user, contract, direction)
    current = {row.id: row for row in instalments(contract)}
    named: set[int] = set()
    for index, item in enumerate(items):
        raw_id = item.get("id")
        if raw_id is not None and (not isinstance(raw_id, int) or isinstance(raw_id, bool) or raw_id not in current):
            raise ValidationFailed(
                _("instalments[%(n)d].id is not an instalment of this contract.", n=index),
                field=f"instalments[{index}].id",
            )
        if raw_id is not None:
            named.add(raw_id)
    for instalment_id, row in current.items():
        if instalment_id not in named:
            delete_instalment(user, contract, row)
    for index, item in enumerate(items):
        raw_id = item.get("id")
        row = save_instalment(user, contract, current.get(raw_id) if isinstance(raw_id, int) else None, item)
        row.position = index
    db.session.flush()


def _has_payments(instalment: Instalment) -> bool:
    return db.session.scalar(select(Payment.id).where(Payment.instalment_id == instalment.id).limit(1)) is not None


def _decimal(values: Mapping[str, Any], name: str) -> Decimal | None:
    raw = values.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValidationFailed(_("%(name)s must be an amount.", name=name), field=name)
    try:
        # A JSON number arrives as float: its shortest text is the number the client wrote.
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationFailed(_("%(name)s must be an amount.", name=name), field=name) from None
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        raise ValidationFailed(_("%(name)s must be an amount.", name=name), field=name)
    return value


def _int(values: Mapping[str, Any], name: str) -> int | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValidationFailed(_("%(name)s must be a whole number.", name=name), field=name)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed(_("%(name)s must be a whole number.", name=name), field=name) from None
    if abs(value) > 36_500:
        raise ValidationFailed(_("%(name)s must be a whole number.", name=name), field=name)
    return value


def _day(values: Mapping[str, Any], name: str) -> date | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationFailed(_("%(name)s must be a date like 2026-03-31.", name=name), field=name) from None


def _currency(raw: Any, default: str) -> str:
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str) or len(raw.strip()) != 3 or not raw.strip().isalpha():
        raise ValidationFailed(_("currency must be a three-letter code such as CNY."), field="currency")
    return raw.strip().upper()


def _instalment_values(contract: Contract, values: Mapping[str, Any]) -> dict[str, Any]:
    rule = values.get("due_rule") or DueRule.FIXED
    if rule not in tuple(DueRule):
        raise ValidationFailed(_("due_rule must be fixed, effective or milestone."), field="due_rule")
    contract_currency = (contract.currency or BASE_CURRENCY).upper()
    amount = _decimal(values, "amount")
    percent = _decimal(values, "percent")
    if (amount is None) == (percent is None):
        raise ValidationFailed(_("Give either an amount or a percentage of the contract amount."), field="amount")
    if amount is not None and amount <= 0:
        raise ValidationFailed(_("amount must be more than zero."), field="amount")
    if percent is not None and not 0 < percent <= 100:
        raise ValidationFailed(_("percent must be more than 0 and at most 100."), field="percent")
    currency = _currency(values.get("currency"), contract_currency)
    if percent is not None and currency != contract_currency:
        raise ValidationFailed(
            _("A percentage is of the contract amount, in the contract's currency."), field="currency"
        )
    cleaned: dict[str, Any] = {
        "due_rule": rule,
        "amount": cents(amount) if amount is not None else None,
        "percent": percent.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if percent is not None else None,
        "currency": currency,
        "condition": (str(values.get("condition") or "").strip() or None),
        "offset_days": _int(values, "offset_days") or 0,
        "due_date": None,
        "milestone_id": None,
    }
    if rule == DueRule.FIXED:
        cleaned["due_date"] = _day(values, "due_date")
        if cleaned["due_date"] is None:
            raise ValidationFailed(_("due_date is required for a fixed due date."), field="due_date")
    elif rule == DueRule.MILESTONE:
        milestone_id = _int(values, "milestone_id")
        milestone = db.session.get(Milestone, milestone_id) if milestone_id is not None else None
        if milestone is None or milestone.contract_id != contract.id:
            raise ValidationFailed(_("Choose a milestone of this contract."), field="milestone_id")
        cleaned["milestone_id"] = milestone.id
    return cleaned


@dataclass(frozen=True)
class PlanCheck:
    """How the plan compares with the contract amount (all in the contract's currency)."""

    currency: str
    planned: Decimal
    contract_amount: Decimal | None
    #: contract amount − planned (positive: not yet planned; negative: planned beyond it).
    difference: Decimal | None
    #: Instalments that could not be counted (a percentage without contract amount, no rate).
    uncounted: int

    @property
    def balanced(self) -> bool:
        return self.difference == 0 and self.uncounted == 0


def check_plan(contract: Contract, rows: Iterable[Instalment] | None = None) -> PlanCheck:
    currency = (contract.currency or BASE_CURRENCY).upper()
    total = Decimal(0)
    uncounted = 0
    for instalment in instalments(contract) if rows is None else rows:
        amount = planned_amount(instalment, contract)
        converted = convert(amount, instalment.currency, currency) if amount is not None else None
        if converted is None:
            uncounted += 1
        else:
            total += converted
    contract_amount = Decimal(contract.amount) if contract.amount is not None else None
    return PlanCheck(
        currency, total, contract_amount, contract_amount - total if contract_amount is not None else None, uncounted
    )


# --- payments --------------------------------------------------------------------------------


def payments(contract: Contract) -> list[Payment]:
    query = select(Payment).where(Payment.contract_id == contract.id)
    return list(db.session.scalars(query.order_by(Payment.paid_on, Payment.id)))


def get_payment(contract: Contract, payment_id: int) -> Payment:
    found = db.session.get(Payment, payment_id)
    if found is None or found.contract_id != contract.id:
        raise NotFound(_("No such payment."))
    return found


def paid_towards(instalment: Instalment) -> Decimal:
    query = select(Payment.amount).where(Payment.instalment_id == instalment.id, Payment.reversed_at.is_(None))
    return sum((Decimal(value) for value in db.session.scalars(query)), Decimal(0))


def _lock(instalment: Instalment) -> None:
    """Hold the instalment's row until commit (PostgreSQL; SQLite writes one at a time anyway):
    two payments recorded at once then sum each other's, and neither total is lost."""
    if db.engine.dialect.name != "sqlite" and instalment.id is not None:
        db.session.execute(select(Instalment.id).where(Instalment.id == instalment.id).with_for_update())


def refresh_settled(instalment: Instalment, contract: Contract, on: date | None = None) -> None:
    """Keep what was paid towards the instalment, and mark it settled (on ``on``, default today)
    once that reaches the planned amount, or open again after a reversal or a larger plan."""
    planned = planned_amount(instalment, contract)
    _lock(instalment)
    instalment.paid_amount = paid_towards(instalment)
    settled = planned is not None and instalment.paid_amount >= planned
    if settled and instalment.settled_on is None:
        instalment.settled_on = on or clock.today()
    elif not settled:
        instalment.settled_on = None


def record_payment(
    user: User,
    contract: Contract,
    instalment: Instalment,
    values: Mapping[str, Any],
    receipt: IncomingFile | None = None,
) -> Payment:
    """Record money received or paid against ``instalment``; an overpayment is flagged."""
    _require(may_record(user, contract))
    amount = _decimal(values, "amount")
    if amount is None or amount <= 0:
        raise ValidationFailed(_("amount must be more than zero."), field="amount")
    amount = cents(amount)
    _lock(instalment)  # before reading what was paid: the overpayment is judged on every payment
    require_invoice_before_payment(direction_of(contract), instalment)
    paid_on = _day(values, "paid_on") or clock.today()
    if paid_on > clock.today():
        raise ValidationFailed(_("paid_on cannot be in the future."), field="paid_on")
    method = values.get("method") or "transfer"
    if method not in PAYMENT_METHODS:
        raise ValidationFailed(_("Unknown payment method."), field="method")
    planned = planned_amount(instalment, contract)
    before = paid_towards(instalment)
    over = before + amount - planned if planned is not None and before + amount > planned else None
    payment = Payment(
        contract_id=contract.id,
        instalment_id=instalment.id,
        paid_on=paid_on,
        amount=amount,
        method=method,
        reference=(str(values.get("reference") or "").strip()[:120] or None),
        note=(str(values.get("note") or "").strip()[:2000] or None),
        overpaid=over,
        recorded_by_id=user.id,
        recorded_at=clock.now(),
    )
    if receipt is not None:
        _attach_receipt(payment, receipt)
    db.session.add(payment)
    db.session.flush()
    refresh_settled(instalment, contract, paid_on)
    text = f"{instalment.currency} {amount:,.2f}"
    record(
        "payment.record",
        contract_id=contract.id,
        payment_id=payment.id,
        amount=text,
        paid_on=paid_on.isoformat(),
        overpaid=f"{over:,.2f}" if over is not None else None,
    )
    notify(
        "payment.recorded",
        interested(contract),
        url=path_for("contracts.detail", contract_id=contract.id) + "#money",
        contract=contract,
        params={
            "amount": text,
            "paid_on": paid_on.isoformat(),
            "direction": direction_of(contract),
            "payment_id": payment.id,
            "reference": payment.reference or "",
            "overpaid": f"{over:,.2f}" if over is not None else "",
        },
        exclude=user,
    )
    return payment


def _attach_receipt(payment: Payment, receipt: IncomingFile) -> None:
    try:
        kind = detect_format(receipt.stream)
    except FormatRejected:
        raise ValidationFailed(_("The receipt must be a PDF or an image (PNG, JPEG, TIFF)."), field="receipt") from None
    if not kind.media_type.startswith("image/") and kind.media_type != "application/pdf":
        raise ValidationFailed(_("The receipt must be a PDF or an image (PNG, JPEG, TIFF)."), field="receipt")
    stored = store_file(receipt, kind.media_type, "receipt")
    payment.receipt_key, payment.receipt_name = stored.key, stored.name
    payment.receipt_type, payment.receipt_size = stored.media_type, stored.size


@dataclass(frozen=True)
class StoredFile:
    key: str
    name: str
    media_type: str
    size: int


def store_file(upload: IncomingFile, media_type: str, default_name: str) -> StoredFile:
    """Keep a document of the money feature (a receipt, an invoice) in the blob store; the blob
    goes again if the unit of work rolls back."""
    try:
        blob = blob_store().save(upload.stream, media_type, max_size=settings().max_upload_bytes)
    except BlobTooLarge:
        raise PayloadTooLarge(
            _("The file is larger than the upload limit of %(mb)d MB.", mb=settings().max_upload_mb)
        ) from None
    discard_on_rollback(blob)
    return StoredFile(blob.key, clean_filename(upload.filename)[:255] or default_name, media_type, blob.size)


def reverse_payment(user: User, contract: Contract, payment: Payment, reason: str | None) -> Payment:
    _require(may_record(user, contract))
    if payment.reversed_at is not None:
        raise Conflict(_("This payment was reversed already."))
    if not reason or not reason.strip():
        raise ValidationFailed(_("Say why the payment is reversed."), field="reason")
    payment.reversed_at = clock.now()
    payment.reversed_by_id = user.id
    payment.reversal_reason = reason.strip()[:2000]
    db.session.flush()
    refresh_settled(payment.instalment, contract)
    record(
        "payment.reverse",
        contract_id=contract.id,
        payment_id=payment.id,
        amount=f"{payment.instalment.currency} {Decimal(payment.amount):,.2f}",
        reason=payment.reversal_reason,
    )
    return payment


def amount_changed(sender: Any, *, contract: Contract, changes: Mapping[str, Any], **_: Any) -> None:
    """``metadata_changed`` receiver: a percentage instalment is worth more or less when the
    contract amount changes, so whether its payments settle it is decided again at once."""
    if not {"amount", "currency"} & set(changes):
        return
    for instalment in instalments(contract):
        if instalment.percent is not None:
            refresh_settled(instalment, contract)
    db.session.flush()
