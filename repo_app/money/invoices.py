"""Invoices of contracts: recording, checking, status moves, files and invoiced totals.

Rules:

* The kind follows the plan's direction: we issue invoices on a receivable contract and receive
  them on a payable one.
* Numbers follow the type: a paper VAT invoice has a 10- or 12-digit code and an 8-digit number,
  a fully digitalised invoice (数电票) a 20-digit number and no code, a foreign invoice any
  number of 1–40 characters. A requested invoice has no number yet.
* Chinese invoices are in CNY at one of the VAT rates; total = amount + tax to the cent, and the
  tax is the amount × rate within a cent. The same type + code + number is recorded once.
* Statuses move requested → issued → sent → received (confirmed); an issued, sent or received
  invoice can be reversed by a red-letter invoice (红冲) or voided (作废), with a reason.
* Invoiced totals count issued, sent and received invoices (their totals with tax).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from indexer.formats import FormatRejected, detect_format

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..contracts.services import IncomingFile
from ..core.audit import record
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..core.extensions import db
from ..lifecycle.services import interested
from ..notifications.links import path_for
from ..notifications.services import notify
from .invoice_models import COUNTED_STATUSES, MOVES, Invoice, InvoiceKind, InvoiceStatus, InvoiceType
from .labels import LABELS
from .models import Direction, Payment
from .services import BASE_CURRENCY, _currency, _day, _decimal, cents, direction_of, get_instalment, store_file

VAT_RATES = tuple(Decimal(rate) for rate in (0, 1, 3, 5, 6, 9, 13))
CHINESE_TYPES = (InvoiceType.VAT_SPECIAL, InvoiceType.VAT_NORMAL, InvoiceType.ELECTRONIC)
FILE_TYPES = ("application/pdf", "application/ofd", "image/png", "image/jpeg")
#: Fields a client may send (everything else an invoice has is kept by the service).
FIELDS = (
    "type",
    "code",
    "number",
    "issued_on",
    "amount",
    "tax_rate",
    "tax",
    "total",
    "currency",
    "buyer_name",
    "buyer_tax_id",
    "seller_name",
    "seller_tax_id",
    "note",
    "instalment_ids",
)


def may_record_invoice(user: User, contract: Contract) -> bool:
    return contract.deleted_at is None and access.may(user, contract, Permission.INVOICE_RECORD)


def require_recorder(user: User, contract: Contract) -> None:
    if not may_record_invoice(user, contract):
        raise Forbidden(_("Your role does not allow this."))


def invoices_of(contract: Contract) -> list[Invoice]:
    query = select(Invoice).where(Invoice.contract_id == contract.id)
    return list(db.session.scalars(query.order_by(Invoice.issued_on, Invoice.id)))


def get_invoice(contract: Contract, invoice_id: int) -> Invoice:
    found = db.session.get(Invoice, invoice_id)
    if found is None or found.contract_id != contract.id:
        raise NotFound(_("No such invoice."))
    return found


def kind_of(contract: Contract) -> str:
    return InvoiceKind.RECEIVED if direction_of(contract) == Direction.PAYABLE else InvoiceKind.ISSUED


# --- checking --------------------------------------------------------------------------------


def _text(values: Mapping[str, Any], name: str, limit: int) -> str | None:
    raw = values.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ValidationFailed(_("%(name)s must be text.", name=name), field=name)
    return str(raw).strip()[:limit] or None


def check_number(kind: str, code: str | None, number: str | None) -> tuple[str | None, str | None]:
    """The code and number without spaces, or :class:`ValidationFailed` saying what is wrong."""
    code = re.sub(r"\s+", "", code) if code else None
    number = re.sub(r"\s+", "", number) if number and kind != InvoiceType.FOREIGN else number
    if number is None:
        return code, None
    if kind == InvoiceType.ELECTRONIC:
        if code:
            raise ValidationFailed(_("A fully digitalised invoice (数电票) has no invoice code."), field="code")
        if not re.fullmatch(r"\d{20}", number):
            raise ValidationFailed(
                _("The number of a fully digitalised invoice (数电票) has 20 digits."), field="number"
            )
    elif kind == InvoiceType.FOREIGN:
        if len(number) > 40:
            raise ValidationFailed(_("A foreign invoice number has 1 to 40 characters."), field="number")
        if code and len(code) > 12:
            raise ValidationFailed(_("A foreign invoice code has at most 12 characters."), field="code")
    else:
        if not code or not re.fullmatch(r"\d{10}|\d{12}", code):
            raise ValidationFailed(_("The code of a paper VAT invoice has 10 or 12 digits."), field="code")
        if not re.fullmatch(r"\d{8}", number):
            raise ValidationFailed(_("The number of a paper VAT invoice has 8 digits."), field="number")
    return code, number


def check_sums(
    kind: str, amount: Decimal | None, rate: Decimal | None, tax: Decimal | None, total: Decimal | None
) -> tuple[Decimal, Decimal, Decimal]:
    """Amount before tax, tax and total, the missing ones worked out; refused with the reason
    when they do not agree (total = amount + tax exactly, tax = amount × rate within a cent)."""
    if amount is None or amount <= 0:
        raise ValidationFailed(_("The amount before tax must be more than zero."), field="amount")
    amount = cents(amount)
    if rate is not None and (rate < 0 or rate > 100):
        raise ValidationFailed(_("The tax rate is a percentage from 0 to 100."), field="tax_rate")
    if kind in CHINESE_TYPES and rate is not None and rate not in VAT_RATES:
        raise ValidationFailed(_("A Chinese VAT rate is 0, 1, 3, 5, 6, 9 or 13 %."), field="tax_rate")
    if tax is None:
        tax = cents(amount * rate / 100) if rate is not None else (total - amount if total is not None else Decimal(0))
    tax = cents(tax)
    if rate is not None:
        expected = cents(amount * rate / 100)
        if abs(expected - tax) > Decimal("0.01"):
            raise ValidationFailed(
                _(
                    "The tax %(tax)s is not %(rate)s%% of %(amount)s: that would be %(expected)s "
                    "(a difference of one cent from rounding is accepted).",
                    tax=f"{tax:,.2f}",
                    rate=f"{rate.normalize():f}",
                    amount=f"{amount:,.2f}",
                    expected=f"{expected:,.2f}",
                ),
                field="tax",
            )
    total = cents(total) if total is not None else amount + tax
    if total != amount + tax:
        raise ValidationFailed(
            _(
                "The total %(total)s is not the amount before tax plus the tax (%(amount)s + %(tax)s = %(sum)s).",
                total=f"{total:,.2f}",
                amount=f"{amount:,.2f}",
                tax=f"{tax:,.2f}",
                sum=f"{amount + tax:,.2f}",
            ),
            field="total",
        )
    return amount, tax, total


def _values(contract: Contract, values: Mapping[str, Any], status: str) -> dict[str, Any]:
    kind = values.get("type") or InvoiceType.ELECTRONIC
    if kind not in tuple(InvoiceType):
        raise ValidationFailed(_("type must be vat_special, vat_normal, electronic or foreign."), field="type")
    code, number = check_number(kind, _text(values, "code", 40), _text(values, "number", 60))
    if number is None and status != InvoiceStatus.REQUESTED:
        raise ValidationFailed(_("Give the invoice number (only a requested invoice has none yet)."), field="number")
    currency = _currency(values.get("currency"), (contract.currency or BASE_CURRENCY).upper())
    if kind in CHINESE_TYPES and currency != BASE_CURRENCY:
        raise ValidationFailed(_("A Chinese VAT invoice is in CNY."), field="currency")
    amount, tax, total = check_sums(
        kind,
        _decimal(values, "amount"),
        _decimal(values, "tax_rate"),
        _decimal(values, "tax"),
        _decimal(values, "total"),
    )
    return {
        "type": kind,
        "code": code,
        "number": number,
        "identity": f"{kind}:{code or ''}:{number}" if number else None,
        "issued_on": _day(values, "issued_on"),
        "amount": amount,
        "tax_rate": _decimal(values, "tax_rate"),
        "tax": tax,
        "total": total,
        "currency": currency,
        "buyer_name": _text(values, "buyer_name", 255),
        "buyer_tax_id": (_text(values, "buyer_tax_id", 20) or "").upper() or None,
        "seller_name": _text(values, "seller_name", 255),
        "seller_tax_id": (_text(values, "seller_tax_id", 20) or "").upper() or None,
        "note": _text(values, "note", 2000),
    }


def _instalment_ids(values: Mapping[str, Any]) -> list[int] | None:
    raw = values.get("instalment_ids")
    if raw is None:
        return None
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise ValidationFailed(_("instalment_ids must be a list of whole numbers."), field="instalment_ids")
    try:
        return [int(item) for item in items if str(item).strip() and not isinstance(item, bool)]
    except (TypeError, ValueError):
        raise ValidationFailed(_("instalment_ids must be a list of whole numbers."), field="instalment_ids") from None


def _refuse_duplicate(identity: str | None, invoice_id: int | None) -> None:
    if identity is None:
        return
    query = select(Invoice.id).where(Invoice.identity == identity)
    if invoice_id is not None:
        query = query.where(Invoice.id != invoice_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise Conflict(_("This invoice (same type, code and number) was recorded already."), field="number")


def file_type(upload: IncomingFile) -> str:
    """PDF, OFD (a ZIP with ``OFD.xml``), PNG or JPEG; anything else is refused."""
    head = upload.stream.read(4)
    upload.stream.seek(0)
    if head == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(upload.stream) as archive:
                if "OFD.xml" in archive.namelist():
                    return "application/ofd"
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
        finally:
            upload.stream.seek(0)
    else:
        try:
            media_type = detect_format(upload.stream).media_type
        except FormatRejected:
            media_type = ""
        if media_type in FILE_TYPES:
            return media_type
    raise ValidationFailed(_("The invoice file must be a PDF, an OFD file or an image (PNG, JPEG)."), field="file")


# --- recording -------------------------------------------------------------------------------


def create_invoice(
    user: User, contract: Contract, values: Mapping[str, Any], upload: IncomingFile | None = None
) -> Invoice:
    require_recorder(user, contract)
    status = values.get("status") or InvoiceStatus.ISSUED
    if status not in (InvoiceStatus.REQUESTED, InvoiceStatus.ISSUED, InvoiceStatus.SENT, InvoiceStatus.RECEIVED):
        raise ValidationFailed(_("A new invoice is requested, issued, sent or received."), field="status")
    cleaned = _values(contract, values, status)
    _refuse_duplicate(cleaned["identity"], None)
    invoice = Invoice(contract_id=contract.id, kind=kind_of(contract), status=status, created_by_id=user.id, **cleaned)
    _link(contract, invoice, _instalment_ids(values) or [])
    if upload is not None:
        _attach(invoice, upload)
    db.session.add(invoice)
    db.session.flush()
    record("invoice.create", contract_id=contract.id, invoice_id=invoice.id, invoice=label(invoice), status=status)
    _announce(user, contract, invoice, "")
    return invoice


def update_invoice(
    user: User, contract: Contract, invoice: Invoice, values: Mapping[str, Any], upload: IncomingFile | None = None
) -> Invoice:
    """Change the fields sent (the others stay); a void or reversed invoice is not changed."""
    require_recorder(user, contract)
    if invoice.status in (InvoiceStatus.VOID, InvoiceStatus.REVERSED):
        raise Conflict(_("A void or reversed invoice is not changed."))
    merged = {key: getattr(invoice, key) for key in FIELDS if key != "instalment_ids"}
    merged = {key: (str(value) if value is not None else None) for key, value in merged.items()}
    merged.update({key: value for key, value in values.items() if key in FIELDS})
    cleaned = _values(contract, merged, invoice.status)
    _refuse_duplicate(cleaned["identity"], invoice.id)
    changed = sorted(key for key, value in cleaned.items() if getattr(invoice, key) != value)
    for key in changed:
        setattr(invoice, key, cleaned[key])
    links = _instalment_ids(values)
    if links is not None:
        _link(contract, invoice, links)
        changed.append("instalment_ids")
    if upload is not None:
        _attach(invoice, upload)
        changed.append("file")
    db.session.flush()
    if changed:
        record(
            "invoice.update",
            contract_id=contract.id,
            invoice_id=invoice.id,
            invoice=label(invoice),
            fields=", ".join(changed),
        )
    return invoice


def move_invoice(user: User, contract: Contract, invoice: Invoice, status: str, reason: str | None) -> Invoice:
    """Move the invoice to ``status``; illegal moves are refused with the moves that are legal."""
    require_recorder(user, contract)
    if status not in tuple(InvoiceStatus):
        raise ValidationFailed(_("Unknown invoice status."), field="status")
    allowed = MOVES[invoice.status]
    if status not in allowed:
        raise Conflict(
            _(
                "An invoice that is %(current)s cannot become %(target)s (possible: %(allowed)s).",
                current=status_name(invoice.status),
                target=status_name(status),
                allowed=", ".join(status_name(item) for item in allowed) or _("none"),
            ),
            field="status",
        )
    if status in (InvoiceStatus.VOID, InvoiceStatus.REVERSED) and not (reason or "").strip():
        raise ValidationFailed(_("Say why the invoice is voided or reversed."), field="reason")
    if status == InvoiceStatus.ISSUED and invoice.number is None:
        raise Conflict(_("Give the invoice number before marking it issued."), field="number")
    previous = invoice.status
    invoice.status = status
    invoice.status_reason = (reason or "").strip()[:2000] or None
    db.session.flush()
    record(
        "invoice.status",
        contract_id=contract.id,
        invoice_id=invoice.id,
        invoice=label(invoice),
        status=status,
        previous=previous,
        reason=invoice.status_reason,
    )
    _announce(user, contract, invoice, previous)
    return invoice


def _link(contract: Contract, invoice: Invoice, instalment_ids: Iterable[int]) -> None:
    invoice.instalments = [get_instalment(contract, instalment_id) for instalment_id in dict.fromkeys(instalment_ids)]


def _attach(invoice: Invoice, upload: IncomingFile) -> None:
    stored = store_file(upload, file_type(upload), "invoice")
    invoice.file_key, invoice.file_name = stored.key, stored.name
    invoice.file_type, invoice.file_size = stored.media_type, stored.size


def label(invoice: Invoice) -> str:
    """How the audit trail and messages name an invoice: its number and total."""
    number = invoice.number or _("(no number yet)")
    return f"{number} · {invoice.currency} {Decimal(invoice.total):,.2f}"


def status_name(status: str) -> str:
    return str(LABELS.get(f"invoice.{status}", status))


def _announce(user: User, contract: Contract, invoice: Invoice, previous: str) -> None:
    notify(
        "invoice.status_changed",
        interested(contract),
        url=path_for("contracts.detail", contract_id=contract.id) + "#invoices",
        contract=contract,
        params={
            "invoice_id": invoice.id,
            "invoice": label(invoice),
            "number": invoice.number or "",
            "kind": invoice.kind,
            "status": invoice.status,
            "previous": previous,
            "total": f"{invoice.currency} {Decimal(invoice.total):,.2f}",
            "reason": invoice.status_reason or "",
        },
        exclude=user,
    )


# --- totals and blobs ------------------------------------------------------------------------


def invoiced_by_contract(contract_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """Per contract and currency, the totals of its counted invoices."""
    ids = sorted(set(contract_ids))
    found: dict[int, dict[str, Decimal]] = {}
    for start in range(0, len(ids), 500):
        query = (
            select(Invoice.contract_id, Invoice.currency, func.sum(Invoice.total))
            .where(Invoice.contract_id.in_(ids[start : start + 500]), Invoice.status.in_(COUNTED_STATUSES))
            .group_by(Invoice.contract_id, Invoice.currency)
        )
        for contract_id, currency, total in db.session.execute(query):
            found.setdefault(contract_id, {})[currency] = Decimal(total)
    return found


def invoiced(contract: Contract) -> dict[str, Decimal]:
    return invoiced_by_contract([contract.id]).get(contract.id, {})


def money_blobs(keys: set[str]) -> set[str]:
    """Those of ``keys`` an invoice file or a payment receipt is (a ``BLOB_HOLDERS`` entry)."""
    held = set(db.session.scalars(select(Invoice.file_key).where(Invoice.file_key.in_(keys))))
    held |= set(db.session.scalars(select(Payment.receipt_key).where(Payment.receipt_key.in_(keys))))
    return {key for key in held if key}


def contract_money_blobs(contract: Contract) -> set[str]:
    """The invoice files and receipts of ``contract`` (removed with it when it is purged)."""
    files = select(Invoice.file_key).where(Invoice.contract_id == contract.id, Invoice.file_key.is_not(None))
    receipts = select(Payment.receipt_key).where(Payment.contract_id == contract.id, Payment.receipt_key.is_not(None))
    return {key for key in db.session.scalars(files) if key} | {key for key in db.session.scalars(receipts) if key}
