"""``pactum reindex``: rebuild the search index from the database, in bounded batches."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from itertools import chain, islice
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select

from indexer.search import PreparedDocument, parallel_segment

from ..contracts.models import Contract
from ..core.extensions import db, settings
from .indexing import all_documents, backend


class Progress(Protocol):
    """What shows the progress of a rebuild (``click.progressbar`` does)."""

    def update(self, n_steps: int, /) -> object: ...


def _checkpoint_file() -> Path:
    return settings().data_dir / "reindex.checkpoint"


def rebuild_index(
    *,
    batch_size: int,
    in_place: bool,
    resume: bool,
    progress: Callable[[int], AbstractContextManager[Progress]] | None = None,
) -> int:
    """Index every live contract; returns how many.

    By default a new index is built beside the live one and swapped in at the end, so
    searches keep working meanwhile and a failure leaves the old index untouched. With
    ``in_place`` the live index is updated batch by batch and the last finished contract id
    is checkpointed, so an interrupted run can ``resume``. Text is segmented in
    ``PACTUM_INDEX_WORKERS`` processes (one per core by default) while this one writes.
    """
    start_after = _read_checkpoint() if resume else 0
    total = (
        db.session.scalar(
            select(func.count(Contract.id)).where(Contract.deleted_at.is_(None), Contract.id > start_after)
        )
        or 0
    )
    bar: AbstractContextManager[Progress | None] = progress(total) if progress else nullcontext()
    done = 0
    target = nullcontext(backend()) if in_place else backend().rebuild()
    documents = chain.from_iterable(all_documents(batch_size, after=start_after))
    with target as index, bar as shown:
        for batch in _batches(parallel_segment(documents, _workers(total)), batch_size):
            index.index(batch)
            done += len(batch)
            if in_place:
                _write_checkpoint(batch[-1].doc.id)
            if shown is not None:
                shown.update(len(batch))
    _checkpoint_file().unlink(missing_ok=True)
    return done


#: Below this many contracts, starting worker processes (each loads the dictionary) costs
#: more than it saves.
_POOL_THRESHOLD = 500


def _workers(total: int) -> int:
    if total < _POOL_THRESHOLD:
        return 1
    return settings().index_workers or os.cpu_count() or 1


def _batches(items: Iterable[PreparedDocument], size: int) -> Iterator[list[PreparedDocument]]:
    source = iter(items)
    while batch := list(islice(source, size)):
        yield batch


def _read_checkpoint() -> int:
    path = _checkpoint_file()
    return int(path.read_text()) if path.exists() else 0


def _write_checkpoint(contract_id: int) -> None:
    path = _checkpoint_file()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(str(contract_id))
    temporary.replace(path)
