"""API v1 handlers of the report builder: ad-hoc runs, saved reports (CRUD) and their runs."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..contracts.access import require
from ..core.bodies import json_object
from ..core.errors import ValidationFailed
from . import builder, report_files, saved, writers
from .views import language, search_url

#: The formats a run answers in: JSON (the figures) or a file.
RUN_FORMATS = ("json", *writers.FORMATS)


def _format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in RUN_FORMATS:
        raise ValidationFailed(
            f"format must be one of: {', '.join(RUN_FORMATS)}", field="format", fields={"format": fmt}
        )
    return fmt


def answer(definition: builder.Definition, title: str) -> Any:
    """The report as JSON, or its file (audited) in the requested format."""
    fmt = _format()
    if fmt == "json":
        report = builder.run(current_user, definition, language())
        return jsonify(report.to_dict(search_url))
    data = report_files.export(current_user, definition, fmt, title, language())
    filename = report_files.filename(title, fmt)
    return Response(
        data,
        mimetype=writers.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@login_required
def run_report() -> Any:
    require(current_user, Permission.CONTRACT_READ)
    definition = builder.parse_definition(json_object(required=True), current_user)
    return answer(definition, "report")


@login_required
def saved_reports() -> Any:
    require(current_user, Permission.CONTRACT_READ)
    return jsonify(
        {
            "mine": [saved.to_dict(report, current_user) for report in saved.mine(current_user)],
            "shared": [saved.to_dict(report, current_user) for report in saved.shared_with_me(current_user)],
        }
    )


@login_required
def create_saved_report() -> Any:
    report = saved.create(current_user, json_object(required=True))
    return jsonify(saved.to_dict(report, current_user)), 201


@login_required
def saved_report(report_id: int) -> Any:
    return jsonify(saved.to_dict(saved.get(current_user, report_id), current_user))


@login_required
def update_saved_report(report_id: int) -> Any:
    report = saved.update(current_user, report_id, json_object(required=True))
    return jsonify(saved.to_dict(report, current_user))


@login_required
def delete_saved_report(report_id: int) -> Any:
    saved.delete(current_user, report_id)
    return "", 204


@login_required
def run_saved_report(report_id: int) -> Any:
    report = saved.get(current_user, report_id)
    return answer(saved.definition_of(current_user, report), report.name)
