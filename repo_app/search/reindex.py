"""``pactum reindex``: rebuild the search index from the database, in bounded batches."""
from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..contracts.models import Contract
from ..extensions import db, settings
from .indexing import all_documents, backend


def _checkpoint_file() -> Path:
    return settings().data_dir / "reindex.checkpoint"


def rebuild_index(*, batch_size: int, in_place: bool, resume: bool,
                  progress: Callable[[int], Any] | None = None) -> int:
    """Index every live contract; returns how many.

    By default a new index is built beside the live one and swapped in at the end, so
    searches keep working meanwhile and a failure leaves the old index untouched. With
    ``in_place`` the live index is updated batch by batch and the last finished contract id
    is checkpointed, so an interrupted run can ``resume``.
    """
    start_after = _read_checkpoint() if resume else 0
    total = db.session.scalar(select(func.count(Contract.id)).where(
        Contract.deleted_at.is_(None), Contract.id > start_after)) or 0
    bar = progress(total) if progress else nullcontext()
    done = 0
    target = nullcontext(backend()) if in_place else backend().rebuild()
    with target as index, bar as shown:
        for batch in all_documents(batch_size, after=start_after):
            index.index(batch)
            done += len(batch)
            if in_place:
                _write_checkpoint(batch[-1].id)
            if progress:
                shown.update(len(batch))
    _checkpoint_file().unlink(missing_ok=True)
    return done


def _read_checkpoint() -> int:
    path = _checkpoint_file()
    return int(path.read_text()) if path.exists() else 0


def _write_checkpoint(contract_id: int) -> None:
    path = _checkpoint_file()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(str(contract_id))
    temporary.replace(path)
