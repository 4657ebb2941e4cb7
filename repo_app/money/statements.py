"""Bank statement import: each line of a statement is matched to an open instalment and, once
the user confirms, recorded through :func:`services.record_payment` (so audit, the
``payment.recorded`` notification and webhook, balances and reminders follow as for a payment
typed in by hand).

Matching, for the instalments of contracts the user may record payments on, credit lines
against receivable instalments and debit lines against payable ones:

1. the memo names an instalment (``HT-2026-001/2``, ``HT-2026-001 第2期``) or a contract number;
2. else the line's party is a party of the contract (folded name as in the directory, or the
   统一社会信用代码) and the amount is exactly what the instalment still lacks;
3. else the party fits but the amount does not single one out: the instalments are candidates.

Idempotent: a file is known by its SHA-256 (the earlier import is returned), and a line whose
fingerprint (date, amount, direction, party, transaction id or memo) was recorded from another
file is marked a duplicate, never recorded twice.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..contracts.party_names import name_key
from ..contracts.services import IncomingFile, clean_filename
from ..core import clock
from ..core.audit import record
from ..core.errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from ..core.extensions import db, settings
from . import balances, services, statement_files
from .models import Direction, Instalment
from .statement_models import OPEN_STATES, RowState, StatementImport, StatementRow

#: Direction of the instalments a line may pay.
_DIRECTION_OF = {"credit": Direction.RECEIVABLE, "debit": Direction.PAYABLE}
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
#: What may follow a contract number to name one of its instalments: "/2", "#2", "-第2期".
_INSTALMENT_SUFFIX = re.compile(r"^\s*(?:[/#]|-?第)\s*(\d{1,2})")


@dataclass
class Open:
    """An open instalment the current user may record a payment against."""

    instalment: Instalment
    contract: Contract
    open_amount: Decimal
    due: date | None
    party_keys: set[str] = field(default_factory=set)
    credit_codes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Proposal:
    state: RowState
    instalment_id: int | None = None
    confidence: int | None = None
    reason: str | None = None
    candidates: tuple[int, ...] = ()


# --- reading the file --------------------------------------------------------------------------


def get_import(import_id: int) -> StatementImport:
    found = db.session.get(StatementImport, import_id)
    if found is None:
        raise NotFound(_("No such statement import."))
    return found


def get_row(statement: StatementImport, row_id: int) -> StatementRow:
    found = db.session.get(StatementRow, row_id)
    if found is None or found.import_id != statement.id:
        raise NotFound(_("No such statement line."))
    return found


def recent_imports(limit: int = 50) -> list[StatementImport]:
    query = select(StatementImport).order_by(StatementImport.uploaded_at.desc(), StatementImport.id.desc())
    return list(db.session.scalars(query.limit(limit)))


def import_statement(user: User, upload: IncomingFile) -> tuple[StatementImport, bool]:
    """Read a statement file; returns the import and whether it is new (False: the same file
    was imported before, and that import is returned untouched)."""
    access.require(user, Permission.PAYMENT_RECORD)
    data = upload.stream.read(settings().max_upload_bytes + 1)
    if len(data) > settings().max_upload_bytes:
        raise PayloadTooLarge(_("The file is larger than the upload limit of %(mb)d MB.", mb=settings().max_upload_mb))
    digest = hashlib.sha256(data).hexdigest()
    earlier = db.session.scalar(select(StatementImport).where(StatementImport.sha256 == digest))
    if earlier is not None:
        return earlier, False
    filename = clean_filename(upload.filename)
    table = statement_files.read_table(data, filename)
    statement = StatementImport(
        sha256=digest,
        filename=filename,
        header=table.header,
        columns=table.columns,
        needs_mapping=not statement_files.usable(table.columns),
        uploaded_by_id=user.id,
        uploaded_at=clock.now(),
    )
    statement.rows = [StatementRow(position=index + 1, cells=line) for index, line in enumerate(table.lines)]
    db.session.add(statement)
    db.session.flush()
    if not statement.needs_mapping:
        _read_rows(user, statement)
    record("statement.import", filename=filename, rows=len(statement.rows), import_id=statement.id)
    return statement, True


def set_columns(user: User, statement: StatementImport, raw: Mapping[str, Any]) -> StatementImport:
    """The user's choice of columns (field → column index; ``reference`` one or more)."""
    access.require(user, Permission.PAYMENT_RECORD)
    if any(row.state not in (*OPEN_STATES, RowState.UNREADABLE, RowState.DUPLICATE) for row in statement.rows):
        raise Conflict(_("Lines of this import were recorded or ignored already: its columns stay."))
    width = len(statement.header)
    columns: dict[str, Any] = {"reference": []}
    for name in statement_files.FIELDS:
        values = raw.get(name)
        items = values if isinstance(values, list) else [values]
        picked = [_column_index(item, width, name) for item in items]
        picked = [index for index in picked if index is not None]
        if name == "reference":
            columns["reference"] = picked
        elif picked:
            columns[name] = picked[0]
    if not statement_files.usable(columns):
        raise ValidationFailed(_("Choose the date column and an amount (or credit and debit) column."), field="date")
    statement.columns = columns
    statement.needs_mapping = False
    _read_rows(user, statement)
    return statement


