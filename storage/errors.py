"""Exceptions raised by blob stores.

Every error a store raises on purpose derives from :class:`StorageError`, so
callers (e.g. the web layer) can map the whole family in one place.
"""

from __future__ import annotations

__all__ = [
    "BlobNotFound",
    "BlobTooLarge",
    "StorageConfigError",
    "StorageError",
    "StorageUnavailable",
]


class StorageError(Exception):
    """Base class for all blob storage errors."""


class BlobNotFound(StorageError):
    """No blob is stored under the requested key."""


class BlobTooLarge(StorageError):
    """The uploaded stream exceeded ``max_size``; nothing was stored."""

    def __init__(self, max_size: int) -> None:
        super().__init__(f"The upload is larger than the limit of {max_size} bytes.")
        self.max_size = max_size


class StorageUnavailable(StorageError):
    """The storage backend cannot be reached or used right now."""


class StorageConfigError(StorageError):
    """The storage configuration (URL or options) is invalid."""
