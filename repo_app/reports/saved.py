"""Saved reports: a builder definition under a name, personal or shared with roles, optionally
e-mailed on a schedule. Only the owner edits one; the owner or an administrator deletes it.
Every change is audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Permission, Role, is_role
from ..contracts.access import require
from ..core.audit import record
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from . import builder
from .models import SavedReport

SCHEDULES = ("", "daily", "weekly", "monthly")


def _shared_with(user: User, report: SavedReport) -> bool:
    return report.owner_id != user.id and user.role in (report.shared_roles or [])


def mine(user: User) -> list[SavedReport]:
    query = select(SavedReport).where(SavedReport.owner_id == user.id).order_by(SavedReport.name, SavedReport.id)
    return list(db.session.scalars(query))


def shared_with_me(user: User) -> list[SavedReport]:
    """Reports others shared with the user's role (a JSON list: filtered here, they are few)."""
    query = select(SavedReport).where(SavedReport.owner_id != user.id).order_by(SavedReport.name, SavedReport.id)
    return [report for report in db.session.scalars(query) if _shared_with(user, report)]


def get(user: User, report_id: int) -> SavedReport:
    """A report the user may open: their own or one shared with their role (admins: any)."""
    require(user, Permission.CONTRACT_READ)
    report = db.session.get(SavedReport, report_id)
    if report is None or not (report.owner_id == user.id or _shared_with(user, report) or user.role == Role.ADMIN):
        raise NotFound(_("No such saved report."))
    return report


def _checked(user: User, body: Mapping[str, Any]) -> dict[str, Any]:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationFailed(_("Give the report a name."), field="name", fields={"name": "required"})
    definition = builder.parse_definition(body.get("definition"), user)
    roles = body.get("shared_roles") or []
    if not isinstance(roles, list) or not all(isinstance(role, str) and is_role(role) for role in roles):
        raise ValidationFailed(
            _("shared_roles must list roles."), field="shared_roles", fields={"shared_roles": "role"}
        )
    schedule = body.get("schedule") or ""
    if schedule not in SCHEDULES:
        raise ValidationFailed(
            _("schedule must be one of: %(choices)s", choices="daily, weekly, monthly"),
            field="schedule",
            fields={"schedule": "choice"},
        )
    recipients = _recipients(body.get("recipients") or [])
    return {
        "name": name.strip()[:120],
        "definition": definition.to_dict(),
        "shared_roles": sorted(set(roles)),
        "schedule": schedule,
        "recipients": recipients,
    }


def _recipients(raw: Any) -> list[int]:
    """User ids from ids or e-mail addresses (active users only)."""
    if not isinstance(raw, list):
        raise ValidationFailed(_("recipients must list users."), field="recipients", fields={"recipients": "list"})
    ids: list[int] = []
    for index, item in enumerate(raw):
        if isinstance(item, int) and not isinstance(item, bool):
            user = db.session.get(User, item)
        elif isinstance(item, str):
            user = db.session.scalar(select(User).where(User.email == item.strip().lower()))
        else:
            user = None
        if user is None or not user.active:
            path = f"recipients[{index}]"
            raise ValidationFailed(_("%(who)s is not a user.", who=item), field=path, fields={path: "user"})
        ids.append(user.id)
    return sorted(set(ids))


def create(user: User, body: Mapping[str, Any]) -> SavedReport:
    require(user, Permission.CONTRACT_READ)
    values = _checked(user, body)
    report = SavedReport(owner_id=user.id, **values)
    db.session.add(report)
    db.session.flush()
    record("report.saved_create", actor=user, report_id=report.id, name=report.name, roles=report.shared_roles)
    return report


def update(user: User, report_id: int, body: Mapping[str, Any]) -> SavedReport:
    report = get(user, report_id)
    if report.owner_id != user.id:
        raise NotFound(_("No such saved report."))
    for key, value in _checked(user, body).items():
        setattr(report, key, value)
    db.session.flush()
    record("report.saved_update", actor=user, report_id=report.id, name=report.name, roles=report.shared_roles)
    return report


def delete(user: User, report_id: int) -> None:
    report = get(user, report_id)
    if report.owner_id != user.id and user.role != Role.ADMIN:
        raise NotFound(_("No such saved report."))
    record("report.saved_delete", actor=user, report_id=report.id, name=report.name)
    db.session.delete(report)
    db.session.flush()


def definition_of(user: User, report: SavedReport) -> builder.Definition:
    """The saved definition, checked again (a custom field may have been removed since)."""
    return builder.parse_definition(report.definition, user)


def to_dict(report: SavedReport, user: User) -> dict[str, Any]:
    return {
        "id": report.id,
        "name": report.name,
        "owner_id": report.owner_id,
        "mine": report.owner_id == user.id,
        "definition": report.definition,
        "shared_roles": list(report.shared_roles or []),
        "schedule": report.schedule or None,
        "recipients": list(report.recipients or []),
        "created_at": report.created_at.isoformat(),
        "updated_at": report.updated_at.isoformat(),
    }
