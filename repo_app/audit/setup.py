"""The audit feature: the trail's pages and API, its export, and the daily anchor."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from ..auth.roles import Permission
from ..contracts.models import Contract
from ..contracts.pages import PAGE_PARTS
from ..core import registry, results
from ..core.api import add_openapi_paths, add_route
from ..core.extensions import db
from ..core.jobs.periodic import STEPS, Step
from ..core.jobs.queue import job
from . import api, openapi, services
from .anchors import anchor_daily
from .blueprint import bp
from .readable import readable


def history_part(contract: Contract) -> dict[str, Any]:
    """The contract page's history, for those who may read the audit trail."""
    if not current_user.can(Permission.AUDIT_READ):
        return {"history": None}
    query = services.events_query(current_user, services.AuditFilter(contract_id=contract.id)).limit(50)
    return {"history": readable(current_user, db.session.scalars(query).all())}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add(app, PAGE_PARTS, history_part)
    registry.add(app, STEPS, Step("audit_anchor", anchor_daily, rank=60))
    registry.add(app, results.KINDS, services.TRAIL_PDF_KIND)
    # a failure is kept as the result and shown to the user; running it again would fail again
    job(app, services.TRAIL_PDF_JOB, retries=0)(services.make_trail_pdf)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/audit", api.audit_events, "GET")
