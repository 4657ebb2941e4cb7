"""API v1 handlers: the ledger export and the dashboard's figures."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts.access import require
from ..contracts.result_views import file_response, pending_answer
from ..core import results
from . import dashboard, ledger, services
from .kept_dashboard import kept_dashboard
from .views import language, search_url


@login_required
def ledger_export() -> Any:
    """200 with the file when it is kept already, else 202 with the URL to poll."""
    fmt = request.args.get("format", "xlsx")
    arguments = ledger.export_arguments(request.args)
    row = services.request_export(current_user, fmt, arguments, language())
    if row.status == results.DONE:
        return file_response(row, services.LEDGER_KIND)
    return pending_answer(row, services.LEDGER_KIND)


@login_required
def dashboard_figures() -> Any:
    require(current_user, Permission.CONTRACT_READ)
    return jsonify(dashboard.to_dict(kept_dashboard(current_user, language()), search_url))