def _column_index(value: Any, width: int, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        index = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("%(name)s must be a column number.", name=name), field=name) from None
    if isinstance(value, bool) or not 0 <= index < width:
        raise ValidationFailed(_("%(name)s must be a column number.", name=name), field=name)
    return index


def _read_rows(user: User, statement: StatementImport) -> None:
    """Read every line with the import's columns, mark duplicates, propose instalments."""
    seen: Counter[str] = Counter()
    for row in statement.rows:
        line = statement_files.read_line(row.cells, statement.columns)
        if line is None or line.amount == 0:
            _set_values(row, None)
            continue
        _set_values(row, line)
        key = _fingerprint_key(row)
        seen[key] += 1
        row.fingerprint = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()
    db.session.flush()
    propose(user, statement)


def _set_values(row: StatementRow, line: statement_files.Line | None) -> None:
    row.booked_on = line.booked_on if line else None
    row.amount = services.cents(abs(line.amount)) if line else None
    row.direction = ("credit" if line.amount > 0 else "debit") if line else None
    row.counterparty = (line.counterparty or None) if line else None
    row.reference = (line.reference or None) if line else None
    row.transaction_id = (line.transaction_id or None) if line else None
    row.currency = line.currency if line else None
    row.fingerprint = None
    row.state = RowState.UNMATCHED if line else RowState.UNREADABLE


def _fingerprint_key(row: StatementRow) -> str:
    said = row.transaction_id or _folded(row.reference or "")
    party = name_key(row.counterparty or "")
    return f"{row.booked_on}|{row.direction}|{row.amount}|{party}|{said}"


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


# --- proposals ---------------------------------------------------------------------------------


def open_instalments(user: User, direction: str) -> list[Open]:
    """Open instalments of ``direction`` on contracts ``user`` may record payments on."""
    visible = access.visible_contracts(user).with_only_columns(Contract.id).where(Contract.deleted_at.is_(None))
    query = (
        select(Instalment, Contract)
        .join(Contract, Contract.id == Instalment.contract_id)
        .where(Instalment.settled_on.is_(None), Contract.id.in_(visible))
    )
    found = list(db.session.execute(query.order_by(Instalment.contract_id, Instalment.position)).tuples())
    ledger = balances.Ledger.of(contract.id for _row, contract in found)
    allowed: dict[int, bool] = {}
    result: list[Open] = []
    for instalment, contract in found:
        if ledger.directions.get(contract.id, Direction.RECEIVABLE) != direction:
            continue
        if contract.id not in allowed:
            allowed[contract.id] = services.may_record(user, contract)
        planned = services.planned_amount(instalment, contract)
        if not allowed[contract.id] or planned is None:
            continue
        open_amount = planned - ledger.paid.get(instalment.id, Decimal(0))
        if open_amount <= 0:
            continue
        parties = [party.counterparty for party in contract.parties]
        result.append(
            Open(
                instalment,
                contract,
                open_amount,
                services.due_of(instalment, contract).day,
                {key for party in parties for key in (party.name_key, name_key(party.name_en or "")) if key},
                {party.credit_code for party in parties if party.credit_code},
            )
        )
    return result


