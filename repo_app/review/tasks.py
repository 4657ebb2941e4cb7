"""What review does once a version's text is stored: carry the comments over to it and run the
clause checklist on it.

It runs inside the extraction job (``search.pipeline.TEXT_READY``), in that job's transaction,
not as a job of its own: both steps take well under a second even for a million characters
(``python -m bench.review``), and a separate job would queue behind the next extraction batches.
"""

from __future__ import annotations

import logging

from ..contracts.models import ContractVersion, VersionText
from ..core.extensions import db
from . import checklist, services

log = logging.getLogger(__name__)


def review_version(version: ContractVersion) -> None:
    """Re-anchor the threads and check the clauses of one version (idempotent). Never fails the
    extraction: a failure rolls back to a savepoint and is logged, the text stays indexed."""
    if db.session.get(VersionText, version.id) is None:
        return
    try:
        with db.session.begin_nested():
            services.carry_over(version)
            checklist.run(version)
    except Exception:  # noqa: BLE001 - see the docstring
        log.exception("reviewing version %s failed", version.id)
