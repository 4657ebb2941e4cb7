"""E-mails about the account itself, sent through the outbox: the password-reset link.

Registered with the auth feature (``auth.password_reset.RESET_MAILERS``), which sits below
this one and cannot call the outbox itself. The link is in the delivery's payload until sent;
it expires after ``PACTUM_PASSWORD_RESET_MINUTES`` and works once.
"""

from __future__ import annotations

from ..auth.models import User
from ..core import clock
from ..core.extensions import settings
from . import delivery
from .models import Delivery
from .services import language_of

PASSWORD_RESET = "account.password_reset"


def send_password_reset(user: User, path: str) -> None:
    """Queue the e-mail with the reset link ``path`` to ``user`` (sent after the commit)."""
    now = clock.now()
    delivery.add(
        Delivery(
            channel="email",
            event=PASSWORD_RESET,
            user_id=user.id,
            payload={
                "kind": PASSWORD_RESET,
                "params": {"minutes": settings().password_reset_minutes},
                "url": path,
                "language": language_of(user),
            },
            next_attempt_at=now,
            created_at=now,
        )
    )
