"""Tesseract OCR through its command line.

The command line rather than pytesseract (which shells out the same way): we choose the
environment (``OMP_THREAD_LIMIT=1`` makes Tesseract 5 three to six times faster on few cores),
pipe the image through stdin (no temporary files), apply our own timeout and turn every failure
into ``ocr_failed`` with Tesseract's message.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from PIL import Image

from .common import Deadline, PageText, normalise_newlines
from .model import ExtractionFailed, FailureReason

__all__ = ["OCR_WORKERS", "OcrBudget", "clean_ocr_text", "encode_for_ocr", "ocr_image", "ordered_map", "run_tesseract"]

#: Pages OCRed at once: one Tesseract process per core (each single-threaded), at most four.
OCR_WORKERS = max(1, min(4, os.cpu_count() or 1))

_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")

T = TypeVar("T")
R = TypeVar("R")


class OcrBudget:
    """How much OCR one document may still have: distinct pages and seconds (0: no limit).

    A 10,000-page scan must not hold a worker and every core for ten minutes while small uploads
    wait, so OCR stops once the budget is spent and the remaining pages keep their text layer.
    Asked before a page is rendered, so a page over budget costs nothing; once the budget is
    spent it stays spent, so "stopped after N pages" means the first N pages that needed OCR.
    """

    def __init__(
        self, max_pages: int = 0, max_seconds: float = 0, *, used: int = 0, seconds: float = 0, spent: bool = False
    ) -> None:
        """``used``, ``seconds`` and ``spent``: what earlier batches of the same document took."""
        self.max_pages = max_pages
        self.max_seconds = max_seconds
        self.used = used
        self.skipped = 0
        self.earlier_seconds = seconds
        self.spent = spent
        self._started: float | None = None

    def take(self) -> bool:
        """Spend one page of the budget; ``False`` (and the page counted as skipped) when spent."""
        now = time.monotonic()
        if self._started is None:
            self._started = now
        if self.spent or self.skipped or self._pages_spent() or self._time_spent(now):
            self.skipped += 1
            return False
        self.used += 1
        return True

    def give_back(self) -> None:
        """Return a page taken for an image that turned out to be OCRed already."""
        self.used -= 1

    def warning(self) -> str | None:
        if not self.skipped:
            return None
        return (
            f"OCR stopped after {self.used} pages (budget); {self.skipped} more pages that needed OCR were not OCRed."
        )

    def note(self, result: PageText) -> None:
        """Record in *result* how many pages the budget left out, with the warning that says so."""
        warning = self.warning()
        if warning:
            result.ocr_skipped = self.skipped
            result.warnings.append(warning)

    def _pages_spent(self) -> bool:
        return bool(self.max_pages) and self.used >= self.max_pages

    def seconds(self) -> float:
        """Seconds of OCR so far, earlier batches included."""
        if self._started is None:
            return self.earlier_seconds
        return self.earlier_seconds + time.monotonic() - self._started

    def _time_spent(self, now: float) -> bool:
        if not self.max_seconds or self._started is None:
            return False
        return self.earlier_seconds + now - self._started >= self.max_seconds


def clean_ocr_text(text: str) -> str:
    """Tesseract's text made index-friendly: no spaces between Chinese characters, no blank runs."""
    text = normalise_newlines(text).replace("\f", "\n")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


def encode_for_ocr(image: Image.Image) -> bytes:
    """An uncompressed PNM: ten times faster to write than PNG and Tesseract reads it from stdin."""
    if image.mode not in ("L", "RGB", "1"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    return buffer.getvalue()


def run_tesseract(image: bytes, languages: str, dpi: int, deadline: Deadline, thread_limit: int | None = 1) -> str:
    """Tesseract's raw text for one encoded image (any format Leptonica reads).

    *thread_limit* sets ``OMP_THREAD_LIMIT``; ``None`` leaves Tesseract's own default (benchmarks).
    """
    command = shutil.which("tesseract")
    if command is None:
        raise ExtractionFailed(
            FailureReason.OCR_FAILED, "OCR is not available: the tesseract program is not installed."
        )
    env = dict(os.environ)
    env.pop("OMP_THREAD_LIMIT", None)
    if thread_limit is not None:
        env["OMP_THREAD_LIMIT"] = str(thread_limit)
    deadline.check("waiting to run OCR")
    try:
        done = subprocess.run(
            [command, "stdin", "stdout", "-l", languages, "--dpi", str(dpi)],
            input=image,
            capture_output=True,
            env=env,
            timeout=deadline.remaining(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExtractionFailed(FailureReason.TIMEOUT, "Extraction ran out of time during OCR.") from None
    except OSError as error:
        raise ExtractionFailed(FailureReason.OCR_FAILED, f"Tesseract could not be started: {error}.") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        message = detail[-1] if detail else f"exit status {done.returncode}"
        raise ExtractionFailed(FailureReason.OCR_FAILED, f"Tesseract failed: {message}")
    return done.stdout.decode("utf-8", "replace")


def ocr_image(image: Image.Image, languages: str, dpi: int, deadline: Deadline) -> str:
    """The cleaned text of one page image."""
    return clean_ocr_text(run_tesseract(encode_for_ocr(image), languages, dpi, deadline))


def ordered_map(function: Callable[[T], R], items: Iterable[T], workers: int = OCR_WORKERS) -> Iterator[R]:
    """``map`` over a thread pool that keeps at most *workers* items in flight, results in order.

    Bounded so that a long scan never holds more than a few rendered pages in memory. On an error
    the pending work is cancelled and the error re-raised.
    """
    if workers <= 1:
        yield from map(function, items)
        return
    pending: list[Future[R]] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) >= workers:
                    yield pending.pop(0).result()
            while pending:
                yield pending.pop(0).result()
        finally:
            for future in pending:
                future.cancel()
