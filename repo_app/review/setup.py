"""The review feature: comments on versions, the clause checklist and periodic reviews. Plugs
into the contract page, the lifecycle panel (approval state), the extraction pipeline, "My
tasks", the periodic tick and the API."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..contracts.pages import PAGE_PARTS
from ..core import registry
from ..core.api import add_openapi_paths, add_route
from ..core.jobs.periodic import STEPS, Step
from ..core.tasks import PROVIDERS
from ..lifecycle.panel import PANEL_PARTS
from ..search.pipeline import TEXT_READY
from ..workflows.panel import DECISION_NOTES
from ..workflows.routing import ROUTING_FACTS, RoutingFact
from . import api, checklist, openapi, panel, periodic, tasks
from .blueprint import bp

#: Routing rules may send contracts whose latest version lacks required clauses to legal.
FINDINGS_FACT = RoutingFact("review_findings", _l("Missing required clauses"), checklist.finding_count)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add(app, TEXT_READY, tasks.review_version)
    registry.add(app, PAGE_PARTS, panel.page_part)
    registry.add(app, PANEL_PARTS, panel.approval_part)
    registry.add(app, ROUTING_FACTS, FINDINGS_FACT)
    registry.add(app, DECISION_NOTES, panel.decision_notes)
    registry.add(app, DECISION_NOTES, panel.deviation_notes)
    registry.add(app, PROVIDERS, periodic.PeriodicReviewTasks())
    registry.add(app, STEPS, Step("periodic_review_dates", periodic.schedule_new, rank=30))
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/contracts/<int:contract_id>/comments", api.list_comments, "GET")
    add_route(app, "/contracts/<int:contract_id>/comments", api.create_comment, "POST")
    add_route(app, "/contracts/<int:contract_id>/comments/mentionable", api.mention_candidates, "GET")
    add_route(app, "/comments/<int:comment_id>/replies", api.reply_comment, "POST")
    add_route(app, "/comments/<int:comment_id>/resolution", api.resolve_comment, "POST")
    add_route(app, "/contracts/<int:contract_id>/review-findings", api.review_findings, "GET")
