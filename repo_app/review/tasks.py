"""The review feature's job: once a version's text is stored, carry the comments over to it and
run the clause checklist on it."""

from __future__ import annotations

from flask import Flask

from ..contracts.models import ContractVersion, VersionText
from ..core import uow
from ..core.extensions import db
from ..core.jobs.queue import enqueue, job
from . import checklist, services

REVIEW_VERSION = "review_version"


def review_version(version_id: int) -> None:
    """Re-anchor the threads and check the clauses of one version (idempotent)."""
    version = db.session.get(ContractVersion, version_id)
    if version is None or db.session.get(VersionText, version_id) is None:
        return
    services.carry_over(version)
    checklist.run(version)


def queue_review(version: ContractVersion) -> None:
    """Called by the extraction pipeline (``search.pipeline.TEXT_READY``) in its transaction."""
    version_id = version.id
    uow.after_commit(lambda: enqueue(REVIEW_VERSION, version_id), key=(REVIEW_VERSION, version_id))


def register_jobs(app: Flask) -> None:
    job(app, REVIEW_VERSION)(review_version)
