"""The search feature's background jobs."""

from __future__ import annotations

from flask import Flask

from ..core import registry
from ..core.jobs.periodic import STEPS, Step
from ..core.jobs.queue import job
from ..core.jobs.worker import ON_START
from . import indexing, pipeline
from .pipeline import PROCESS_VERSION

REFRESH_CONTRACTS = "refresh_contracts"

__all__ = ["PROCESS_VERSION", "REFRESH_CONTRACTS", "register_jobs"]


def register_jobs(app: Flask) -> None:
    job(app, PROCESS_VERSION, on_give_up=pipeline.give_up)(pipeline.process_version)
    job(app, REFRESH_CONTRACTS)(indexing.refresh_contracts)
    # Every minute and at each worker's start: versions whose extraction job was lost.
    registry.add(app, STEPS, Step("requeue_lost_versions", pipeline.requeue_lost_versions, rank=5))
    registry.add(app, ON_START, pipeline.requeue_lost_versions)
    registry.add(app, ON_START, pipeline.remove_stale_extract_folders)
