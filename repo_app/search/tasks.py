"""The search feature's background jobs."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from huey import crontab
from sqlalchemy import select

from ..contracts.models import ContractVersion
from ..contracts.status import VersionStatus
from ..core import clock
from ..core.extensions import db
from ..core.jobs.queue import enqueue, job, periodic
from . import indexing, pipeline

PROCESS_VERSION = "process_version"
REFRESH_CONTRACTS = "refresh_contracts"
#: A version still "processing" after this long lost its job (e.g. the queue was down when it
#: was uploaded): the sweep queues it again.
STUCK_AFTER = timedelta(minutes=15)


def register_jobs(app: Flask) -> None:
    job(app, PROCESS_VERSION, on_give_up=pipeline.give_up)(pipeline.process_version)
    job(app, REFRESH_CONTRACTS)(indexing.refresh_contracts)
    periodic(app, "requeue_stuck_versions", crontab(minute="*/10"), requeue_stuck)


def requeue_stuck() -> int:
    cutoff = clock.now() - STUCK_AFTER
    ids = list(
        db.session.scalars(
            select(ContractVersion.id).where(
                ContractVersion.status == VersionStatus.PROCESSING, ContractVersion.created_at < cutoff
            )
        )
    )
    for version_id in ids:
        enqueue(PROCESS_VERSION, version_id)
    return len(ids)
