"""Time-based one-time passwords (RFC 6238), as authenticator apps compute them.

A code is HMAC-SHA1 of the number of 30-second steps since the epoch, truncated to six
digits (RFC 4226 dynamic truncation). One step either side is accepted for clock drift.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

__all__ = ["new_secret", "code_at", "current_step", "matching_step", "provisioning_uri", "DIGITS"]

STEP_SECONDS = 30
DIGITS = 6
#: Steps accepted before and after the current one.
DRIFT = 1


def new_secret() -> str:
    """A random 160-bit key in base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)


def code_at(secret: str, step: int, digits: int = DIGITS) -> str:
    mac = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def current_step(now: float | None = None) -> int:
    # The system clock, not the app's: the codes come from an authenticator app, which knows
    # only the real time.
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, after: int | None = None, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to, if it is valid now and later than ``after`` (the
    step last used: a code is good once), else None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT, step + DRIFT + 1):
        if after is not None and candidate <= after:
            continue
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from a QR code."""
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{quote(issuer)}:{quote(account)}?{query}"
