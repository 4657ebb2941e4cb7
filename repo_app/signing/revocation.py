"""The internal CA publishes revocation: revoked certificates and the CRLs that list them.

Every revocation publishes a new CRL at once, in the same unit of work (its number one
higher), so the CRL served at ``/pki/ca.crl``, the one the next B-LT signature embeds and the
one the validator consults all list the certificate as soon as the change is committed. Without
changes a CRL is re-published once half of its validity (``PACTUM_CRL_VALIDITY_HOURS``) has
passed, so the current one is always fresh. The CA keeps no revocation state: the database does.

CRL times are the system clock's, not the app's: relying parties compare them with real
signing and timestamp times.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from signer import InternalCA, RevokedSerial, TrustSettings

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..core.audit import record
from ..core.clock import utcnow
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.extensions import db, settings
from . import keys
from .models import CertificateRevocation, PublishedCRL

#: Reasons an administrator may give (RFC 5280 5.3.1, as ``cryptography`` names them).
REASONS: tuple[str, ...] = (
    "unspecified",
    "key_compromise",
    "affiliation_changed",
    "superseded",
    "cessation_of_operation",
    "privilege_withdrawn",
)
#: What a deactivated account's certificate is revoked for: its holder no longer signs for us.
DEACTIVATION_REASON = "cessation_of_operation"


def crl_url() -> str:
    """The CRL distribution point named in the certificates the CA issues."""
    return keys.crl_url()


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


#: How often a CRL is numbered again when concurrent publications took the numbers it tried.
_PUBLISH_ATTEMPTS = 5


def _next_crl(authority: InternalCA) -> tuple[PublishedCRL, int]:
    """A new CRL listing every revoked certificate, numbered one higher than the latest
    stored, and how many certificates it lists (flushed; IntegrityError if the number is taken)."""
    latest = db.session.scalar(select(PublishedCRL.number).order_by(PublishedCRL.number.desc()).limit(1))
    number = (latest or 0) + 1
    revocations = list(db.session.scalars(select(CertificateRevocation)))
    this_update = utcnow().replace(microsecond=0)
    next_update = this_update + timedelta(hours=settings().crl_validity_hours)
    entries = [
        RevokedSerial(int(row.serial, 16), _aware(row.revoked_at), x509.ReasonFlags[row.reason]) for row in revocations
    ]
    der = authority.make_crl(entries, number, _aware(this_update), _aware(next_update))
    crl = PublishedCRL(number=number, der=der, this_update=this_update, next_update=next_update)
    db.session.add(crl)
    db.session.flush()
    return crl, len(entries)


def publish_crl(authority: InternalCA) -> PublishedCRL:
    """Sign and store a new CRL listing every revoked certificate; its number is one higher.

    Two requests publishing at once read the same latest number: the second insert then
    violates the primary key (on PostgreSQL after the first commits). Each attempt runs in
    a savepoint, so the loser rolls back only its own insert and numbers its CRL again.
    """
    for attempt in range(1, _PUBLISH_ATTEMPTS + 1):
        try:
            with db.session.begin_nested():
                crl, revoked = _next_crl(authority)
        except IntegrityError:
            if attempt == _PUBLISH_ATTEMPTS:
                raise
            continue
        record("ca.crl_publish", number=crl.number, revoked=revoked, next_update=crl.next_update.isoformat() + "Z")
        return crl
    raise AssertionError("unreachable: the last attempt returns or raises")


def _needs_refresh(crl: PublishedCRL) -> bool:
    """Whether half of the CRL's validity has passed (or all of it)."""
    half_life = (crl.next_update - crl.this_update) / 2
    return utcnow() >= crl.this_update + half_life


def current_crl() -> PublishedCRL:
    """The CRL to serve, embed and validate with; published first if none is fresh."""
    crl = db.session.scalar(select(PublishedCRL).order_by(PublishedCRL.number.desc()).limit(1))
    if crl is None or _needs_refresh(crl):
        crl = publish_crl(keys.internal_ca())
    return crl


def trust_settings() -> TrustSettings:
    """What the signing feature validates and signs with: the configured trust, knowing the
    internal CA's current CRL (for signatures of every level; see docs/signing.md)."""
    known = (current_crl().der,) if keys.ca_is_initialised() else ()
    return keys.trust_settings(known_crls=known)


def _serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def is_revoked(cert: x509.Certificate) -> bool:
    return db.session.get(CertificateRevocation, _serial_hex(cert)) is not None


def _revoke(authority: InternalCA, email: str, reason: str, actor: User | None) -> CertificateRevocation | None:
    """Revoke the certificate last issued for ``email`` and publish the new CRL.

    None when there is none, or it is revoked already."""
    cert = authority.user_certificate(email)
    if cert is None or is_revoked(cert):
        return None
    row = CertificateRevocation(serial=_serial_hex(cert), email=email, reason=reason, revoked_at=utcnow())
    db.session.add(row)
    db.session.flush()
    record("ca.certificate_revoke", actor=actor, serial=row.serial, subject_email=email, reason=reason)
    publish_crl(authority)
    return row


def revoke_certificate(actor: User, email: str, reason: str) -> CertificateRevocation:
    """An administrator revokes a user's signing certificate (their next signature gets a new one)."""
    access.require(actor, Permission.USER_ADMIN)
    if reason not in REASONS:
        raise ValidationFailed(_("Unknown revocation reason %(reason)s.", reason=reason))
    authority = keys.internal_ca()
    if authority.user_certificate(email) is None:
        raise NotFound(_("The internal CA has issued no certificate for %(email)s.", email=email))
    row = _revoke(authority, email, reason, actor)
    if row is None:
        raise Conflict(_("The certificate of %(email)s is revoked already.", email=email))
    return row


def revoke_as_operator(email: str, reason: str) -> CertificateRevocation | None:
    """``pactum ca revoke``: the operator at the console (no user) revokes; None if nothing to revoke."""
    return _revoke(keys.internal_ca(), email, reason, None)


def revoke_on_deactivation(sender: Flask, *, user: User, actor: User, active: bool, **_: Any) -> None:
    """A deactivated account can no longer sign: its certificate is revoked at once."""
    if active or not keys.ca_is_initialised():
        return
    _revoke(keys.internal_ca(), user.email, DEACTIVATION_REASON, actor)


def revocation_to_dict(row: CertificateRevocation) -> dict[str, Any]:
    return {
        "serial": row.serial,
        "email": row.email,
        "reason": row.reason,
        "revoked_at": row.revoked_at.replace(microsecond=0).isoformat() + "Z",
        "crl_url": crl_url(),
    }
