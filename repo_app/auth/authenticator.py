"""Authenticator apps (TOTP) as a second way to confirm a signature, beside the password.

The key is shown (QR code and text) until the set-up is confirmed, and stored encrypted (Fernet, keyed by the
app's secret key: rotating that key means users set their app up again). Setting up and
removing are audited; a signature refused for a wrong code is audited by the signing service.
"""

from __future__ import annotations

import base64
import hashlib

import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import gettext as _

from ..core import clock
from ..core.audit import record
from ..core.errors import Conflict, ValidationFailed
from ..core.extensions import db, settings
from . import totp
from .models import Authenticator, User
from .services import password_matches

__all__ = [
    "authenticator_of",
    "has_authenticator",
    "start_setup",
    "pending_secret",
    "confirm_setup",
    "remove",
    "accepts_code",
    "qr_svg",
    "setup_uri",
]


def _fernet() -> Fernet:
    secret_key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hashlib.sha256(b"pactum authenticator keys\0" + secret_key).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _secret(entry: Authenticator) -> str:
    try:
        return _fernet().decrypt(entry.secret_encrypted.encode()).decode()
    except InvalidToken:
        raise Conflict(_("Your authenticator app must be set up again (the server's secret key changed).")) from None


def authenticator_of(user: User) -> Authenticator | None:
    return db.session.get(Authenticator, user.id)


def has_authenticator(user: User) -> bool:
    entry = authenticator_of(user)
    return entry is not None and entry.confirmed_at is not None


def start_setup(user: User) -> str:
    """A new key for ``user`` (replacing one not confirmed yet); returns it for display."""
    entry = authenticator_of(user)
    if entry is not None and entry.confirmed_at is not None:
        raise Conflict(_("An authenticator app is already set up. Remove it first."))
    secret = totp.new_secret()
    encrypted = _fernet().encrypt(secret.encode()).decode()
    if entry is None:
        db.session.add(Authenticator(user_id=user.id, secret_encrypted=encrypted))
    else:
        entry.secret_encrypted, entry.created_at, entry.last_step = encrypted, clock.now(), None
    return secret


def pending_secret(user: User) -> str | None:
    """The key of a set-up not confirmed yet (None also when it can no longer be decrypted:
    starting again replaces it)."""
    entry = authenticator_of(user)
    if entry is None or entry.confirmed_at is not None:
        return None
    try:
        return _secret(entry)
    except Conflict:
        return None


def confirm_setup(user: User, code: str) -> None:
    entry = authenticator_of(user)
    if entry is None or entry.confirmed_at is not None:
        raise Conflict(_("Start the set-up first."))
    step = totp.matching_step(_secret(entry), code)
    if step is None:
        raise ValidationFailed(_("That code is not right. Check the time on your phone and try the current code."))
    entry.confirmed_at, entry.last_step = clock.now(), step
    record("auth.authenticator_added", actor=user)


def remove(user: User, password: str) -> None:
    entry = authenticator_of(user)
    if entry is None:
        return
    if not password_matches(user, password):
        raise ValidationFailed(_("Enter your password to remove the authenticator app."))
    db.session.delete(entry)
    record("auth.authenticator_removed", actor=user)


def accepts_code(user: User, code: str) -> bool:
    """Whether ``code`` is a fresh code of the user's confirmed app; remembers it as used."""
    entry = authenticator_of(user)
    if entry is None or entry.confirmed_at is None or not code.strip():
        return False
    step = totp.matching_step(_secret(entry), code, after=entry.last_step)
    if step is None:
        return False
    entry.last_step = step
    return True


def setup_uri(user: User, secret: str) -> str:
    return totp.provisioning_uri(secret, user.email, settings().org_name)


def qr_svg(text: str) -> str:
    """An inline SVG QR code (rendered on the server: no script, no third-party service)."""
    svg: str = segno.make(text, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")
    return svg
