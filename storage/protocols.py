"""The backend-neutral blob store interface.

Blobs are content addressed: the key is derived from the SHA-256 of the bytes,
so saving identical bytes twice yields the same key and stores them once.

A key that is malformed (not produced by :func:`storage.blob_key`) is treated
exactly like a key that is not stored: reads raise
:class:`~storage.errors.BlobNotFound`, ``exists`` returns ``False`` and
``delete`` does nothing.  This keeps untrusted keys from ever reaching a file
system path or an object name that the store did not create itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

__all__ = ["DEFAULT_MEDIA_TYPE", "BlobStore", "StoredBlob"]

DEFAULT_MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """What :meth:`BlobStore.save` reports about the bytes it stored."""

    key: str
    """Content address, ``sha256/<h[:2]>/<h[2:4]>/<h>``."""
    size: int
    sha256: str
    """Lowercase hex digest of the content."""
    media_type: str
    """The media type given to ``save`` (callers keep it with their record)."""
    created: bool
    """``False`` when identical bytes were already stored (idempotent save)."""


@runtime_checkable
class BlobStore(Protocol):
    """A content-addressed store of immutable byte blobs."""

    def save(
        self,
        stream: BinaryIO,
        media_type: str = DEFAULT_MEDIA_TYPE,
        *,
        max_size: int | None = None,
    ) -> StoredBlob:
        """Store everything read from ``stream``.

        Raises :class:`~storage.errors.BlobTooLarge` as soon as more than
        ``max_size`` bytes were read; nothing is left behind in that case.
        """
        ...

    def open(self, key: str) -> BinaryIO:
        """Return a readable stream of the blob; the caller closes it."""
        ...

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        """Yield the bytes ``start..end`` (inclusive, like HTTP ``Range``) in chunks.

        ``end`` past the last byte is clamped to it.  A range that cannot be
        satisfied (negative ``start``, ``end < start`` or ``start`` at or past
        the end of the blob) raises :class:`ValueError`.  Missing blobs raise
        :class:`~storage.errors.BlobNotFound` at call time, not on iteration.
        The returned iterator has a ``close()`` method, which WSGI servers call.
        """
        ...

    def size(self, key: str) -> int:
        """Return the blob's size in bytes."""
        ...

    def exists(self, key: str) -> bool:
        """Tell whether a blob is stored under ``key``."""
        ...

    def delete(self, key: str) -> None:
        """Remove the blob; a missing key is not an error."""
        ...

    def download_url(
        self,
        key: str,
        *,
        filename: str,
        media_type: str,
        expires_in: int = 300,
    ) -> str | None:
        """Return a time-limited URL serving the blob as a download.

        ``None`` means the backend has no such URLs and the caller must stream
        the bytes itself (see :func:`storage.content_disposition`).
        """
        ...

    def check(self) -> None:
        """Readiness probe; raises :class:`~storage.errors.StorageUnavailable`."""
        ...
