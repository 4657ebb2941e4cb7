"""API v1 handlers of templates: list them with their schemas, draft a contract from one."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..contracts.schemas import contract_to_dict
from ..core.bodies import json_object, optional_text
from ..core.errors import ValidationFailed
from . import services
from .models import Template

#: What a client needs of each variable to fill it.
VARIABLE_FIELDS = ("name", "type", "label", "help", "required", "options", "columns", "maps_to", "sample")


def template_to_dict(template: Template) -> dict[str, Any]:
    published = template.published
    return {
        "id": template.id,
        "name": template.name,
        "language": template.language,
        "contract_type": template.contract_type_code,
        "department": template.department.name if template.department else None,
        "description": template.description,
        "retired": template.retired_at is not None,
        "version": published.number if published else None,
        "published_at": published.published_at.isoformat() if published and published.published_at else None,
        "variables": [
            {field: variable.get(field) for field in VARIABLE_FIELDS}
            for variable in (published.variables if published else [])
        ],
    }


@login_required
def list_templates() -> Any:
    items = [item for item in services.visible_templates(current_user) if item.published is not None]
    return jsonify({"items": [template_to_dict(item) for item in items]})


@login_required
def get_template(template_id: int) -> Any:
    return jsonify(template_to_dict(services.get_template(current_user, template_id)))


@login_required
def draft_from_template(template_id: int) -> Any:
    template = services.get_template(current_user, template_id)
    body = json_object(required=True)
    variables = body.get("variables", {})
    if not isinstance(variables, dict):
        raise ValidationFailed(_("variables must be an object of variable names and values."), field="variables")
    unknown = sorted(set(body) - {"variables", "title"})
    if unknown:
        raise ValidationFailed(_("Unknown field %(field)s.", field=unknown[0]), field=unknown[0])
    contract = services.draft_contract(current_user, template, variables, optional_text(body, "title"))
    payload = contract_to_dict(contract)
    payload["url"] = url_for("contracts.detail", contract_id=contract.id)
    payload["drafted_from"] = {
        "template_id": template.id,
        "version": template.published.number if template.published else None,
    }
    return jsonify(payload), 201, {"Location": url_for("api.get_contract", contract_id=contract.id)}


@login_required
def bulk_drafts(template_id: int) -> Any:
    """Check (``dry_run``) or draft one contract per row; any bad row refuses them all (422 listing them)."""
    from . import bulk

    template = services.get_template(current_user, template_id)
    body = json_object(required=True)
    rows = body.get("rows")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationFailed(_("rows must be a list of objects of column names and values."), field="rows")
    if len(rows) > bulk.MAX_ROWS:
        raise ValidationFailed(_("At most %(n)d rows at a time.", n=bulk.MAX_ROWS), field="rows")
    dry_run = body.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise ValidationFailed(_("dry_run must be true or false."), field="dry_run")
    flat = [{str(k): "" if v is None else str(v) for k, v in row.items()} for row in rows]
    if dry_run:
        errors = bulk.check_rows(current_user, template, flat)
        return jsonify({"rows": len(flat), "errors": [error.to_dict() for error in errors]})
    contracts = bulk.draft_rows(current_user, template, flat)
    return jsonify(
        {
            "contracts": [
                {"id": c.id, "title": c.title, "url": url_for("contracts.detail", contract_id=c.id)} for c in contracts
            ]
        }
    ), 201
