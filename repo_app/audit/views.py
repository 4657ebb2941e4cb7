"""The auditor's pages: the trail with filters, CSV and PDF export, and the chain check."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user

from ..auth.login import permission_required
from ..auth.roles import Permission
from ..core import clock
from ..core.audit import record
from ..core.audit.chain import verify
from ..core.pagination import page_arguments, paginate
from . import services
from .anchors import verify_anchors


@permission_required(Permission.AUDIT_READ)
def trail() -> Any:
    criteria = services.parse_filter(request.args)
    page, per_page = page_arguments(request.args, default_per_page=50)
    result = paginate(services.events_query(current_user, criteria), page, per_page)
    return render_template("audit/trail.html", page=result, args=request.args)


@permission_required(Permission.AUDIT_READ)
def export_csv() -> Any:
    criteria = services.parse_filter(request.args)
    query = services.events_query(current_user, criteria)
    record("audit.export", format="csv", filters=request.args.to_dict())
    rows = services.csv_rows(services.in_batches(query))
    filename = f"pactum-audit-{clock.now():%Y%m%d-%H%M%S}.csv"
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@permission_required(Permission.AUDIT_READ)
def export_pdf() -> Any:
    criteria = services.parse_filter(request.args)
    pdf = services.export_pdf(current_user, criteria, request.args.to_dict())
    filename = f"pactum-audit-{clock.now():%Y%m%d-%H%M%S}.pdf"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


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
