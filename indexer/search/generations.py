"""Index generations on disk, for embedded engines (Tantivy, Whoosh).

``root/CURRENT`` names the live generation directory (``root/gen-…``). A rebuild
writes a new generation beside it and then replaces ``CURRENT`` with
``os.replace`` (atomic on POSIX), so every process switches on its next search;
the previous generation is kept (a reader in another process may still use it)
and older ones are removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Generations"]

_CURRENT = "CURRENT"
_PREFIX = "gen-"


class Generations:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True, mode=0o700)  # the index holds contract text

    @contextmanager
    def _mutex(self) -> Iterator[None]:
        """Serialises creation/switching between processes (not searches)."""
        with open(self.root / ".generations.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def current_name(self) -> str | None:
        try:
            name = (self.root / _CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def ensure(self, create: Callable[[Path], None]) -> tuple[str, Path]:
        """The live generation, creating an empty one the first time."""
        name = self.current_name()
        if name is not None:
            return name, self.root / name
        with self._mutex():
            name = self.current_name()
            if name is None:
                path = self.new()
                create(path)
                self._point_to(path.name)
                name = path.name
        return name, self.root / name

    def new(self) -> Path:
        path = self.root / f"{_PREFIX}{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
        path.mkdir(mode=0o700)
        return path

    def switch(self, path: Path) -> None:
        with self._mutex():
            previous = self.current_name()
            self._point_to(path.name)
            if previous is not None:
                self._prune(older_than=min(previous, path.name))

    def discard(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    def _point_to(self, name: str) -> None:
        tmp = self.root / f".{_CURRENT}.{uuid.uuid4().hex}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / _CURRENT)
        dir_fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _prune(self, older_than: str) -> None:
        """Remove generations created before ``older_than`` (names sort by time;
        a newer one may be another process's rebuild in progress)."""
        for child in self.root.iterdir():
            if child.is_dir() and child.name.startswith(_PREFIX) and child.name < older_than:
                shutil.rmtree(child, ignore_errors=True)
