"""Which stored blobs are still needed: a version's original or a version's PDF rendition, or
whatever a feature above contracts keeps in the blob store (the Word files of templates), which
it declares with ``registry.add(app, BLOB_HOLDERS, …)``."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from ..core import registry
from ..core.extensions import db
from .models import Contract, ContractVersion, VersionRendition

#: Functions answering which of the given blob keys a feature's own rows point to.
BLOB_HOLDERS: registry.Key[Callable[[set[str]], set[str]]] = registry.Key("contracts.blob_holders")
#: Functions answering which blob keys a feature's rows of one contract point to (payment
#: receipts, invoice files): purging the contract removes them unless another row still needs them.
CONTRACT_BLOBS: registry.Key[Callable[[Contract], set[str]]] = registry.Key("contracts.contract_blobs")


def blobs_of(contract: Contract) -> set[str]:
    """The blob keys the features above keep for ``contract`` (see :data:`CONTRACT_BLOBS`)."""
    keys: set[str] = set()
    for owned in registry.items(CONTRACT_BLOBS):
        keys |= owned(contract)
    return keys


def blobs_in_use(keys: set[str]) -> set[str]:
    """Those of ``keys`` that a version, a version's PDF rendition or a registered holder points to."""
    if not keys:
        return set()
    used = set(db.session.scalars(select(ContractVersion.blob_key).where(ContractVersion.blob_key.in_(keys))))
    renditions = select(VersionRendition.blob_key).where(VersionRendition.blob_key.in_(keys))
    used |= {key for key in db.session.scalars(renditions) if key}
    for holder in registry.items(BLOB_HOLDERS):
        used |= holder(keys - used) if keys - used else set()
    return used
