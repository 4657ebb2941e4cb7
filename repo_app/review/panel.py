"""What review adds to the contract page (comments, clause findings, periodic review) and to
the approval state in the lifecycle panel (the findings)."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract
from ..core.extensions import db
from ..drafting.deviation import deviation
from . import checklist, periodic, services
from .models import CommentStatus, ReviewSchedule


def page_part(contract: Contract) -> dict[str, Any]:
    """The template variables of the review panel (the page checked that the user may read)."""
    latest = contract.latest_version
    threads = services.threads(contract)
    marks = [
        {"id": thread.id, "page": thread.page, "quote": thread.quote}
        for thread in threads
        if latest is not None
        and thread.version_id == latest.id
        and thread.status == CommentStatus.OPEN
        and not thread.outdated
    ]
    can_edit = contract.deleted_at is None and access.may(current_user, contract, Permission.CONTRACT_EDIT)
    return {
        "review": {
            "threads": threads,
            "open_count": sum(1 for thread in threads if thread.status == CommentStatus.OPEN),
            "can_comment": services.may_comment(current_user, contract),
            "marks": marks,
            "latest_id": latest.id if latest else None,
            "findings": checklist.findings(contract),
            "schedule": db.session.get(ReviewSchedule, contract.id),
            "interval": periodic.interval_of(contract),
            "history": periodic.history(contract)[:5],
            "outcomes": periodic.OUTCOME_LABELS,
            "can_edit": can_edit,
        }
    }


def decision_notes(contract: Contract) -> list[str]:
    """The approver's note on the decision page: which required clauses are missing."""
    found = checklist.findings(contract)
    if not found:
        return []
    language = str(get_locale() or "en")
    names = "、".join(finding.item.label(language) for finding in found)
    return [_("Clause checklist: %(n)d required clauses not found (%(names)s).", n=len(found), names=names)]


def deviation_notes(contract: Contract) -> list[str]:
    """The approver's note on a drafted contract: the clauses negotiated away from the template's
    standard text (drafting compares the latest version with the drafted one)."""
    found = deviation(contract)
    if found is None or found.standard_text_kept:
        return []
    if not found.clauses:
        return [
            _(
                "Non-standard terms: version %(n)d changes the standard text outside the numbered clauses.",
                n=found.compared,
            )
        ]
    return [
        _(
            "Non-standard terms: version %(n)d changes %(names)s from the standard text.",
            n=found.compared,
            names="、".join(found.clauses),
        )
    ]


def approval_part(contract: Contract, can_edit: bool) -> dict[str, Any]:
    return {"review_findings": checklist.findings(contract)}
