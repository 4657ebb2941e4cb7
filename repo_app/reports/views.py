"""The dashboard page and the ledger export for the browser. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import permission_required
from ..auth.roles import Permission
from ..contracts.result_views import file_response, pending_page, this_url
from ..core import results
from . import dashboard, ledger, services, writers


def language() -> str:
    return str(get_locale() or "zh_CN")


def search_url(params: dict[str, list[str]]) -> str:
    """The search page listing what a chart's bar counted."""
    arguments: dict[str, Any] = dict(params)
    return url_for("search.search_page", **arguments)


@permission_required(Permission.CONTRACT_READ)
def dashboard_page() -> Any:
    board = dashboard.dashboard(current_user, language())
    data = dashboard.to_dict(board, search_url)
    return render_template("reports/dashboard.html", board=data)


@permission_required(Permission.CONTRACT_READ)
def export(fmt: str) -> Any:
    """The ledger file at once when kept for the same inputs, else a page that waits for it
    and then loads this URL again."""
    arguments = ledger.export_arguments(request.args)
    row = services.request_export(current_user, fmt, arguments, language())
    if row.status == results.DONE:
        return file_response(row, services.LEDGER_KIND)
    text = (
        _("Contract ledger"),
        _("The %(format)s file is written in the background; it is kept for the next time.", format=fmt.upper()),
    )
    status_url = url_for("contracts.result_status", key=row.key)
    return pending_page(row, services.LEDGER_KIND, text, (status_url, this_url()))


__all__ = ["dashboard_page", "export", "writers"]
