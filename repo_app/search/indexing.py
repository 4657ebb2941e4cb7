"""Keeping the search index in step with the database, which stays the source of truth."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import Row, Select, select

from indexer.search import CustomValue, IndexDocument, SearchBackend

from ..auth.models import User
from ..contracts import custom_fields
from ..contracts.access import department_chain, readers_principals
from ..contracts.models import Contract, ContractGrant, ContractVersion, Department, VersionText
from ..core.extensions import db
from .rows import names_by_contract


def backend() -> SearchBackend:
    value: SearchBackend = current_app.extensions["pactum.search"]
    return value


def index_documents(contract_ids: Sequence[int]) -> list[IndexDocument]:
    """The searchable form of these contracts (those not in the trash, in id order): metadata,
    the text of each one's latest version and the principals allowed to read it.

    Read with a handful of column queries for the whole batch (contracts with their latest
    text, names, grants, the department tree) instead of an object graph and a text query per
    contract: this is what ``pactum reindex`` spends its time on besides segmenting."""
    if not contract_ids:
        return []
    rows = db.session.execute(_contract_rows(contract_ids)).all()
    ids = [row.id for row in rows]
    names = names_by_contract(ids)
    grants = _grants_by_contract(ids)
    parents = dict(db.session.execute(select(Department.id, Department.parent_id)).tuples().all())
    custom = custom_fields.index_values(ids)
    return [_document(row, names, grants.get(row.id, []), parents, custom.get(row.id, ())) for row in rows]


def _contract_rows(contract_ids: Sequence[int]) -> Select[Any]:
    latest_version = (
        select(ContractVersion.id)
        .where(ContractVersion.contract_id == Contract.id)
        .order_by(ContractVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            *_CONTRACT_COLUMNS,
            Department.name.label("department_name"),
            User.email.label("owner_email"),
            VersionText.text.label("text"),
            VersionText.page_offsets.label("page_offsets"),
        )
        .select_from(Contract)
        .outerjoin(Department, Department.id == Contract.department_id)
        .outerjoin(User, User.id == Contract.owner_id)
        .outerjoin(VersionText, VersionText.version_id == latest_version)
        .where(Contract.id.in_(contract_ids), Contract.deleted_at.is_(None))
        .order_by(Contract.id)
    )


_CONTRACT_COLUMNS = (
    Contract.id,
    Contract.title,
    Contract.contract_number,
    Contract.contract_type_code,
    Contract.status,
    Contract.amount,
    Contract.currency,
    Contract.signed_date,
    Contract.effective_date,
    Contract.expiry_date,
    Contract.created_at,
    Contract.owner_id,
    Contract.confidential,
    Contract.department_id,
    Contract.department_level,
)


def _grants_by_contract(ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
    found: dict[int, list[tuple[str, int]]] = {}
    query = select(ContractGrant.contract_id, ContractGrant.grantee_type, ContractGrant.grantee_id).where(
        ContractGrant.contract_id.in_(ids)
    )
    for contract_id, kind, grantee_id in db.session.execute(query):
        found.setdefault(contract_id, []).append((kind, grantee_id))
    return found


def _document(
    row: Row[Any],
    names: dict[tuple[int, str], list[str]],
    grants: list[tuple[str, int]],
    parents: dict[int, int | None],
    custom: tuple[tuple[str, CustomValue], ...] = (),
) -> IndexDocument:
    return IndexDocument(
        id=row.id,
        title=row.title,
        text=row.text or "",
        page_offsets=tuple(row.page_offsets or ()),
        contract_number=row.contract_number,
        contract_type=row.contract_type_code,
        status=row.status,
        counterparties=tuple(names.get((row.id, "party"), ())),
        tags=tuple(names.get((row.id, "tag"), ())),
        department=row.department_name,
        owner=row.owner_email,
        amount=row.amount,
        currency=row.currency,
        signed_date=row.signed_date,
        effective_date=row.effective_date,
        expiry_date=row.expiry_date,
        created=row.created_at,
        principals=readers_principals(
            owner_id=row.owner_id,
            confidential=row.confidential,
            department_level=row.department_level,
            department_chain=department_chain(row.department_id, parents),
            grants=grants,
        ),
        custom=custom,
    )


def refresh_contracts(contract_ids: Iterable[int]) -> None:
    """Re-index these contracts from the database; trashed or purged ones leave the index."""
    ids = sorted(set(contract_ids))
    live = index_documents(ids)
    gone = sorted(set(ids) - {document.id for document in live})
    if live:
        backend().index(live)
    if gone:
        backend().delete(gone)


def refresh_contract(contract_id: int) -> None:
    refresh_contracts([contract_id])


def all_documents(batch_size: int, after: int = 0) -> Iterator[list[IndexDocument]]:
    """Every live contract (with an id above ``after``) as index documents, in id order and
    bounded batches."""
    last_id = after
    while True:
        ids = list(
            db.session.scalars(
                select(Contract.id)
                .where(Contract.id > last_id, Contract.deleted_at.is_(None))
                .order_by(Contract.id)
                .limit(batch_size)
            )
        )
        if not ids:
            return
        yield index_documents(ids)
        last_id = ids[-1]
