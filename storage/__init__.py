"""Pactum blob storage: content-addressed, streaming, backend neutral.

Open a store from configuration with :func:`open_blob_store`::

    store = open_blob_store("file:///var/lib/pactum/blobs")
    blob = store.save(upload_stream, "application/pdf", max_size=50 * 1024 * 1024)

This package is independent of any web framework.
"""

from __future__ import annotations

from ._keys import blob_key
from .errors import (
    BlobNotFound,
    BlobTooLarge,
    StorageConfigError,
    StorageError,
    StorageUnavailable,
)
from .factory import open_blob_store
from .headers import content_disposition
from .local import LocalBlobStore
from .protocols import DEFAULT_MEDIA_TYPE, BlobStore, StoredBlob
from .s3 import S3BlobStore

__all__ = [
    "DEFAULT_MEDIA_TYPE",
    "BlobNotFound",
    "BlobStore",
    "BlobTooLarge",
    "LocalBlobStore",
    "S3BlobStore",
    "StorageConfigError",
    "StorageError",
    "StorageUnavailable",
    "StoredBlob",
    "blob_key",
    "content_disposition",
    "open_blob_store",
]
