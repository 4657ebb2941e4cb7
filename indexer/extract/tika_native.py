"""DOC and RTF through the native (GraalVM-compiled) Apache Tika of the ``iscc-tika`` package.

Each file is parsed in a child process (:mod:`.tika_worker`): a hostile file can make a parser
loop or crash, and only a separate process can be killed at the deadline. The child costs about
0.2 s; Tika itself takes 0.05–0.1 s per ordinary document.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .common import Deadline, PageText, normalise_newlines, split_form_feeds
from .model import ExtractionFailed, ExtractOptions, FailureReason

__all__ = ["WORKER", "extract_with_native_tika"]

WORKER = Path(__file__).with_name("tika_worker.py")


def extract_with_native_tika(path: Path, options: ExtractOptions, deadline: Deadline, kind: str) -> PageText:
    answer = _run_worker(path, options.max_uncompressed_bytes, deadline, kind)
    if not answer.get("ok"):
        raise _failure(str(answer.get("kind")), str(answer.get("message", "")), kind)
    metadata: dict[str, list[str]] = answer.get("metadata") or {}
    if any("EncryptedDocumentException" in warning for warning in metadata.get("X-TIKA:warning", [])):
        raise ExtractionFailed(FailureReason.ENCRYPTED, f"The {kind} file is password-protected.")
    result = PageText()
    if answer.get("truncated"):
        result.warnings.append(f"The {kind} text exceeds {options.max_uncompressed_bytes} bytes; the rest was dropped.")
    result.pages.extend(split_form_feeds(normalise_newlines(str(answer.get("text", "")))))
    return result


def _run_worker(path: Path, max_bytes: int, deadline: Deadline, kind: str) -> dict[str, Any]:
    request = json.dumps({"path": str(path.resolve()), "max_bytes": max_bytes})
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(WORKER)],
            input=request.encode(),
            capture_output=True,
            timeout=max(deadline.remaining(), 0.001),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(
            FailureReason.TIMEOUT, f"Extraction ran out of time while Tika was reading the {kind} file."
        ) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        crash = f"signal {-done.returncode}" if done.returncode < 0 else f"exit status {done.returncode}"
        raise ExtractionFailed(
            FailureReason.MALFORMED, f"Tika crashed on the {kind} file ({crash}{': ' + detail[-1] if detail else ''})."
        )
    try:
        answer: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        raise ExtractionFailed(FailureReason.MALFORMED, f"Tika gave no usable answer for the {kind} file.") from None
    return answer


def _failure(kind_of_error: str, message: str, kind: str) -> ExtractionFailed:
    if kind_of_error == "unavailable":
        return ExtractionFailed(
            FailureReason.UNAVAILABLE, f"{kind} files need the iscc-tika package, which is not installed ({message})."
        )
    if "Encrypted" in message or "password" in message.lower():
        return ExtractionFailed(FailureReason.ENCRYPTED, f"The {kind} file is password-protected.")
    return ExtractionFailed(FailureReason.MALFORMED, f"Tika cannot read the {kind} file: {_short(message)}")


def _short(message: str) -> str:
    """iscc-tika wraps Java errors as ``ParseError("Parse error occurred : …")``: keep the inner text."""
    for prefix in ('ParseError("', 'IoError("'):
        if message.startswith(prefix):
            message = message[len(prefix) :].rstrip('")')
    return message.replace("Parse error occurred : ", "")[:300]
