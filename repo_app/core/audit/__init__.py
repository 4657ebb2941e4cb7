"""Recording audit events, inside the same transaction as the change they describe.

Every layer records through :func:`record`; reading and exporting the trail is the audit
feature's (``repo_app.audit``), which sits above the features whose events it shows.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from ..clock import now
from . import chain
from .models import AuditEvent


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


__all__ = ["AuditEvent", "record"]
