"""The dashboard page and the ledger export for the browser. Thin: parse, call, render."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.login import permission_required
from ..auth.roles import Permission, Role
from ..contracts.result_views import file_response, pending_page, this_url
from ..contracts.status import ContractStatus, status_label
from ..core import results
from ..core.errors import PactumError
from ..core.forms import ConfirmForm
from ..search.services import filter_fields
from . import builder, dashboard, ledger, report_files, saved, services, writers
from .kept_dashboard import kept_dashboard
from .models import SavedReport


def language() -> str:
    return str(get_locale() or "zh_CN")


def search_url(params: dict[str, list[str]]) -> str:
    """The search page listing what a chart's bar counted."""
    arguments: dict[str, Any] = dict(params)
    return url_for("search.search_page", **arguments)


@permission_required(Permission.CONTRACT_READ)
def dashboard_page() -> Any:
    board = kept_dashboard(current_user, language())
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


# --- the report builder -------------------------------------------------------------------------

#: The builder page's own parameters (the rest are the search filters).
_PAGE_KEYS = ("group1", "group2", "measure", "currency", "order", "limit", "report")


def _definition_body(args: MultiDict[str, str]) -> dict[str, Any]:
    """A definition from the page's query string (the filters are the search page's names)."""
    body: dict[str, Any] = {
        "filters": {name: values for name, values in ledger.export_arguments(args).items() if name != "sort"},
        "group_by": [value for value in (args.get("group1"), args.get("group2")) if value],
        "measures": args.getlist("measure") or ["count"],
        "currency": args.get("currency") or "split",
    }
    if args.get("order"):
        body["sort"] = args["order"]
    if args.get("limit"):
        body["limit"] = int(args["limit"]) if args["limit"].isdigit() else args["limit"]
    return body


def _page_args(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """The query string of a definition (a saved report reopened, its export links)."""
    pairs = [(name, value) for name, values in definition.get("filters", {}).items() for value in values]
    pairs += [(f"group{index + 1}", name) for index, name in enumerate(definition.get("group_by", []))]
    pairs += [("measure", name) for name in definition.get("measures", [])]
    pairs += [("currency", definition.get("currency", "split")), ("order", definition.get("sort", ""))]
    pairs.append(("limit", str(definition.get("limit", builder.DEFAULT_LIMIT))))
    return pairs


def _opened(args: MultiDict[str, str]) -> tuple[SavedReport | None, dict[str, Any] | None]:
    if args.get("report", "").isdigit():
        report = saved.get(current_user, int(args["report"]))
        return report, report.definition
    if args.get("group1"):
        return None, _definition_body(args)
    return None, None


@permission_required(Permission.CONTRACT_READ)
def builder_page() -> Any:
    error = None
    result = None
    report, body = _opened(request.args)
    if body is not None:
        try:
            definition = builder.parse_definition(body, current_user)
            result = builder.run(current_user, definition, language()).to_dict(search_url)
            body = definition.to_dict()
        except PactumError as failure:
            error = f"{failure.extra.get('field', '')}: {failure.message}".lstrip(": ")
    pairs = _page_args(body) if body else []
    return render_template(
        "reports/builder.html",
        choices=builder.choices(language()),
        state=body or {"filters": {}, "group_by": [], "measures": ["count"], "currency": "split"},
        result=result,
        error=error,
        opened=report,
        query=urlencode(pairs),
        mine=saved.mine(current_user),
        shared=saved.shared_with_me(current_user),
        roles=[role.value for role in Role],
        schedules=saved.SCHEDULES[1:],
        formats=writers.FORMATS,
        form=ConfirmForm(),
        custom=filter_fields(),
        statuses=[(status.value, status_label(status)) for status in ContractStatus],
        currency_modes=builder.CURRENCY_MODES,
    ), (422 if error else 200)


def _recipients(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


@permission_required(Permission.CONTRACT_READ)
def save_report() -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        definition = json.loads(request.form.get("definition") or "null")
    except ValueError:
        definition = None
    body = {
        "name": request.form.get("name", ""),
        "definition": definition,
        "shared_roles": request.form.getlist("shared_roles"),
        "schedule": request.form.get("schedule", ""),
        "recipients": _recipients(request.form.get("recipients", "")),
    }
    existing = request.form.get("report_id", "")
    try:
        if existing.isdigit():
            report = saved.update(current_user, int(existing), body)
        else:
            report = saved.create(current_user, body)
    except PactumError as failure:
        flash(failure.message, "danger")
        return redirect(url_for("reports.builder_page"))
    flash(_("Report saved."), "success")
    return redirect(url_for("reports.builder_page", report=report.id))


@permission_required(Permission.CONTRACT_READ)
def delete_report(report_id: int) -> Any:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    saved.delete(current_user, report_id)
    flash(_("Saved report deleted."), "success")
    return redirect(url_for("reports.builder_page"))


@permission_required(Permission.CONTRACT_READ)
def export_report(fmt: str) -> Any:
    report, body = _opened(request.args)
    definition = builder.parse_definition(body, current_user)
    title = report.name if report is not None else _("Report")
    data = report_files.export(current_user, definition, fmt, title, language())
    return Response(
        data,
        mimetype=writers.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={report_files.filename(title, fmt)}"},
    )
