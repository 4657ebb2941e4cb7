"""Templates and drafting: pages, API handlers, and the "drafted from" part of the contract page."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..contracts.blobs import BLOB_HOLDERS
from ..contracts.models import Contract
from ..contracts.pages import PAGE_PARTS
from ..core import registry
from ..core.api import add_openapi_paths, add_route
from . import api, openapi, services
from .blueprint import bp


def drafted_part(contract: Contract) -> dict[str, Any]:
    """The contract page says which template version a contract was drafted from."""
    origin = services.drafted_from(contract)
    if origin is None:
        return {"drafted_from": None}
    version = origin.template_version
    return {
        "drafted_from": {"name": version.template.name, "number": version.number, "template_id": version.template_id}
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add(app, PAGE_PARTS, drafted_part)
    registry.add(app, BLOB_HOLDERS, services.template_blobs)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/templates", api.list_templates, "GET")
    add_route(app, "/templates/<int:template_id>", api.get_template, "GET")
    add_route(app, "/templates/<int:template_id>/drafts", api.draft_from_template, "POST")
