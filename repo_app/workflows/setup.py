"""The approval workflows feature: pages, API handlers, the signing guard, the restart of a
running approval on a new version, the approvals part of "My tasks" and of the lifecycle panel."""

from __future__ import annotations

from flask import Flask

from ..core import registry, signals
from ..core.api import add_openapi_paths, add_route
from ..core.jobs.periodic import STEPS, Step
from ..core.tasks import PROVIDERS
from ..lifecycle.panel import PANEL_PARTS
from ..signing.services import SIGNING_GUARDS
from . import api, guards, openapi, routing
from .blueprint import bp
from .inbox import ApprovalTasks
from .panel import approval_part
from .services import escalate_overdue


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["routing_facts"] = routing.routing_facts
    registry.add(app, SIGNING_GUARDS, guards.require_approval)
    registry.add(app, PROVIDERS, ApprovalTasks())
    registry.add(app, PANEL_PARTS, approval_part)
    registry.add(app, STEPS, Step("escalations", escalate_overdue, rank=20))
    signals.connect(app, signals.version_added, guards.restart_on_new_version)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/contracts/<int:contract_id>/approval", api.approval_state, "GET")
    add_route(app, "/contracts/<int:contract_id>/approval", api.submit, "POST")
    add_route(app, "/contracts/<int:contract_id>/approval", api.withdraw, "DELETE")
    add_route(app, "/contracts/<int:contract_id>/approval/decisions", api.decide, "POST")
