"""The keys and trust settings the app signs and validates with, built from configuration."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography import x509
from flask_babel import gettext as _

from signer import FileSigningKey, InternalCA, IssuedCertificate, SignerError, SigningKey, TrustSettings

from ..core.errors import ServiceUnavailable
from ..core.extensions import db, settings
from .models import CertificateRevocation

#: The internal CA's certificate for the organisation itself (signs reports).
ORGANISATION_IDENTITY = "organisation@pactum.internal"


def ca_folder() -> Path:
    return settings().data_dir / "ca"


def _passphrase_file() -> Path:
    return settings().data_dir / "secrets" / "ca-passphrase"


def ca_passphrase(*, create: bool = False) -> str:
    """PACTUM_CA_PASSPHRASE, or the generated one kept (0600) in the data folder."""
    if settings().ca_passphrase:
        return settings().ca_passphrase
    path = _passphrase_file()
    if path.exists():
        return path.read_text().strip()
    if not create:
        raise ServiceUnavailable(_("The internal CA is not set up: run `pactum ca init`."))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def crl_url() -> str:
    """Where the internal CA's CRL is served: named in every certificate it issues."""
    return settings().base_url.rstrip("/") + "/pki/ca.crl"


def init_ca() -> InternalCA:
    config = settings()
    authority = InternalCA.init(ca_folder(), ca_passphrase(create=True), config.org_name, key_type=config.ca_key_type)  # type: ignore[arg-type]
    authority.issue_user_certificate(ORGANISATION_IDENTITY, config.org_name, crl_url=crl_url())
    return authority


def ca_is_initialised() -> bool:
    return InternalCA.root_certificate_of(ca_folder()) is not None


def internal_ca() -> InternalCA:
    if not ca_is_initialised():
        raise ServiceUnavailable(_("The internal CA is not set up: run `pactum ca init`."))
    try:
        return InternalCA.open(ca_folder(), ca_passphrase())
    except SignerError as error:
        raise ServiceUnavailable(_("The internal CA cannot be opened: %(reason)s", reason=str(error))) from None


def _revoked(cert: x509.Certificate) -> bool:
    return db.session.get(CertificateRevocation, format(cert.serial_number, "x")) is not None


def user_key(email: str, name: str) -> SigningKey:
    """The user's key from the internal CA, issued on first use and again after a revocation."""
    authority = internal_ca()
    current = authority.user_certificate(email)
    if current is not None and not _revoked(current):
        return authority.load_user_key(email)
    return issue_certificate(authority, email, name).signing_key()


def issue_certificate(authority: InternalCA, email: str, name: str) -> IssuedCertificate:
    """Issue a user certificate that names the CA's CRL (replacing the one on file)."""
    return authority.issue_user_certificate(email, name, crl_url=crl_url())


def organisation_key() -> SigningKey:
    config = settings()
    if config.org_signing_p12:
        return FileSigningKey.from_pkcs12(
            config.org_signing_p12, passphrase_file=config.org_signing_passphrase_file or None
        )
    return user_key(ORGANISATION_IDENTITY, config.org_name)


def trust_settings(*, known_crls: tuple[bytes, ...] = ()) -> TrustSettings:
    """What the app validates with; ``known_crls``: revocation data it holds itself (the
    internal CA's current CRL, see :func:`repo_app.signing.revocation.current_crl`)."""
    config = settings()
    return TrustSettings(
        trust_store=config.trust_store_dir or None,
        internal_ca=ca_folder() if ca_is_initialised() else None,
        allow_fetching=config.revocation_fetching,
        known_crls=known_crls,
    )
