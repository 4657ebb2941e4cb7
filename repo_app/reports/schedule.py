"""Scheduled reports: a saved report e-mailed daily, weekly or monthly to its owner and its
recipients, each computed with the recipient's own permissions, in their language, as XLSX.

Exactly once per period: the minute tick claims (report, period, recipient) in ``sent_reports``
with ``INSERT … ON CONFLICT DO NOTHING`` (``notifications.once.insert_once``, the primitive of
the lifecycle reminder pass) before sending, and commits per recipient; a failed send rolls its
claim back, so the next tick tries again, and a claimed period is never sent twice.
"""

from __future__ import annotations

import logging
from datetime import date
from email.utils import formataddr

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Permission
from ..core import clock, uow
from ..core.audit import record
from ..core.errors import PactumError
from ..core.extensions import db, settings
from ..notifications import email
from ..notifications.delivery import DeliveryFailed
from ..notifications.links import external, path_for
from ..notifications.once import insert_once
from ..notifications.services import language_of
from . import builder, report_files, writers
from .models import SavedReport, SentReport

log = logging.getLogger(__name__)


def period_of(schedule: str, day: date) -> str:
    """The period a day falls in: ``2026-12-05`` (daily), ``2026-W49`` (weekly), ``2026-12``."""
    if schedule == "daily":
        return day.isoformat()
    if schedule == "weekly":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day:%Y-%m}"


def recipients_of(report: SavedReport) -> list[User]:
    ids = {report.owner_id, *(report.recipients or [])}
    users = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id))
    return [user for user in users if user.active and user.can(Permission.CONTRACT_READ)]


def _send(report: SavedReport, user: User, period: str) -> None:
    """Compute the report as ``user`` sees it, in their language, and e-mail it as XLSX."""
    language = language_of(user)
    with force_locale(language):
        definition = builder.parse_definition(report.definition, user)
        result = builder.run(user, definition, language)
        data = report_files.write(user, result, "xlsx", report.name, language)
        subject = _("Pactum report %(name)s for %(period)s", name=report.name, period=period)
        body = "\n".join(
            [
                *builder.describe(definition, language),
                _("Only the contracts you may read are counted."),
            ]
        )
        action = _("Open in Pactum")
    message = email.build_message(
        formataddr((user.display_name, user.email)),
        language,
        subject,
        "message",
        body=body,
        link=external(path_for("reports.builder_page", report=report.id)),
        action=action,
    )
    message.add_attachment(
        data,
        maintype="application",
        subtype=writers.MEDIA_TYPES["xlsx"].split("/", 1)[1],
        filename=report_files.filename(report.name, "xlsx"),
    )
    email.send(message)


def send_scheduled_reports() -> int:
    """Send every scheduled report not yet sent this period; returns how many e-mails went out."""
    if not settings().smtp_url:
        return 0
    today = clock.today()
    reports = list(db.session.scalars(select(SavedReport).where(SavedReport.schedule != "").order_by(SavedReport.id)))
    plan = [
        (report.id, period_of(report.schedule, today), user.id) for report in reports for user in recipients_of(report)
    ]
    db.session.rollback()  # end the read transaction before the claims
    sent = 0
    for report_id, period, user_id in plan:
        try:
            if not insert_once(SentReport, report_id=report_id, period=period, user_id=user_id, sent_at=clock.now()):
                continue
            report = db.session.get(SavedReport, report_id)
            user = db.session.get(User, user_id)
            assert report is not None and user is not None
            _send(report, user, period)
            record(
                "report.scheduled_sent",
                actor=None,
                report_id=report_id,
                name=report.name,
                recipient=user.email,
                period=period,
            )
            uow.commit()
            sent += 1
        except (PactumError, DeliveryFailed, AssertionError):
            uow.rollback()
            log.exception("scheduled report %s to user %s failed", report_id, user_id)
    return sent
