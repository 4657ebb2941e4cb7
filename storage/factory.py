"""Build a blob store from a URL such as ``file:///var/lib/pactum/blobs``."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from .errors import StorageConfigError
from .local import PRIVATE_DIR_MODE, LocalBlobStore
from .protocols import BlobStore
from .s3 import S3BlobStore

__all__ = ["S3_OPTIONS", "open_blob_store"]

S3_OPTIONS = frozenset({"endpoint_url", "region", "access_key", "secret_key", "path_style", "sse", "sse_kms_key_id"})
"""Option names understood by ``s3://`` URLs (ignored by ``file://``)."""

_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})

Builder = Callable[[SplitResult, Mapping[str, str]], BlobStore]


def open_blob_store(url: str, options: Mapping[str, str] | None = None) -> BlobStore:
    """Return the store described by ``url``.

    * ``file:///abs/path`` or ``file://relative/path``: a :class:`LocalBlobStore`;
      the directory is created if needed.
    * ``s3://bucket/optional/prefix``: an :class:`S3BlobStore` configured by
      ``options`` (see :data:`S3_OPTIONS`).

    Empty option values count as unset, so options can be copied straight
    from environment variables.  Unknown option names are rejected to catch
    typos early.
    """
    settings = _clean_options(options or {})
    parsed = urlsplit(url)
    builder = _BUILDERS.get(parsed.scheme.lower())
    if builder is None:
        raise StorageConfigError(
            f"Unsupported blob storage URL scheme {parsed.scheme!r}; supported schemes are "
            f"{', '.join(f'{name}://' for name in _BUILDERS)}."
        )
    return builder(parsed, settings)


def _clean_options(options: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(options) - S3_OPTIONS)
    if unknown:
        raise StorageConfigError(
            f"Unknown blob storage option(s) {', '.join(unknown)}; known options are {', '.join(sorted(S3_OPTIONS))}."
        )
    return {name: value for name, value in options.items() if value}


def _build_local(url: SplitResult, options: Mapping[str, str]) -> BlobStore:
    """``file://a/b`` is the relative path ``a/b``: the host part starts the path."""
    root = Path(unquote(url.netloc + url.path))
    if not str(root).strip("/."):
        raise StorageConfigError("A file:// blob storage URL needs a directory path.")
    try:
        root.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    except OSError as error:
        raise StorageConfigError(
            f"Cannot create the blob storage directory {root}: {error.strerror or error}."
        ) from error
    return LocalBlobStore(root)


def _build_s3(url: SplitResult, options: Mapping[str, str]) -> BlobStore:
    # The bucket is checked by pattern so that a URL carrying credentials
    # (s3://key:secret@bucket) is refused without echoing it.
    if not _BUCKET_NAME.fullmatch(url.netloc):
        raise StorageConfigError(
            "An s3:// blob storage URL needs a valid bucket name, e.g. s3://bucket/prefix; "
            "credentials go in the options, not the URL."
        )
    return S3BlobStore(
        url.netloc,
        unquote(url.path).strip("/"),
        endpoint_url=options.get("endpoint_url"),
        region=options.get("region"),
        access_key=options.get("access_key"),
        secret_key=options.get("secret_key"),
        path_style=_parse_bool("path_style", options.get("path_style", "")),
        sse=options.get("sse"),
        sse_kms_key_id=options.get("sse_kms_key_id"),
    )


def _parse_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE or not lowered:
        return False
    raise StorageConfigError(f"Option {name} must be true or false, got {value!r}.")


_BUILDERS: dict[str, Builder] = {"file": _build_local, "s3": _build_s3}
