"""The guide's sections and which one explains which page."""

from __future__ import annotations

from flask import url_for

#: Section ids of the guide, in order; each template (help/guide_<locale>.html) has them all.
SECTIONS = (
    "signing-in",
    "tasks",
    "contracts",
    "searching",
    "dashboard",
    "reports",
    "uploading",
    "drafting",
    "signing",
    "approving",
    "auditing",
    "administering",
    "account",
)

#: The section that explains a page: the first entry whose prefix the endpoint starts with.
_PAGE_SECTIONS = (
    ("auth.login", "signing-in"),
    ("auth.forgot_password", "signing-in"),
    ("auth.reset_password", "signing-in"),
    ("auth.", "account"),
    ("notifications.preferences", "account"),
    ("signing.seals", "signing"),
    ("api.", "account"),
    ("tasks.", "tasks"),
    ("notifications.inbox", "tasks"),
    ("search.", "searching"),
    ("reports.builder_page", "reports"),
    ("reports.", "dashboard"),
    ("contracts.upload", "uploading"),
    ("drafting.", "drafting"),
    ("contracts.", "contracts"),
    ("money.", "contracts"),
    ("signing.", "signing"),
    ("workflows.decide_page", "approving"),
    ("workflows.", "administering"),
    ("review.checklist_page", "administering"),
    ("notifications.", "administering"),
    ("admin.", "administering"),
    ("audit.", "auditing"),
)


def section_for(endpoint: str) -> str | None:
    """The guide's section about the page of ``endpoint`` (None: the guide's start)."""
    for prefix, section in _PAGE_SECTIONS:
        if endpoint.startswith(prefix):
            return section
    return None


def help_url(endpoint: str) -> str:
    """The link of a page's "?" button: the guide, at the section about that page."""
    section = section_for(endpoint)
    return url_for("help.guide", _anchor=section) if section else url_for("help.guide")
