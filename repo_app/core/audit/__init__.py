"""Recording audit events, inside the same transaction as the change they describe.

Every layer records through :func:`record`; reading and exporting the trail is the audit
feature's (``repo_app.audit``), which sits above the features whose events it shows.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from ..clock import now
from ..extensions import db
from . import chain
from .models import AuditEvent

#: Opening the same contract (or the preview of the same version) again within this time is
#: the same visit: redirects back to the page after an action, a reload, the viewer's range
#: and revalidation requests are not recorded again.
VISIT_WINDOW = timedelta(minutes=10)


def record(
    action: str, *, contract_id: int | None = None, version_id: int | None = None, actor: Any = None, **details: Any
) -> AuditEvent:
    """Add an audit event to the current session; the caller's commit makes it durable.

    ``actor`` defaults to the logged-in user (web session or API token).
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        contract_id=contract_id,
        version_id=version_id,
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None) or details.pop("email", None),
        details=details,
    )
    if has_request_context():
        event.ip = request.remote_addr
        event.user_agent = (request.user_agent.string or "")[:400] or None
    event.at = now()
    chain.append(event)
    return event


def record_visit(action: str, *, contract_id: int, version_id: int | None = None, **details: Any) -> AuditEvent | None:
    """Record that the logged-in user looked at something, once per visit (``VISIT_WINDOW``).

    The chain's head is locked first, so two requests of one visit arriving together (a
    viewer's range requests) cannot both record it. Nothing recorded earlier is touched.
    """
    actor_id = getattr(current_user, "id", None) if has_request_context() else None
    if actor_id is None:
        return record(action, contract_id=contract_id, version_id=version_id, **details)
    chain.lock()
    recent = select(AuditEvent.id).where(
        AuditEvent.action == action,
        AuditEvent.actor_id == actor_id,
        AuditEvent.contract_id == contract_id,
        AuditEvent.version_id.is_(None) if version_id is None else AuditEvent.version_id == version_id,
        AuditEvent.at >= now() - VISIT_WINDOW,
    )
    if db.session.scalar(recent.limit(1)) is not None:
        return None
    return record(action, contract_id=contract_id, version_id=version_id, **details)


__all__ = ["VISIT_WINDOW", "AuditEvent", "record", "record_visit"]
