"""Chunked, bounded-memory helpers shared by the store implementations."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO, Protocol

from .errors import BlobTooLarge

__all__ = ["CHUNK_SIZE", "ChunkIterator", "copy_and_hash", "validate_range"]

CHUNK_SIZE = 1024 * 1024
"""Read and write granularity: at most this much of a blob is in memory."""


class _Sink(Protocol):
    def write(self, data: bytes, /) -> object: ...


def copy_and_hash(source: BinaryIO, sink: _Sink, max_size: int | None) -> tuple[str, int]:
    """Copy ``source`` to ``sink`` chunk by chunk; return ``(sha256 hex, size)``.

    Raises :class:`BlobTooLarge` before writing the chunk that crosses
    ``max_size``, so an oversized upload is never read to its end.
    """
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise BlobTooLarge(max_size)
        digest.update(chunk)
        sink.write(chunk)
    return digest.hexdigest(), size


def validate_range(start: int, end: int) -> None:
    """Reject ranges that no blob could satisfy."""
    if start < 0:
        raise ValueError(f"Range start must not be negative, got {start}.")
    if end < start:
        raise ValueError(f"Range end {end} is before its start {start}.")


class ChunkIterator(Iterator[bytes]):
    """Yields up to ``length`` bytes of an open stream, then closes it.

    A class rather than a generator so that the stream is closed by
    :meth:`close` even if iteration never starts; WSGI servers call ``close()``
    on response iterables, which makes this safe to hand to a response.
    """

    def __init__(self, stream: BinaryIO, length: int) -> None:
        self._stream = stream
        self._remaining = length

    def __iter__(self) -> ChunkIterator:
        return self

    def __next__(self) -> bytes:
        chunk = self._stream.read(min(CHUNK_SIZE, self._remaining)) if self._remaining > 0 else b""
        if not chunk:
            self.close()
            raise StopIteration
        self._remaining -= len(chunk)
        return chunk

    def close(self) -> None:
        """Release the underlying stream (idempotent)."""
        self._stream.close()
