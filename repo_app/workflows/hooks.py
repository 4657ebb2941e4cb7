"""Called by the contracts feature; kept import-light so contracts can import it freely."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def version_added(user: Any, contract: Any, version: Any) -> None:
    """A new version was committed: restart a running approval (never fails the upload)."""
    from ..core.extensions import db
    from .services import restart_for_new_version

    try:
        restart_for_new_version(user, contract, version)
    except Exception:  # noqa: BLE001 - the version is stored; the approval state is logged
        db.session.rollback()
        log.exception("restarting the approval of contract %s failed", contract.id)
