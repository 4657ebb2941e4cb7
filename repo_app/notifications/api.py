"""API v1 handlers of notifications."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from ..auth.login import login_required
from ..core.bodies import json_object, optional_id
from ..core.pagination import page_arguments
from . import services


@login_required
def list_notifications() -> Any:
    page, per_page = page_arguments(request.args)
    result = services.list_notifications(current_user, page, per_page, unread_only=request.args.get("unread") == "1")
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "unread": services.unread_count(current_user),
            "items": [services.to_dict(note) for note in result.items],
        }
    )


@login_required
def mark_read() -> Any:
    changed = services.mark_read(current_user, optional_id(json_object(), "id"))
    return jsonify({"marked": changed, "unread": services.unread_count(current_user)})