def propose(user: User, statement: StatementImport) -> None:
    """A proposal for every open line of ``statement`` (duplicates of recorded lines marked)."""
    pools = {direction: open_instalments(user, direction) for direction in _DIRECTION_OF.values()}
    for row in statement.rows:
        if row.state not in OPEN_STATES or row.direction is None:
            continue
        earlier = _recorded_twin(row)
        if earlier is not None:
            row.state = RowState.DUPLICATE
            row.duplicate_of_id = earlier.id
            row.instalment_id = earlier.instalment_id
            continue
        proposal = match(row, pools[_DIRECTION_OF[row.direction]])
        row.state = proposal.state
        row.instalment_id = proposal.instalment_id
        row.confidence = proposal.confidence
        row.reason = proposal.reason
        row.candidates = list(proposal.candidates)
    db.session.flush()


def _recorded_twin(row: StatementRow) -> StatementRow | None:
    if row.fingerprint is None:
        return None
    query = select(StatementRow).where(
        StatementRow.fingerprint == row.fingerprint,
        StatementRow.state == RowState.RECORDED,
        StatementRow.id != row.id,
    )
    return db.session.scalar(query.limit(1))


def _in_currency_of(row: StatementRow, instalment: Instalment) -> bool:
    """The line is in the instalment's currency, or its file names none."""
    return not row.currency or row.currency == instalment.currency


def match(row: StatementRow, pool: list[Open]) -> Proposal:
    """The proposal for one line among the open instalments of its direction (and of its
    currency, when the file says it)."""
    amount = Decimal(row.amount or 0)
    pool = [item for item in pool if _in_currency_of(row, item.instalment)]
    by_reference = _by_reference(row.reference or "", pool)
    if by_reference is not None:
        return by_reference(amount)
    party = name_key(row.counterparty or "")
    codes = set(_CREDIT_CODE.findall(f"{row.counterparty or ''} {row.reference or ''}".upper()))
    fitting = [item for item in pool if (party and party in item.party_keys) or codes & item.credit_codes]
    exact = [item for item in fitting if item.open_amount == amount]
    if len(exact) == 1:
        return Proposal(RowState.MATCHED, exact[0].instalment.id, 80, "counterparty_amount")
    if fitting:
        return Proposal(RowState.AMBIGUOUS, candidates=tuple(item.instalment.id for item in (exact or fitting)))
    return Proposal(RowState.UNMATCHED)


class _ReferenceMatch:
    """The instalments of the contracts whose number the memo names, and the one it names."""

    def __init__(self, named: list[Open], positions: set[int]) -> None:
        self.named = named
        self.positions = positions

    def __call__(self, amount: Decimal) -> Proposal:
        by_position = [item for item in self.named if item.instalment.position + 1 in self.positions]
        if len(by_position) == 1:
            return Proposal(RowState.MATCHED, by_position[0].instalment.id, 95, "instalment_reference")
        exact = [item for item in self.named if item.open_amount == amount]
        if len(exact) == 1:
            return Proposal(RowState.MATCHED, exact[0].instalment.id, 90, "contract_number")
        if len({item.contract.id for item in self.named}) == 1:
            # One contract, the amount fits none exactly: its oldest open instalment first.
            oldest = min(self.named, key=lambda item: (item.due or date.max, item.instalment.position))
            confidence = 75 if len(self.named) == 1 else 60
            return Proposal(RowState.MATCHED, oldest.instalment.id, confidence, "contract_number")
        return Proposal(RowState.AMBIGUOUS, candidates=tuple(item.instalment.id for item in (exact or self.named)))


def _by_reference(memo: str, pool: Iterable[Open]) -> _ReferenceMatch | None:
    text = unicodedata.normalize("NFKC", memo).casefold()
    if not text:
        return None
    named: list[Open] = []
    positions: set[int] = set()
    for item in pool:
        number = unicodedata.normalize("NFKC", item.contract.contract_number or "").casefold().strip()
        if len(number) < 4:
            continue
        for found in re.finditer(re.escape(number), text):
            after = text[found.end() :]
            if after[:1].isalnum() and not after.startswith("第"):
                continue  # HT-2026-0011 is not HT-2026-001
            named.append(item)
            suffix = _INSTALMENT_SUFFIX.match(after)
            if suffix:
                positions.add(int(suffix[1]))
            break
    return _ReferenceMatch(named, positions) if named else None


# --- decisions ---------------------------------------------------------------------------------


def _open_row(row: StatementRow) -> None:
    if row.state not in OPEN_STATES:
        raise Conflict(_("This line was dealt with already."))


