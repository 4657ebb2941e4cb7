"""The data folder and the SQLite database are readable by the service account only.

They hold password and token hashes, webhook secrets and confidential contracts, so the
folder is 0700 and the database file 0600 whatever the process's umask. An installation made
before this rule (world-readable under the usual umask 022) is tightened at start-up. Files
SQLite creates beside the database (``-wal``, ``-shm``) take the database file's mode.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def prepare_data_folder(data_dir: Path, database_url: str) -> None:
    """Create (or tighten) the data folder, and the SQLite database file when one is used."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    _restrict(data_dir, PRIVATE_DIR_MODE)
    database = sqlite_file(database_url)
    if database is not None:
        _create_private_file(database)
        for suffix in _SQLITE_COMPANIONS:
            _restrict(database.with_name(database.name + suffix), PRIVATE_FILE_MODE)


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite URL; ``None`` for other databases and in-memory SQLite."""
    url = make_url(database_url)
    if not url.get_backend_name() == "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def _create_private_file(path: Path) -> None:
    """Create ``path`` empty with the private mode before SQLite creates it with the umask's."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        _restrict(path, PRIVATE_FILE_MODE)


def _restrict(path: Path, mode: int) -> None:
    """Take group and other permissions away from an existing file or folder we own."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & 0o077 and path.stat().st_uid == os.getuid():
        path.chmod(current & mode)
