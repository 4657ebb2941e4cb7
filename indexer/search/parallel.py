"""Document analysis in a process pool, for (re)indexing on several cores.

Segmentation is most of the indexing cost and is pure CPU work holding the GIL,
so threads do not help; worker processes each load the dictionary once, of the
segmenter this process uses (:func:`~indexer.text.segment.use_segmenter`). At
most a few chunks are in flight, so a slow consumer (the engine's writer)
never makes prepared documents pile up in memory.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from indexer.text.segment import segmenter_name, use_segmenter

from .protocols import IndexDocument
from .schema import PreparedDocument, prepare

__all__ = ["parallel_segment"]


def _prepare_many(docs: list[IndexDocument]) -> list[PreparedDocument]:
    return [prepare(d) for d in docs]


def segmenting_pool(workers: int, start_method: str = "spawn") -> ProcessPoolExecutor:
    """Worker processes that segment with this process's segmenter (a spawned process would
    otherwise start with the default one)."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(start_method),
        initializer=use_segmenter,
        initargs=(segmenter_name(),),
    )


def parallel_segment(
    docs: Iterable[IndexDocument], workers: int = 2, *, chunksize: int = 16, start_method: str = "spawn"
) -> Iterator[PreparedDocument]:
    """Yield :func:`~indexer.search.schema.prepare` results in input order.

    ``workers <= 1`` analyses in this process. Feed the result to any backend's
    ``index()`` (or a rebuild's indexer), which accepts prepared documents.
    """
    if workers <= 1:
        yield from (prepare(d) for d in docs)
        return
    source = iter(docs)
    with segmenting_pool(workers, start_method) as pool:
        pending: deque[Future[list[PreparedDocument]]] = deque()
        while True:
            chunk = list(islice(source, chunksize))
            if chunk:
                pending.append(pool.submit(_prepare_many, chunk))
            if pending and (len(pending) >= workers * 3 or not chunk):
                yield from pending.popleft().result()
            if not chunk and not pending:
                return
