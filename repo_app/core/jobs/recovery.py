"""What a killed process leaves behind in the blob store, cleaned up when a worker or the web
server starts."""

from __future__ import annotations

import logging

from flask import Flask

from storage import LocalBlobStore

from .. import registry
from ..extensions import blob_store
from .worker import ON_START

log = logging.getLogger(__name__)

#: A partial upload not written to for this long belongs to a process that is gone.
STALE_UPLOAD_SECONDS = 3600


def remove_stale_uploads() -> int:
    """Partial uploads in the local blob store's temp folder (the only store with one)."""
    store = blob_store()
    if not isinstance(store, LocalBlobStore):
        return 0
    removed = store.remove_stale_uploads(STALE_UPLOAD_SECONDS)
    if removed:
        log.warning("removed %d partial uploads left by a stopped process", removed)
    return removed


def init_app(app: Flask) -> None:
    registry.add(app, ON_START, remove_stale_uploads)
