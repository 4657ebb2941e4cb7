"""Non-standard terms: what a drafted contract's latest version changed from the standard text.

The standard text is the version drafted from the template (it *is* the template filled with
the draft's values), so nothing needs re-rendering: the latest version's extracted text is
compared with it by the word-level compare (``indexer.compare``), and the clauses it changed
are listed for the contract page and the approver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.compare import compare_texts, segmented_tokens

from ..contracts.models import Contract, ContractVersion, VersionText
from ..core.extensions import db, settings
from .services import drafted_from


@dataclass(frozen=True)
class Deviation:
    """The latest version (``compared``) against the drafted one (``standard``)."""

    standard: int
    compared: int
    #: Headings of the clauses with a change (in the latest version's order).
    clauses: tuple[str, ...]
    #: Insertions, deletions and replacements (moved paragraphs count by their edits).
    changes: int

    @property
    def standard_text_kept(self) -> bool:
        return self.changes == 0


def deviation(contract: Contract) -> Deviation | None:
    """The deviation of a drafted contract, or ``None`` when it was not drafted from a template
    or a text it needs is not extracted yet (or is beyond the compare's size limit)."""
    if drafted_from(contract) is None:
        return None
    standard = _drafted_version(contract)
    latest = contract.latest_version
    if standard is None or latest is None:
        return None
    content = _content_of(contract, latest)
    if content.id == standard.id:
        return Deviation(standard.number, latest.number, (), 0)
    old, new = _text(standard), _text(content)
    if old is None or new is None:
        return None
    clauses, changes = _changed_clauses(old, new)
    return Deviation(standard.number, latest.number, clauses, changes)


def _drafted_version(contract: Contract) -> ContractVersion | None:
    return next((version for version in contract.versions if version.origin == "drafted"), None)


def _content_of(contract: Contract, version: ContractVersion) -> ContractVersion:
    """The version whose words ``version`` carries: a signed version is the PDF of the version it
    was signed from (for a Word version, its rendition), so the words are that version's and its
    own extracted text would only add line-wrap noise."""
    by_id = {candidate.id: candidate for candidate in contract.versions}
    seen: set[int] = set()
    while version.origin == "signed" and version.source_version_id in by_id and version.id not in seen:
        seen.add(version.id)
        version = by_id[version.source_version_id]
    return version


def _text(version: ContractVersion) -> str | None:
    extracted = db.session.get(VersionText, version.id)
    if extracted is None:
        return None
    limit = settings().compare_max_chars
    return None if limit and len(extracted.text) > limit else extracted.text


_LINE_BREAKS = re.compile(r"\s*\n\s*")


def _lines_as_paragraphs(text: str) -> str:
    """Extracted Word text puts one paragraph per line; the compare finds clause headings at the
    start of paragraphs (blank-line separated), so every line becomes one."""
    return _LINE_BREAKS.sub("\n\n", text)


@lru_cache(maxsize=128)
def _changed_clauses(standard: str, latest: str) -> tuple[tuple[str, ...], int]:
    """Kept per pair of texts: a contract page and its approval page ask for the same pair."""
    comparison = compare_texts(_lines_as_paragraphs(standard), _lines_as_paragraphs(latest), segmented_tokens)
    return comparison.changed_clauses, comparison.insertions + comparison.deletions + comparison.replacements
