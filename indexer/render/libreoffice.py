"""The LibreOffice converter: ``soffice --headless --convert-to pdf`` in its own process group.

Each conversion runs in one of ``max_concurrent`` slots, taken with a lock file so the limit
holds across every worker process of the machine. A slot has its own LibreOffice user profile
(``-env:UserInstallation``): two conversions never share a profile, and a profile is reused by
the next conversion of its slot (starting with a fresh profile costs about a second). A
conversion that outlives its timeout is killed with its whole process group and its profile is
thrown away, in case the kill left it half-written.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .model import ConverterMissing, RenderDisabled, RenderFailed, RenderOptions, RenderReason

__all__ = ["render_pdf", "soffice_available"]

_SLOT_POLL_SECONDS = 0.2


def soffice_available(options: RenderOptions) -> bool:
    return shutil.which(options.soffice) is not None


def render_pdf(source: Path, target_dir: Path, options: RenderOptions) -> Path:
    """Render *source* (DOCX, DOC, ODT, RTF …) as ``target_dir/<stem>.pdf`` and return that path.

    Raises :class:`RenderDisabled`, :class:`ConverterMissing` or :class:`RenderFailed` (unreadable
    document, timeout, no free slot in time). The source file is only read.
    """
    if options.converter == "off":
        raise RenderDisabled()
    if options.converter != "libreoffice":
        raise RenderFailed(RenderReason.DISABLED, f"Unknown converter {options.converter!r}.")
    program = shutil.which(options.soffice)
    if program is None:
        raise ConverterMissing(options.soffice)
    deadline = time.monotonic() + options.timeout_seconds
    target_dir.mkdir(parents=True, exist_ok=True)
    # The scratch folder lies inside the caller's folder, so whatever cleans that up after a
    # killed process cleans this up too.
    with _slot(options, deadline) as profile, tempfile.TemporaryDirectory(prefix=".render-", dir=target_dir) as scratch:
        # A private copy with a plain name: the output is named after the input, and odd names
        # (spaces, leading dashes, Chinese) never reach the command line.
        work = Path(scratch)
        copy = work / f"document{source.suffix.lower()[:10]}"
        shutil.copyfile(source, copy)
        produced = _convert(program, copy, work / "out", profile, deadline)
        target = target_dir / f"{source.stem}.pdf"
        shutil.move(produced, target)
    return target


def _convert(program: str, source: Path, out_dir: Path, profile: Path, deadline: float) -> Path:
    command = [
        program,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(source),
    ]
    remaining = max(1.0, deadline - time.monotonic())
    output = _run(command, remaining, profile)
    produced = out_dir / f"{source.stem}.pdf"
    if not _is_pdf(produced):
        raise RenderFailed(RenderReason.UNREADABLE, _unreadable_message(output))
    return produced


def _run(command: list[str], timeout: float, profile: Path) -> str:
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a kill reaches soffice.bin too
            env={**os.environ, "HOME": str(profile.parent)},
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            shutil.rmtree(profile, ignore_errors=True)
            raise RenderFailed(
                RenderReason.TIMEOUT, f"The conversion to PDF took longer than {round(timeout)} seconds."
            ) from None
        finally:
            _kill_group(process, only_leftovers=True)
        return _tail(log)


def _kill_group(process: subprocess.Popen[bytes], *, only_leftovers: bool = False) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    if not only_leftovers:
        process.wait()


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read()[-4000:].decode("utf-8", "replace")


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-" and path.stat().st_size > 100
    except OSError:
        return False


def _unreadable_message(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    detail = (errors or lines or ["no output"])[-1][:300]
    return f"LibreOffice could not read the document ({detail})."


def _work_dir(options: RenderOptions) -> Path:
    base = options.work_dir or Path(tempfile.gettempdir())
    folder = base.resolve() / f"pactum-soffice-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@contextmanager
def _slot(options: RenderOptions, deadline: float) -> Iterator[Path]:
    """Holds one of the machine's conversion slots; yields the slot's profile folder."""
    folder = _work_dir(options)
    slots = max(1, options.max_concurrent)
    while True:
        for number in range(slots):
            handle = (folder / f"slot-{number}.lock").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                home = folder / f"slot-{number}"
                home.mkdir(mode=0o700, exist_ok=True)
                yield home / "profile"
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise RenderFailed(RenderReason.BUSY, "Every conversion slot stayed busy until the timeout.")
        time.sleep(_SLOT_POLL_SECONDS)
