"""Templates and drafting: pages, API handlers, the template files counted as blobs in use, and
the contract page's part ("drafted from template T v3", "Save as template")."""

from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask_login import current_user

from ..auth.roles import Permission
from ..contracts.blobs import BLOB_HOLDERS
from ..contracts.models import Contract
from ..contracts.pages import PAGE_PARTS
from ..core import registry
from ..core.api import add_openapi_paths, add_route
from . import api, openapi, services
from .blueprint import bp
from .deviation import deviation


def drafted_part(contract: Contract) -> dict[str, Any]:
    """Which template version the contract was drafted from, and "Save as template" for a Word
    version, offered to those who manage templates."""
    origin = services.drafted_from(contract)
    drafted = None
    if origin is not None:
        version = origin.template_version
        drafted = {"name": version.template.name, "number": version.number, "template_id": version.template_id}
    latest = contract.latest_version
    save_url = None
    if latest is not None and latest.media_type == services.DOCX and current_user.can(Permission.TEMPLATE_MANAGE):
        save_url = url_for("drafting.save_as_template", contract_id=contract.id, number=latest.number)
    return {"drafted_from": drafted, "deviation": deviation(contract), "save_as_template_url": save_url}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add(app, PAGE_PARTS, drafted_part)
    registry.add(app, BLOB_HOLDERS, services.template_blobs)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/templates", api.list_templates, "GET")
    add_route(app, "/templates/<int:template_id>", api.get_template, "GET")
    add_route(app, "/templates/<int:template_id>/drafts", api.draft_from_template, "POST")
    add_route(app, "/templates/<int:template_id>/bulk-drafts", api.bulk_drafts, "POST")
