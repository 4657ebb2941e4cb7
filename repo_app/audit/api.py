"""API v1 handler of the audit trail."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from ..auth.login import login_required
from ..core.pagination import page_arguments, paginate
from . import services as audit_services


@login_required
def audit_events() -> Any:
    criteria = audit_services.parse_filter(request.args)
    page, per_page = page_arguments(request.args, default_per_page=50)
    result = paginate(audit_services.events_query(current_user, criteria), page, per_page)
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "items": audit_services.with_sentences(current_user, result.items),
        }
    )
