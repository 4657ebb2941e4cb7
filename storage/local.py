"""A blob store on a local (or mounted) file system."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from ._keys import blob_key, digest_from_key
from ._streams import ChunkIterator, copy_and_hash, validate_range
from .errors import BlobNotFound, StorageUnavailable
from .protocols import DEFAULT_MEDIA_TYPE, StoredBlob

__all__ = ["LocalBlobStore", "PRIVATE_DIR_MODE"]

#: Blob files: readable by the owner only, never writable (contracts are confidential, and a
#: stored original is never modified).
_READ_ONLY = stat.S_IRUSR
#: Directories the store creates (shards, ``tmp/``): the owner only, whatever the umask.
PRIVATE_DIR_MODE = 0o700


class LocalBlobStore:
    """Stores blobs as read-only files under ``root/sha256/xx/yy/<digest>``, readable by the
    owner only (0400, in 0700 directories) whatever the process's umask.

    Uploads are written to ``root/tmp/`` first and renamed into place, so a
    blob file is either complete or absent, even after a crash.  ``tmp/``
    lives under the root so the rename never crosses file systems.

    The root itself is never created here (the factory does that): if a
    mounted volume is missing, saving fails loudly instead of silently
    filling the container's own disk.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._tmp = root / "tmp"

    @property
    def root(self) -> Path:
        """The directory holding the blobs."""
        return self._root

    def save(
        self,
        stream: BinaryIO,
        media_type: str = DEFAULT_MEDIA_TYPE,
        *,
        max_size: int | None = None,
    ) -> StoredBlob:
        """Store the stream atomically; see :meth:`BlobStore.save`.

        Errors while reading ``stream`` or writing the file propagate
        unchanged after the temporary file has been removed.
        """
        self._ensure_tmp_dir()
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="upload-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as sink:
                digest, size = copy_and_hash(stream, sink, max_size)
                sink.flush()
                os.fsync(sink.fileno())
            created = self._commit(tmp_path, self._path(digest))
        finally:
            tmp_path.unlink(missing_ok=True)
        return StoredBlob(blob_key(digest), size, digest, media_type, created)

    def open(self, key: str) -> BinaryIO:
        """Open the blob file for reading; see :meth:`BlobStore.open`."""
        try:
            return self._path_for_key(key).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(f"No blob is stored under {key!r}.") from None

    def read_range(self, key: str, start: int, end: int) -> ChunkIterator:
        """Stream an inclusive byte range; see :meth:`BlobStore.read_range`."""
        validate_range(start, end)
        handle = self.open(key)
        try:
            size = os.fstat(handle.fileno()).st_size
            if start >= size:
                raise ValueError(f"Range start {start} is not before the blob size {size}.")
            handle.seek(start)
        except BaseException:
            handle.close()
            raise
        return ChunkIterator(handle, min(end, size - 1) - start + 1)

    def size(self, key: str) -> int:
        """Return the blob's size in bytes."""
        try:
            return self._path_for_key(key).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(f"No blob is stored under {key!r}.") from None

    def exists(self, key: str) -> bool:
        """Tell whether a blob file exists for ``key``."""
        digest = digest_from_key(key)
        return digest is not None and self._path(digest).is_file()

    def delete(self, key: str) -> None:
        """Remove the blob file; missing or malformed keys are ignored."""
        digest = digest_from_key(key)
        if digest is not None:
            self._path(digest).unlink(missing_ok=True)

    def download_url(
        self,
        key: str,
        *,
        filename: str,
        media_type: str,
        expires_in: int = 300,
    ) -> str | None:
        """Return ``None``: local files have no URL, so the caller streams them."""
        return None

    def check(self) -> None:
        """Prove the root is usable by creating and removing a file in it."""
        try:
            self._ensure_tmp_dir()
            with tempfile.TemporaryFile(dir=self._tmp, prefix="check-"):
                pass
        except OSError as error:
            raise StorageUnavailable(
                f"Local blob storage at {self._root} is not a writable directory: {error.strerror or error}."
            ) from error

    def remove_stale_uploads(self, older_than_seconds: float) -> int:
        """Delete partial uploads left in ``tmp/`` by a killed process; return how many.

        Only files not written to for ``older_than_seconds`` go: an upload in progress keeps
        touching its file, so it is never taken for a leftover.
        """
        cutoff = time.time() - older_than_seconds
        removed = 0
        for leftover in self._tmp.glob("upload-*") if self._tmp.is_dir() else ():
            try:
                if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # finished or removed by another process meanwhile
        return removed

    def _ensure_tmp_dir(self) -> None:
        if not self._root.is_dir():
            raise StorageUnavailable(f"Local blob storage root {self._root} is not a directory.")
        self._tmp.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)

    def _path(self, digest: str) -> Path:
        return self._root / blob_key(digest)

    def _path_for_key(self, key: str) -> Path:
        digest = digest_from_key(key)
        if digest is None:
            raise BlobNotFound(f"{key!r} is not a valid blob key.")
        return self._path(digest)

    def _commit(self, tmp_path: Path, final_path: Path) -> bool:
        """Move a fully written temp file into place; ``False`` if already stored."""
        if final_path.exists():
            return False
        _make_dirs_durably(final_path.parent)
        tmp_path.chmod(_READ_ONLY)
        os.replace(tmp_path, final_path)
        _fsync_directory(final_path.parent)
        return True


def _make_dirs_durably(directory: Path) -> None:
    """Create missing directories, fsyncing each parent so the entries survive a crash."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
