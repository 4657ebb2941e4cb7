"""The clause checklist: which required clauses a version's text lacks.

Each checklist item lists phrases, one per line, in any language; a line written between
slashes (``/不可抗力|force\\s+majeure/``) is a regular expression. A clause is present when any
phrase occurs (case and width folded). Missing clauses become findings of the version; the
contract page, the approval view and the routing rules read the latest version's findings.

Extension point for drafting: deviations from a standard template are another kind of finding
(``ReviewFinding.kind``); a drafting feature can store them with its own kind and the panel
lists them beside the missing clauses.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from ..contracts.models import Contract, ContractType, ContractVersion, VersionText
from ..core.audit import record
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from .models import ChecklistItem, ReviewFinding

#: The default checklist `pactum demo` seeds: (中文名, English name, phrases).
DEFAULT_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("违约责任", "Liability for breach", "违约责任\n违约金\n/liabilit(y|ies) for breach/\nbreach of contract"),
    ("争议解决", "Dispute resolution", "争议解决\n仲裁\n管辖\n/dispute[s]? resolution/\narbitration\njurisdiction"),
    ("保密", "Confidentiality", "保密\nconfidential"),
    ("不可抗力", "Force majeure", "不可抗力\n/force\\s+majeure/"),
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=256)
def _compile(line: str) -> re.Pattern[str]:
    if len(line) > 2 and line.startswith("/") and line.endswith("/"):
        return re.compile(line[1:-1], re.IGNORECASE)
    # Phrases match across line breaks and spacing differences of the extracted text.
    words = [re.escape(word) for word in _fold(line).split()]
    return re.compile(r"\s*".join(words) if words else re.escape(line))


def phrases(patterns: str) -> list[str]:
    return [line.strip() for line in patterns.splitlines() if line.strip()]


def validate_patterns(patterns: str) -> str:
    """The phrases cleaned up; 422 naming the field when none is given or a regex is wrong."""
    lines = phrases(patterns)
    if not lines:
        raise ValidationFailed(_("patterns: give at least one phrase."), field="patterns")
    for line in lines:
        try:
            _compile(line)
        except re.error as error:
            raise ValidationFailed(
                _("patterns: %(line)s is not a valid regular expression (%(error)s).", line=line, error=str(error)),
                field="patterns",
            ) from error
    return "\n".join(lines)


def clause_present(item: ChecklistItem, text: str) -> bool:
    folded = _fold(text)
    return any(_compile(line).search(folded) for line in phrases(item.patterns))


def items_for(contract: Contract) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            select(ChecklistItem)
            .where(
                ChecklistItem.active.is_(True),
                or_(
                    ChecklistItem.contract_type_code.is_(None),
                    ChecklistItem.contract_type_code == contract.contract_type_code,
                ),
            )
            .order_by(ChecklistItem.id)
        )
    )


def run(version: ContractVersion) -> list[ReviewFinding]:
    """Check ``version``'s text against its contract's checklist; replaces its findings."""
    extracted = db.session.get(VersionText, version.id)
    contract = db.session.get(Contract, version.contract_id)
    if extracted is None or contract is None:
        return []
    items = items_for(contract)
    db.session.execute(
        delete(ReviewFinding).where(ReviewFinding.version_id == version.id, ReviewFinding.kind == "missing_clause")
    )
    findings = [
        ReviewFinding(contract_id=contract.id, version_id=version.id, item_id=item.id, kind="missing_clause")
        for item in items
        if not clause_present(item, extracted.text)
    ]
    db.session.add_all(findings)
    db.session.flush()
    if items:
        record(
            "review.checklist",
            contract_id=contract.id,
            version_id=version.id,
            actor=None,
            version=version.number,
            checked=len(items),
            missing=len(findings),
        )
    return findings


def findings(contract: Contract) -> list[ReviewFinding]:
    """The findings of the contract's latest version."""
    version = contract.latest_version
    if version is None:
        return []
    return list(
        db.session.scalars(
            select(ReviewFinding).where(ReviewFinding.version_id == version.id).order_by(ReviewFinding.id)
        )
    )


def finding_count(contract: Contract) -> int:
    version = contract.latest_version
    if version is None:
        return 0
    return int(
        db.session.scalar(select(func.count(ReviewFinding.id)).where(ReviewFinding.version_id == version.id)) or 0
    )


def seed_defaults() -> int:
    """Add the default checklist (for every contract type) unless a checklist exists."""
    if db.session.scalar(select(func.count(ChecklistItem.id))):
        return 0
    for name_zh, name_en, patterns in DEFAULT_ITEMS:
        db.session.add(ChecklistItem(name_zh=name_zh, name_en=name_en, patterns=patterns))
    db.session.flush()
    return len(DEFAULT_ITEMS)


def save_item(
    actor: Any,
    item_id: int | None,
    *,
    contract_type: str | None,
    name_zh: str,
    name_en: str,
    patterns: str,
    active: bool = True,
) -> ChecklistItem:
    """Add a checklist item, or change the one ``item_id`` names."""
    name_zh, name_en = (name_zh or "").strip(), (name_en or "").strip()
    if not name_zh and not name_en:
        raise ValidationFailed(_("name_zh: give the clause a name."), field="name_zh")
    if contract_type is not None and db.session.get(ContractType, contract_type) is None:
        raise ValidationFailed(_("contract_type: no such contract type."), field="contract_type")
    cleaned = validate_patterns(patterns or "")
    item = db.session.get(ChecklistItem, item_id) if item_id else None
    if item_id and item is None:
        raise NotFound(_("No such checklist item."))
    if item is None:
        item = ChecklistItem()
        db.session.add(item)
    item.contract_type_code = contract_type
    item.name_zh, item.name_en = name_zh[:120] or name_en[:120], name_en[:120] or name_zh[:120]
    item.patterns, item.active = cleaned, active
    db.session.flush()
    record("review.checklist_item", actor=actor, item=item.name_zh, active=active, item_id=item.id)
    return item
