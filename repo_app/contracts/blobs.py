"""Which stored blobs are still needed: a version's original or a version's PDF rendition."""

from __future__ import annotations

from sqlalchemy import select

from ..core.extensions import db
from .models import ContractVersion, VersionRendition


def blobs_in_use(keys: set[str]) -> set[str]:
    """Those of ``keys`` that a version or a version's PDF rendition points to."""
    if not keys:
        return set()
    used = set(db.session.scalars(select(ContractVersion.blob_key).where(ContractVersion.blob_key.in_(keys))))
    renditions = select(VersionRendition.blob_key).where(VersionRendition.blob_key.in_(keys))
    return used | {key for key in db.session.scalars(renditions) if key}
