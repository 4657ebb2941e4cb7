"""Byte-range coverage pyHanko calls nonstandard, but which is sound.

pyHanko calls a byte range that starts at 0, skips only ``/Contents`` and
ends before the end of the file anywhere but at the end of a revision
CONTIGUOUS_BLOCK_FROM_START. Some signing tools end the range right after the
revision's ``%%EOF`` marker, leaving its line end out; the next revision
then starts with that line end. Nothing signed is missing and nothing unsigned
is shown in its place: the bytes after the range are a later incremental
update, judged like any later revision. Such a range is not signature
wrapping, so it is no FORMAT_FAILURE.
"""

from __future__ import annotations

from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from .._pdfobjects import array_items
from .integrity import IntegrityFacts

__all__ = ["ends_at_eof_marker"]

_LINE_END = (b"\r", b"\n")


def ends_at_eof_marker(data: bytes, esig: EmbeddedPdfSignature, facts: IntegrityFacts) -> bool:
    """Whether a nonstandard range ends right after a ``%%EOF`` marker, followed by a line end."""
    if facts.coverage != SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START:
        return False
    numbers = [int(n) for n in array_items(esig.byte_range) if isinstance(n, int)]
    if len(numbers) != 4:
        return False
    end = numbers[2] + numbers[3]
    return data[:end].endswith(b"%%EOF") and data[end : end + 1] in _LINE_END
