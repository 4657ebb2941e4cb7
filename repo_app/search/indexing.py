"""Keeping the search index in step with the database, which stays the source of truth."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import current_app
from sqlalchemy import select

from indexer.search import IndexDocument, SearchBackend

from ..contracts.access import document_principals
from ..contracts.models import Contract, VersionText
from ..core.extensions import db


def backend() -> SearchBackend:
    value: SearchBackend = current_app.extensions["pactum.search"]
    return value


def index_document(contract: Contract) -> IndexDocument:
    """The searchable form of a contract: its metadata and the text of its latest version."""
    latest = contract.latest_version
    extracted = db.session.get(VersionText, latest.id) if latest is not None else None
    return IndexDocument(
        id=contract.id,
        title=contract.title,
        text=extracted.text if extracted else "",
        page_offsets=tuple(extracted.page_offsets) if extracted else (),
        contract_number=contract.contract_number,
        contract_type=contract.contract_type_code,
        status=contract.status,
        counterparties=tuple(contract.counterparty_names),
        tags=tuple(tag.name for tag in contract.tags),
        department=contract.department.name if contract.department else None,
        owner=contract.owner.email if contract.owner else None,
        amount=contract.amount,
        currency=contract.currency,
        signed_date=contract.signed_date,
        effective_date=contract.effective_date,
        expiry_date=contract.expiry_date,
        created=contract.created_at,
        principals=document_principals(contract),
    )


def refresh_contracts(contract_ids: Iterable[int]) -> None:
    """Re-index these contracts from the database; trashed or purged ones leave the index."""
    ids = sorted(set(contract_ids))
    contracts = {c.id: c for c in db.session.scalars(select(Contract).where(Contract.id.in_(ids)))}
    live = [contracts[i] for i in ids if i in contracts and contracts[i].deleted_at is None]
    gone = [i for i in ids if i not in contracts or contracts[i].deleted_at is not None]
    if live:
        backend().index([index_document(contract) for contract in live])
    if gone:
        backend().delete(gone)


def refresh_contract(contract_id: int) -> None:
    refresh_contracts([contract_id])


def all_documents(batch_size: int, after: int = 0) -> Iterator[list[IndexDocument]]:
    """Every live contract (with an id above ``after``) as index documents, in id order and
    bounded batches."""
    last_id = after
    while True:
        batch = list(
            db.session.scalars(
                select(Contract)
                .where(Contract.id > last_id, Contract.deleted_at.is_(None))
                .order_by(Contract.id)
                .limit(batch_size)
            )
        )
        if not batch:
            return
        yield [index_document(contract) for contract in batch]
        last_id = batch[-1].id
        db.session.expunge_all()  # bounded memory: nothing from earlier batches is kept
