"""The search feature: pages, API handlers, jobs, index refreshes on contract signals, and the
"similar contracts" part of the contract page."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from ..contracts.models import Contract
from ..contracts.pages import PAGE_PARTS
from ..core import registry
from ..core.api import add_openapi_paths, add_route
from . import api, events, openapi, services
from .blueprint import bp
from .tasks import register_jobs


def similar_part(contract: Contract) -> dict[str, Any]:
    return {"similar": services.more_like_this(current_user, contract)}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_jobs(app)
    events.connect_receivers(app)
    registry.add(app, PAGE_PARTS, similar_part)
    app.before_request(services.forget_principals)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/search", api.search, "GET")
    add_route(app, "/search/suggest", api.suggest, "GET")
    add_route(app, "/contracts/<int:contract_id>/similar", api.similar, "GET")
    add_route(app, "/contracts/<int:contract_id>/versions/<number>/reprocess", api.reprocess, "POST")