def _record(user: User, row: StatementRow, instalment: Instalment) -> bool:
    """Record the line as a payment against ``instalment``; False when the same transaction
    was recorded from another file meanwhile (the line becomes a duplicate)."""
    twin = _recorded_twin(row)
    if twin is not None:
        row.state = RowState.DUPLICATE
        row.duplicate_of_id = twin.id
        db.session.flush()
        return False
    contract = access.get_contract(user, instalment.contract_id)
    wanted = _DIRECTION_OF.get(row.direction or "")
    if wanted is None or services.direction_of(contract) != wanted:
        raise ValidationFailed(
            _("Money received pays a receivable instalment, money paid out a payable one."), field="instalment_id"
        )
    assert row.amount is not None and row.booked_on is not None
    if row.currency == statement_files.UNKNOWN_CURRENCY:
        raise ValidationFailed(
            _("The file names a currency for this line that Pactum does not know: record it by hand."),
            field="instalment_id",
        )
    if not _in_currency_of(row, instalment):
        raise ValidationFailed(
            _(
                "This line is in %(line)s and the instalment in %(instalment)s: record it by hand, converted.",
                line=row.currency,
                instalment=instalment.currency,
            ),
            field="instalment_id",
        )
    if not _claim(row):
        db.session.refresh(row)
        return False
    payment = services.record_payment(
        user,
        contract,
        instalment,
        {
            "amount": str(row.amount),
            "paid_on": row.booked_on.isoformat(),
            "method": "transfer",
            "reference": row.transaction_id or row.reference or "",
            "note": _("Bank statement %(file)s, line %(line)d", file=row.statement.filename, line=row.position),
        },
    )
    row.payment_id = payment.id
    row.instalment_id = instalment.id
    row.state = RowState.RECORDED
    row.decided_by_id = user.id
    row.decided_at = clock.now()
    db.session.flush()
    return True


def _claim(row: StatementRow, state: RowState = RowState.RECORDED) -> bool:
    """Move the line out of the open states in the database itself: False when another request
    recorded, assigned or ignored it since this one read it (two people confirming the same file
    at once record each line once; the loser's update finds the line no longer open)."""
    taken = db.session.execute(
        update(StatementRow)
        .where(StatementRow.id == row.id, StatementRow.state.in_(OPEN_STATES))
        .values(state=state)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(taken, "rowcount", 0) == 1)


def confirm(user: User, statement: StatementImport, row_ids: Iterable[int] | None = None) -> int:
    """Record the matched lines (all of them, or those of ``row_ids``); returns how many."""
    access.require(user, Permission.PAYMENT_RECORD)
    wanted = set(row_ids) if row_ids is not None else None
    recorded = 0
    for row in statement.rows:
        if row.state != RowState.MATCHED or row.instalment_id is None:
            continue
        if wanted is not None and row.id not in wanted:
            continue
        instalment = db.session.get(Instalment, row.instalment_id)
        contract = db.session.get(Contract, instalment.contract_id) if instalment is not None else None
        if instalment is None or contract is None or not services.may_record(user, contract):
            continue  # proposed to someone else: this user does not see it as matched
        if not _in_currency_of(row, instalment):
            continue  # the instalment's currency changed since: the line waits to be assigned
        recorded += _record(user, row, instalment)
    if recorded:
        record("statement.confirm", import_id=statement.id, filename=statement.filename, rows=recorded)
    return recorded


def assign(user: User, statement: StatementImport, row: StatementRow, instalment_id: int) -> StatementRow:
    """Record the line against an instalment the user picked (a candidate or any open one)."""
    access.require(user, Permission.PAYMENT_RECORD)
    _open_row(row)
    instalment = db.session.get(Instalment, instalment_id)
    if instalment is None:
        raise NotFound(_("No such instalment."))
    if _record(user, row, instalment):
        record(
            "statement.confirm",
            contract_id=instalment.contract_id,
            import_id=statement.id,
            filename=statement.filename,
            rows=1,
        )
    elif row.state != RowState.DUPLICATE:
        raise Conflict(_("This line was dealt with already."))
    return row


