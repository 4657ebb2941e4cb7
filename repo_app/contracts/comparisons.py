"""Comparing two versions: small ones within the request, under its time limit; large ones as
a background job whose result is kept by the hashes of the two texts (``core/results.py``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask_babel import gettext as _

from indexer.compare import Comparison, compare_texts, segmented_tokens

from ..auth.models import User
from ..core import deadline, results
from ..core.audit import record
from ..core.errors import Conflict, NotFound, PayloadTooLarge
from ..core.extensions import db, settings
from . import access
from .models import Contract, ContractVersion, VersionText

#: The job that compares large versions.
JOB = "contracts.compare_versions"
KIND = "comparison"
#: Changed whenever the comparison's output changes, so results kept from before are not served.
COMPARISON_FORMAT = "2"

RESULT_KIND = results.ResultKind(
    name=KIND,
    job=JOB,
    may_read=access.may_read_result,
    working=lambda: _("Comparing the versions"),
    ready=lambda: _("The comparison is ready."),
    failed=lambda: _("The comparison failed"),
    filename=lambda row: f"comparison-{row.contract_id}.json",
)


@dataclass(frozen=True)
class PendingComparison:
    """A comparison a background job is making: poll until ``result.status`` is done."""

    result: results.CachedResult


def _text(version: ContractVersion) -> str:
    extracted = db.session.get(VersionText, version.id)
    if extracted is None:
        raise Conflict(
            _("Version %(n)d has no extracted text yet (status: %(status)s).", n=version.number, status=version.status)
        )
    limit = settings().compare_max_chars
    if limit and len(extracted.text) > limit:
        raise PayloadTooLarge(
            _(
                "Version %(n)d has %(chars)d characters of text; versions above %(limit)d characters are not compared.",
                n=version.number,
                chars=len(extracted.text),
                limit=limit,
            )
        )
    return extracted.text


def _key(old: str, new: str) -> str:
    hashes = [hashlib.sha256(text.encode()).hexdigest() for text in (old, new)]
    return results.result_key(KIND, [COMPARISON_FORMAT, settings().segmenter, *hashes])


def _runs_in_background(old: str, new: str) -> bool:
    threshold = settings().compare_job_chars
    return bool(threshold) and len(old) + len(new) > threshold


def _compared(old: str, new: str) -> Comparison:
    return compare_texts(old, new, segmented_tokens, check=deadline.check)


def compare_versions(
    user: User, contract: Contract, old: ContractVersion, new: ContractVersion
) -> Comparison | PendingComparison:
    """What changed from ``old`` to ``new`` (the caller checked that ``user`` may read the
    contract); for large versions, the kept result or the job making it."""
    old_text, new_text = _text(old), _text(new)
    record("version.compare", actor=user, contract_id=contract.id, old=old.number, new=new.number)
    if not _runs_in_background(old_text, new_text):
        return _compared(old_text, new_text)
    row = results.request(_key(old_text, new_text), RESULT_KIND, (old.id, new.id), contract.id)
    if row.status == results.DONE:
        return Comparison.from_dict(json.loads(results.payload(row)))
    return PendingComparison(row)


def comparison_progress(old: ContractVersion, new: ContractVersion) -> results.CachedResult | None:
    """The background comparison of two versions as it stands (None: never asked for)."""
    old_text, new_text = _text(old), _text(new)
    return results.find(_key(old_text, new_text)) if _runs_in_background(old_text, new_text) else None


def make_comparison(key: str, old_id: int, new_id: int) -> None:
    """The job: compare two versions and keep the result under ``key``."""

    def make() -> tuple[bytes, str]:
        old, new = db.session.get(ContractVersion, old_id), db.session.get(ContractVersion, new_id)
        if old is None or new is None:
            raise NotFound(_("The version is gone."))
        comparison = _compared(_text(old), _text(new))
        return json.dumps(comparison.to_dict(), ensure_ascii=False).encode(), "application/json"

    results.produce(key, make)


def progress_to_dict(row: results.CachedResult | None) -> dict[str, object]:
    """What a poller is told (see :func:`repo_app.core.results.progress_to_dict`). No row means
    nothing to wait for: load the comparison."""
    return results.progress_to_dict(row, RESULT_KIND)
