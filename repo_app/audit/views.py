"""The auditor's pages: the trail with filters, CSV and PDF export, and the chain check."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import permission_required
from ..auth.roles import Permission
from ..contracts.result_views import file_response, pending_page, this_url
from ..core import clock, results
from ..core.audit import record
from ..core.audit.chain import verify
from ..core.pagination import page_arguments, paginate
from . import sentences, services
from .anchors import verify_anchors
from .readable import readable


@permission_required(Permission.AUDIT_READ)
def trail() -> Any:
    criteria = services.parse_filter(request.args)
    page, per_page = page_arguments(request.args, default_per_page=50)
    result = paginate(services.events_query(current_user, criteria), page, per_page)
    return render_template(
        "audit/trail.html",
        page=result,
        events=readable(current_user, result.items),
        action_groups=sentences.grouped_options(),
        args=request.args,
    )


@permission_required(Permission.AUDIT_READ)
def export_csv() -> Any:
    criteria = services.parse_filter(request.args)
    query = services.events_query(current_user, criteria)
    record("audit.export", format="csv", filters=request.args.to_dict())
    rows = services.csv_rows(current_user.id, services.in_batches(query))
    filename = f"pactum-audit-{clock.now():%Y%m%d-%H%M%S}.csv"
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@permission_required(Permission.AUDIT_READ)
def export_pdf() -> Any:
    """The PDF at once when kept for the same inputs, else a page that waits for it and then
    loads this URL again."""
    criteria = services.parse_filter(request.args)
    language = str(get_locale() or "zh_CN")
    row = services.request_trail_pdf(current_user, criteria, request.args.to_dict(), language)
    if row.status == results.DONE:
        return file_response(row, services.TRAIL_PDF_KIND)
    text = (
        _("Audit trail"),
        _("The PDF of the filtered trail is written in the background; it is kept for the next time."),
    )
    status_url = url_for("contracts.result_status", key=row.key)
    return pending_page(row, services.TRAIL_PDF_KIND, text, (status_url, this_url()))


@permission_required(Permission.AUDIT_READ)
def check_chain() -> Any:
    services.events_query(current_user, services.AuditFilter())  # permission check
    checked, problem = verify()
    anchors = verify_anchors()
    record(
        "audit.verify",
        checked=checked,
        intact=problem is None,
        anchors=anchors.checked,
        anchors_intact=not anchors.problems,
    )
    return render_template("audit/verify.html", checked=checked, problem=problem, anchors=anchors)
