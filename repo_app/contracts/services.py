"""Contract operations: upload, new versions, metadata, trash. Each one validates, changes
the session, records an audit event and sends its signal; the unit of work commits it all, or
nothing (``core/uow.py``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, cast

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from indexer import FileFormat, FormatRejected, RejectionReason, detect_format
from storage import BlobTooLarge, StoredBlob

from ..auth.models import User
from ..auth.roles import Permission
from ..core import clock, signals, uow
from ..core.audit import record
from ..core.errors import Duplicate, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from ..core.extensions import blob_store, db, settings
from ..core.pagination import Page, paginate
from . import access, custom_fields
from .blobs import blobs_in_use
from .models import (
    Contract,
    ContractParty,
    ContractType,
    ContractVersion,
    Counterparty,
    Department,
    Tag,
)
from .retention import refuse_if_held
from .schemas import ContractMetadata
from .status import VersionStatus

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file: a seekable stream and the name the user gave it."""

    stream: BinaryIO
    filename: str

    @classmethod
    def of(cls, upload: FileStorage) -> IncomingFile:
        """A file sent in a form or a multipart request. Werkzeug types its stream as IO[bytes];
        it is a binary file (a BytesIO or a spooled temporary file)."""
        return cls(stream=cast(BinaryIO, upload.stream), filename=upload.filename or "upload")


