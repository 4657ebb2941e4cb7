"""Byte-range coverage pyHanko calls nonstandard, told apart from signature wrapping.

pyHanko names a byte range CONTIGUOUS_BLOCK_FROM_START when it starts at 0,
skips only ``/Contents``, but does not end where the revision holding the
signature dictionary ends. Two different things look like that:

* the range ends in the middle of a revision (e.g. before its trailer): bytes
  that were not signed decide what is shown, which is signature wrapping and
  a FORMAT_FAILURE;
* the range ends exactly at the end of an earlier revision (its ``%%EOF``, as
  the cross-reference data says), and the signature dictionary was written
  again in a later incremental update (some tools re-save it unchanged when
  they add to the file). Everything that revision holds is signed; pyHanko
  just counts the signature from the later copy of its dictionary. That is
  no FORMAT_FAILURE, but pyHanko's analysis of later changes then starts after
  the rewrite, so the changes made together with it are not reviewed: the
  signature is INDETERMINATE/SIG_CONSTRAINTS_FAILURE with the reason, never
  accepted.
"""

from __future__ import annotations

import io

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import process_data_at_eof
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel

from .._pdfobjects import array_items
from .integrity import IntegrityFacts

__all__ = ["revision_ending_the_range"]


def _signed_zone_end(esig: EmbeddedPdfSignature) -> int | None:
    numbers = [int(n) for n in array_items(esig.byte_range) if isinstance(n, int)]
    return numbers[2] + numbers[3] if len(numbers) == 4 else None


def revision_ending_the_range(data: bytes, esig: EmbeddedPdfSignature, facts: IntegrityFacts) -> int | None:
    """For a nonstandard range: the earlier revision whose end (``startxref``/``%%EOF``
    and its whole cross-reference section) the range ends at; None in every other case."""
    end = _signed_zone_end(esig)
    if facts.coverage != SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START or end is None or end > len(data):
        return None
    stream = io.BytesIO(data)  # read backwards from the range's end, as pyHanko does
    stream.seek(end)
    try:
        startxref = process_data_at_eof(stream)
    except (PdfReadError, ValueError):
        return None
    xrefs = esig.reader.xrefs
    for revision in range(esig.signed_revision):
        if xrefs.get_startxref_for_revision(revision) == startxref:
            ends_inside = xrefs.get_xref_container_info(revision).end_location <= end
            return revision if ends_inside else None
    return None
