"""Content addresses: turning SHA-256 digests into keys and back."""

from __future__ import annotations

import re

__all__ = ["blob_key", "digest_from_key"]

_KEY_PATTERN = re.compile(r"sha256/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


def blob_key(sha256_hex: str) -> str:
    """Return the key for a lowercase hex SHA-256 digest.

    The two levels of two-character shards keep any single directory (or S3
    listing page) small even with millions of blobs.
    """
    return f"sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


def digest_from_key(key: str) -> str | None:
    """Return the digest named by ``key``, or ``None`` if the key is malformed.

    Only keys that :func:`blob_key` could have produced are accepted, so a key
    can never smuggle ``..`` or absolute paths into a store.
    """
    match = _KEY_PATTERN.fullmatch(key)
    if match is None:
        return None
    first, second, digest = match.groups()
    if digest[:2] != first or digest[2:4] != second:
        return None
    return digest