def ignore(user: User, statement: StatementImport, row: StatementRow, reason: str | None) -> StatementRow:
    access.require(user, Permission.PAYMENT_RECORD)
    _open_row(row)
    if not reason or not reason.strip():
        raise ValidationFailed(_("Say why the line is ignored."), field="reason")
    if not _claim(row, RowState.IGNORED):
        raise Conflict(_("This line was dealt with already."))
    row.state = RowState.IGNORED
    row.ignore_reason = reason.strip()[:2000]
    row.decided_by_id = user.id
    row.decided_at = clock.now()
    db.session.flush()
    record(
        "statement.ignore",
        import_id=statement.id,
        filename=statement.filename,
        line=row.position,
        reason=row.ignore_reason,
    )
    return row


# --- showing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """An instalment as shown beside a line: which contract, due when, how much is open."""

    instalment_id: int
    contract_id: int
    contract_title: str
    contract_number: str | None
    position: int
    due: date | None
    currency: str
    open_amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "instalment_id": self.instalment_id,
            "contract_id": self.contract_id,
            "contract_title": self.contract_title,
            "contract_number": self.contract_number,
            "position": self.position,
            "due_date": self.due.isoformat() if self.due else None,
            "currency": self.currency,
            "open": str(self.open_amount),
        }


def choice_of(item: Open) -> Choice:
    return Choice(
        item.instalment.id,
        item.contract.id,
        item.contract.title,
        item.contract.contract_number,
        item.instalment.position + 1,
        item.due,
        item.instalment.currency,
        item.open_amount,
    )


@dataclass
class Review:
    """What one user sees of an import: proposals only on contracts they may record on."""

    statement: StatementImport
    choices: dict[str, list[Choice]]
    by_id: dict[int, Choice]

    def proposal(self, row: StatementRow) -> Choice | None:
        return self.by_id.get(row.instalment_id) if row.instalment_id is not None else None

    def candidates(self, row: StatementRow) -> list[Choice]:
        return [self.by_id[item] for item in row.candidates or [] if item in self.by_id]

    def state(self, row: StatementRow) -> str:
        """A proposal the viewer may not see reads as unmatched to them."""
        if row.state == RowState.MATCHED and self.proposal(row) is None:
            return RowState.UNMATCHED
        if row.state == RowState.AMBIGUOUS and not self.candidates(row):
            return RowState.UNMATCHED
        return row.state

    def counts(self) -> Counter[str]:
        return Counter(self.state(row) for row in self.statement.rows)


def review(user: User, statement: StatementImport) -> Review:
    choices = {
        direction: [choice_of(item) for item in open_instalments(user, str(kind))]
        for direction, kind in _DIRECTION_OF.items()
    }
    by_id = {choice.instalment_id: choice for items in choices.values() for choice in items}
    return Review(statement, choices, by_id)


def row_to_dict(view: Review, row: StatementRow) -> dict[str, Any]:
    proposal = view.proposal(row) if row.state != RowState.RECORDED else None
    return {
        "id": row.id,
        "line": row.position,
        "booked_on": row.booked_on.isoformat() if row.booked_on else None,
        "amount": str(row.amount) if row.amount is not None else None,
        "direction": row.direction,
        "counterparty": row.counterparty,
        "reference": row.reference,
        "transaction_id": row.transaction_id,
        "currency": row.currency,
        "state": view.state(row),
        "confidence": row.confidence if proposal is not None else None,
        "reason": row.reason if proposal is not None else None,
        "proposal": proposal.to_dict() if proposal is not None else None,
        "candidates": [choice.to_dict() for choice in view.candidates(row)]
        if view.state(row) == RowState.AMBIGUOUS
        else [],
        "payment_id": row.payment_id,
        "ignore_reason": row.ignore_reason,
        "duplicate_of": _twin_to_dict(row),
    }


def _twin_to_dict(row: StatementRow) -> dict[str, Any] | None:
    if row.duplicate_of_id is None:
        return None
    twin = db.session.get(StatementRow, row.duplicate_of_id)
    if twin is None:
        return None
    return {"import_id": twin.import_id, "line": twin.position}


def import_to_dict(view: Review) -> dict[str, Any]:
    statement = view.statement
    return {
        "id": statement.id,
        "filename": statement.filename,
        "sha256": statement.sha256,
        "uploaded_at": statement.uploaded_at.isoformat() + "Z",
        "uploaded_by": statement.uploaded_by.email if statement.uploaded_by else None,
        "needs_mapping": statement.needs_mapping,
        "header": statement.header,
        "columns": statement.columns,
        "counts": dict(view.counts()),
        "rows": [row_to_dict(view, row) for row in statement.rows],
    }