def clean_filename(name: str | None) -> str:
    """The last path part of a user-supplied name, without control characters (Chinese kept)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:255] or "upload"


def create_contract(user: User, upload: IncomingFile, metadata: ContractMetadata) -> Contract:
    access.require(user, Permission.CONTRACT_CREATE)
    with _stored(user, upload) as (file_format, blob):
        contract = Contract(owner_id=user.id, title=_default_title(upload.filename))
        db.session.add(contract)
        _apply_metadata(contract, metadata, creating=True)
        if contract.department is None:
            # The owner's department is where a contract belongs unless it says otherwise.
            contract.department_id = user.department_id
        version = _new_version(contract, user, upload, file_format, blob, number=1)
        db.session.flush()
        record(
            "contract.create",
            actor=user,
            contract_id=contract.id,
            version_id=version.id,
            filename=version.original_filename,
            sha256=blob.sha256,
            metadata=metadata.model_dump(mode="json", exclude_none=True),
        )
    signals.send(signals.contract_created, contract=contract, version=version, user=user)
    return contract


def add_version(user: User, contract: Contract, upload: IncomingFile) -> ContractVersion:
    access.require(user, Permission.CONTRACT_EDIT)
    with _stored(user, upload, contract=contract) as (file_format, blob):
        number = next_version_number(contract)
        version = _new_version(contract, user, upload, file_format, blob, number=number)
        contract.updated_at = clock.now()
        db.session.flush()
        record(
            "version.create",
            actor=user,
            contract_id=contract.id,
            version_id=version.id,
            number=number,
            filename=version.original_filename,
            sha256=blob.sha256,
        )
    signals.send(signals.version_added, contract=contract, version=version, user=user)
    return version


def list_contracts(user: User, page: int, per_page: int) -> Page[Contract]:
    """The contracts ``user`` may read, newest first."""
    query = access.visible_contracts(user).order_by(Contract.created_at.desc(), Contract.id.desc())
    return paginate(query, page, per_page)


def list_trash(user: User, page: int, per_page: int) -> Page[Contract]:
    query = access.visible_contracts(user, trash=True).order_by(Contract.deleted_at.desc())
    return paginate(query, page, per_page)


def next_version_number(contract: Contract) -> int:
    """Versions are numbered 1, 2, 3 … per contract (the database enforces uniqueness)."""
    highest = db.session.scalar(
        select(func.max(ContractVersion.number)).where(ContractVersion.contract_id == contract.id)
    )
    return (highest or 0) + 1


def update_metadata(user: User, contract: Contract, metadata: ContractMetadata) -> Contract:
    access.require(user, Permission.CONTRACT_EDIT)
    before = metadata_snapshot(contract)
    _apply_metadata(contract, metadata, creating=False)
    db.session.flush()
    after = metadata_snapshot(contract)
    changes = {
        key: {"old": before.get(key), "new": after.get(key)}
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    }
    if changes:
        contract.updated_at = clock.now()
        record("contract.update", actor=user, contract_id=contract.id, changes=changes)
        signals.send(signals.metadata_changed, contract=contract, user=user, changes=changes)
    return contract


def move_to_trash(user: User, contract: Contract) -> None:
    access.require(user, Permission.CONTRACT_DELETE)
    refuse_if_held(contract)
    contract.deleted_at = clock.now()
    contract.deleted_by_id = user.id
    record("contract.trash", actor=user, contract_id=contract.id, title=contract.title)
    signals.send(signals.contract_removed, contract=contract, user=user, action="trash")


def restore_from_trash(user: User, contract: Contract) -> None:
    access.require(user, Permission.TRASH_MANAGE)
    if contract.deleted_at is None:
        return
    contract.deleted_at = None
    contract.deleted_by_id = None
    record("contract.restore", actor=user, contract_id=contract.id, title=contract.title)
    signals.send(signals.contract_removed, contract=contract, user=user, action="restore")


def find_version(contract: Contract, number: str | int) -> ContractVersion:
    """A version by number, or ``"latest"``."""
    if number == "latest":
        if contract.latest_version is None:
            raise NotFound(_("This contract has no file."))
        return contract.latest_version
    for version in contract.versions:
        if str(version.number) == str(number):
            return version
    raise NotFound(_("No such version."))


def metadata_snapshot(contract: Contract) -> dict[str, Any]:
    """The metadata as the audit trail compares it; custom fields as ``custom_fields.<key>``."""
    custom = {f"custom_fields.{key}": value for key, value in custom_fields.stored_values(contract.id).items()}
    return custom | {
        "title": contract.title,
        "contract_number": contract.contract_number,
        "contract_type": contract.contract_type_code,
        "counterparties": contract.counterparty_names,
        "amount": None if contract.amount is None else f"{contract.amount:.2f}",
        "currency": contract.currency,
        "signed_date": _iso(contract.signed_date),
        "effective_date": _iso(contract.effective_date),
        "expiry_date": _iso(contract.expiry_date),
        "department": contract.department.name if contract.department else None,
        "tags": [tag.name for tag in contract.tags],
        "description": contract.description,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- storing a file ----------------------------------------------------------------------

_REJECTION_STATUS = {
    RejectionReason.UNSUPPORTED: UnsupportedMediaType,
    RejectionReason.ENCRYPTED_OFFICE: UnsupportedMediaType,
    RejectionReason.EMPTY: ValidationFailed,
    RejectionReason.TRUNCATED: ValidationFailed,
}


def _rejection_message(reason: RejectionReason) -> str:
    messages = {
        RejectionReason.EMPTY: _("The file is empty."),
        RejectionReason.UNSUPPORTED: _(
            "This kind of file is not accepted. Upload PDF, DOCX, DOC, ODT, RTF, TXT, PNG, JPEG or TIFF."
        ),
        RejectionReason.TRUNCATED: _("The file is damaged or incomplete (it ends early). Upload the complete file."),
        RejectionReason.ENCRYPTED_OFFICE: _(
            "The Word document is password-protected. Remove the password and upload it again."
        ),
    }
    return messages[reason]


def _identify(upload: IncomingFile) -> FileFormat:
    try:
        return detect_format(upload.stream)
    except FormatRejected as rejected:
        error_class = _REJECTION_STATUS[rejected.reason]
        raise error_class(
            _rejection_message(rejected.reason), reason=rejected.reason.value, detail=rejected.detail
        ) from None


def _sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _check_duplicate(user: User, sha256: str, contract: Contract | None) -> None:
    """Refuse bytes that are stored already. The answer names the contract holding them only
    when ``user`` may open it: a title or an id can itself be confidential."""
    existing = db.session.scalars(
        select(ContractVersion).where(ContractVersion.sha256 == sha256).order_by(ContractVersion.id)
    ).first()
    if existing is None:
        return
    owner = existing.contract
    if not _may_open(user, owner):
        raise Duplicate(_("An identical file is already stored in a contract you cannot open."))
    if contract is not None and owner.id == contract.id:
        message = _("This file is already version %(n)d of this contract.", n=existing.number)
    elif owner.deleted_at is not None:
        message = _("An identical file is already stored in a contract in the trash.")
    else:
        message = _(
            "An identical file is already stored: %(title)s (version %(n)d).", title=owner.title, n=existing.number
        )
    raise Duplicate(message, contract_id=owner.id, version=existing.number, contract_url=f"/contracts/{owner.id}")


def _may_open(user: User, contract: Contract) -> bool:
    """What :func:`access.get_contract` would show ``user``: readable, and out of the trash
    unless the user manages the trash."""
    if not access.may(user, contract, Permission.CONTRACT_READ):
        return False
    return contract.deleted_at is None or user.can(Permission.TRASH_MANAGE)


@contextmanager
def _stored(
    user: User, upload: IncomingFile, contract: Contract | None = None
) -> Iterator[tuple[FileFormat, StoredBlob]]:
    """Check and store the file, then let the caller record it.

    If the unit of work rolls back instead of committing, a blob this upload created is
    removed again, so a failed upload leaves nothing behind.
    """
    file_format = _identify(upload)
    _check_duplicate(user, _sha256_of(upload.stream), contract)
    limit = settings().max_upload_bytes
    try:
        blob = blob_store().save(upload.stream, file_format.media_type, max_size=limit)
    except BlobTooLarge:
        raise PayloadTooLarge(
            _("The file is larger than the upload limit of %(mb)d MB.", mb=settings().max_upload_mb)
        ) from None
    discard_on_rollback(blob)
    try:
        yield file_format, blob
    except BaseException:
        uow.rollback()
        raise


def discard_on_rollback(blob: StoredBlob) -> None:
    """Remove a blob just stored for a new version again if the unit of work rolls back."""
    if blob.created:
        uow.after_rollback(lambda: _remove_unreferenced(blob.key), key=("blob", blob.key))


def _remove_unreferenced(key: str) -> None:
    """After a rollback: remove a blob no committed version points to (another upload of the
    same bytes may have committed meanwhile)."""
    if not blobs_in_use({key}):
        blob_store().delete(key)


def _new_version(
    contract: Contract, user: User, upload: IncomingFile, file_format: FileFormat, blob: StoredBlob, *, number: int
) -> ContractVersion:
    version = ContractVersion(
        number=number,
        blob_key=blob.key,
        sha256=blob.sha256,
        size=blob.size,
        media_type=file_format.media_type,
        original_filename=clean_filename(upload.filename),
        uploaded_by_id=user.id,
        origin="uploaded",
        status=VersionStatus.PROCESSING,
    )
    contract.versions.append(version)
    return version


def _default_title(filename: str) -> str:
    stem = clean_filename(filename).rsplit(".", 1)[0]
    return re.sub(r"[_]+", " ", stem).strip() or "Untitled"


# --- metadata ----------------------------------------------------------------------------


def _apply_metadata(contract: Contract, metadata: ContractMetadata, *, creating: bool) -> None:
    sent = metadata.model_fields_set
    simple = ("title", "contract_number", "currency", "signed_date", "effective_date", "expiry_date", "description")
    for name in simple:
        if name in sent:
            setattr(contract, name, getattr(metadata, name))
    if "title" in sent and not metadata.title:
        raise ValidationFailed(_("The title cannot be empty."))
    if "amount" in sent:
        contract.amount = metadata.amount
    if contract.amount is not None and not contract.currency:
        contract.currency = "CNY"
    type_before = contract.contract_type_code
    if "contract_type" in sent:
        contract.contract_type_code = _contract_type_code(metadata.contract_type)
    if "department" in sent:
        contract.department = _department(metadata.department)
    if "counterparties" in sent:
        _set_counterparties(contract, metadata.counterparties or [])
    if "tags" in sent:
        contract.tags = [_find_or_create(Tag, name) for name in metadata.tags or []]
    _check_dates(contract)
    custom_fields.apply_values(
        contract,
        metadata.custom_fields if "custom_fields" in sent else None,
        creating=creating,
        type_changed=not creating and contract.contract_type_code != type_before,
    )


def _check_dates(contract: Contract) -> None:
    if contract.effective_date and contract.expiry_date and contract.expiry_date < contract.effective_date:
        raise ValidationFailed(_("The expiry date is before the effective date."))


def _contract_type_code(code: str | None) -> str | None:
    if code is None:
        return None
    known = db.session.get(ContractType, code)
    if known is None:
        names = ", ".join(db.session.scalars(select(ContractType.code).order_by(ContractType.position)))
        raise ValidationFailed(_("Unknown contract type %(code)s. Known types: %(names)s.", code=code, names=names))
    return code


def _department(name: str | None) -> Department | None:
    if name is None:
        return None
    department = db.session.scalar(select(Department).where(Department.name == name))
    if department is None:
        raise ValidationFailed(_("Unknown department %(name)s.", name=name))
    return department


def _set_counterparties(contract: Contract, names: list[str]) -> None:
    contract.parties = [
        ContractParty(counterparty=_find_or_create(Counterparty, name), position=index)
        for index, name in enumerate(names)
    ]


def _find_or_create(model: type[Tag] | type[Counterparty], name: str) -> Any:
    existing = db.session.scalar(select(model).where(model.name == name))
    if existing is not None:
        return existing
    created = model(name=name)
    db.session.add(created)
    return created
