"""Reading ZIP containers (DOCX, ODT) without trusting them.

Before anything is decompressed, the declared sizes of the members that will be read are summed and
checked against the cap, and each member's compression ratio against :data:`MAX_RATIO`; while
reading, the bytes actually produced are counted too, since declared sizes can lie.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .model import ExtractionFailed, FailureReason

__all__ = ["MAX_RATIO", "BudgetedReader", "SafeZip"]

#: Ordinary XML parts compress 5–30×; a bomb compresses hundreds or thousands of times.
MAX_RATIO = 200
#: The ratio is only checked for members larger than this (tiny members have odd ratios).
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024


class SafeZip:
    """A ZIP archive opened read-only, with a decompression budget shared by all reads."""

    def __init__(self, path: Path, max_uncompressed_bytes: int, kind: str) -> None:
        self.kind = kind
        self.budget = max_uncompressed_bytes
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise ExtractionFailed(
                FailureReason.MALFORMED, f"The {kind} file is damaged (its ZIP structure is unreadable: {error})."
            ) from None
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            self.close()
            raise ExtractionFailed(FailureReason.TOO_LARGE, f"The {kind} file has {len(infos)} parts.")
        self.members = {info.filename: info for info in infos}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return list(self.members)

    def check(self, names: Iterable[str]) -> None:
        """Refuse, before decompressing anything, if *names* declare too much or compress like a bomb."""
        declared = 0
        for name in names:
            info = self.members[name]
            declared += info.file_size
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ExtractionFailed(
                    FailureReason.TOO_LARGE,
                    f"The {self.kind} file looks like a ZIP bomb: {name} expands "
                    f"{info.file_size // max(info.compress_size, 1)}× ({info.file_size} bytes).",
                )
        if declared > self.budget:
            raise ExtractionFailed(
                FailureReason.TOO_LARGE,
                f"The {self.kind} file would expand to {declared} bytes, over the {self.budget}-byte limit.",
            )

    def open(self, name: str) -> BudgetedReader:
        """A stream of one member that fails with ``too_large`` once the shared budget is spent."""
        if self._zip.getinfo(name).flag_bits & 0x1:
            raise ExtractionFailed(FailureReason.ENCRYPTED, f"The {self.kind} file is password-protected.")
        return BudgetedReader(self, self._zip.open(name))

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            return stream.read()


class BudgetedReader:
    """File-like reader over a ZIP member that counts every byte against the archive's budget."""

    def __init__(self, owner: SafeZip, stream: IO[bytes]) -> None:
        self._owner = owner
        self._stream = stream

    def __enter__(self) -> BudgetedReader:
        return self

    def __exit__(self, *_: object) -> None:
        self._stream.close()

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            chunks = []
            while chunk := self.read(_CHUNK):
                chunks.append(chunk)
            return b"".join(chunks)
        try:
            data = self._stream.read(min(size, _CHUNK) if size else 0)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise ExtractionFailed(
                FailureReason.MALFORMED, f"The {self._owner.kind} file is damaged: {error}"
            ) from None
        self._owner.budget -= len(data)
        if self._owner.budget < 0:
            raise ExtractionFailed(FailureReason.TOO_LARGE, f"The {self._owner.kind} file expands past the size limit.")
        return data
