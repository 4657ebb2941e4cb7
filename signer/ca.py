"""A small built-in certificate authority for organisations without a public CA.

Layout of the CA folder (every private key is PKCS#8, encrypted with the
passphrase, PBES2/AES-256)::

    ca.json                 organisation name, key type, which cert issues
    root.key.pem            root CA key (encrypted)
    root.cert.pem           root CA certificate: the trust anchor
    intermediate.key.pem    optional issuing CA key (encrypted)
    intermediate.cert.pem
    users/<email>.key.pem   issued user keys (encrypted)
    users/<email>.cert.pem  issued user certificate followed by its chain

Issued user certificates carry keyUsage digitalSignature + nonRepudiation
(critical), extendedKeyUsage emailProtection + documentSigning (RFC 9336),
the e-mail address in the subjectAltName and, when the caller names one, a
CRL distribution point. The CA keeps no revocation state itself: whoever
holds it (the app keeps it in its database) passes the revoked serials to
:meth:`InternalCA.make_crl`, which signs the CRL with the issuing CA's key.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple, TypeAlias

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from .errors import KeyUnavailable, SignerError
from .keys import FileSigningKey, PrivateKey

__all__ = ["CAKeyType", "InternalCA", "IssuedCertificate", "RevokedSerial"]

CAKeyType: TypeAlias = Literal["rsa-3072", "ec-p256"]

_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336
_META = "ca.json"


class IssuedCertificate(NamedTuple):
    """A user certificate fresh from the CA; unpacks as ``key, cert, chain``."""

    key: PrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    def signing_key(self) -> FileSigningKey:
        """The same material as a :class:`~signer.keys.SigningKey`."""
        return FileSigningKey(self.key, self.cert, self.chain)


@dataclass(frozen=True)
class RevokedSerial:
    """One entry of a CRL: which certificate, since when, and why (RFC 5280 reason)."""

    serial: int
    revoked_at: dt.datetime
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified


# What a user's signing certificate may do: sign, with non-repudiation.
_SIGNING_KEY_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,  # = nonRepudiation
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def _new_key(kind: CAKeyType) -> PrivateKey:
    if kind == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def _encrypt(key: PrivateKey, passphrase: str) -> bytes:
    if not passphrase:
        raise SignerError("the CA passphrase must not be empty")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def _decrypt(path: Path, passphrase: str) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), passphrase.encode("utf-8"))
    except OSError as exc:
        raise KeyUnavailable(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, TypeError):
        raise KeyUnavailable(f"wrong passphrase for {path.name}") from None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyUnavailable(f"unsupported key type in {path.name}")
    return key


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file readable by the owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _file_stem(email: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", email.strip().lower())


@dataclass(frozen=True)
class _Authority:
    key: PrivateKey
    cert: x509.Certificate


class InternalCA:
    """Root CA (plus optional intermediate) kept encrypted in a folder.

    Create it once with :meth:`init`, reopen it with :meth:`open`. Its root
    certificate is a trust anchor by default in
    :class:`~signer.validate.TrustSettings`.
    """

    def __init__(self, folder: Path, root: _Authority, issuer: _Authority, org_name: str, passphrase: str) -> None:
        self.folder = folder
        self._passphrase = passphrase
        self._root = root
        self._issuer = issuer
        self.org_name = org_name

    # -- creation / loading ---------------------------------------------
    @classmethod
    def init(
        cls,
        folder: str | os.PathLike[str],
        passphrase: str,
        org_name: str,
        *,
        with_intermediate: bool = True,
        key_type: CAKeyType = "rsa-3072",
        validity_years: int = 20,
    ) -> InternalCA:
        """Create a new CA in ``folder`` (which must not already hold one)."""
        root_dir = Path(folder)
        if (root_dir / _META).exists():
            raise SignerError(f"{root_dir} already holds a CA; use InternalCA.open()")
        root_dir.mkdir(parents=True, exist_ok=True)
        (root_dir / "users").mkdir(exist_ok=True)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        until = now + dt.timedelta(days=365 * validity_years)
        root_key = _new_key(key_type)
        root_name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name),
                x509.NameAttribute(NameOID.COMMON_NAME, f"{org_name} Root CA"),
            ]
        )
        root_cert = _ca_cert(root_name, root_key, root_name, root_key, now, until, None)
        root = _Authority(root_key, root_cert)
        issuer = root
        _write_private(root_dir / "root.key.pem", _encrypt(root_key, passphrase))
        (root_dir / "root.cert.pem").write_bytes(_pem(root_cert))
        if with_intermediate:
            int_key = _new_key(key_type)
            int_name = x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name),
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{org_name} Signing CA"),
                ]
            )
            int_cert = _ca_cert(int_name, int_key, root_name, root_key, now, until, 0)
            issuer = _Authority(int_key, int_cert)
            _write_private(root_dir / "intermediate.key.pem", _encrypt(int_key, passphrase))
            (root_dir / "intermediate.cert.pem").write_bytes(_pem(int_cert))
        meta = {"org_name": org_name, "key_type": key_type, "intermediate": with_intermediate}
        (root_dir / _META).write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
        return cls(root_dir, root, issuer, org_name, passphrase)

    @classmethod
    def open(cls, folder: str | os.PathLike[str], passphrase: str) -> InternalCA:
        """Reopen a CA created by :meth:`init`."""
        root_dir = Path(folder)
        try:
            meta = json.loads((root_dir / _META).read_text("utf-8"))
        except OSError:
            raise SignerError(f"no CA in {root_dir}: run InternalCA.init() first") from None
        root = _Authority(
            _decrypt(root_dir / "root.key.pem", passphrase),
            x509.load_pem_x509_certificate((root_dir / "root.cert.pem").read_bytes()),
        )
        issuer = root
        if meta.get("intermediate"):
            issuer = _Authority(
                _decrypt(root_dir / "intermediate.key.pem", passphrase),
                x509.load_pem_x509_certificate((root_dir / "intermediate.cert.pem").read_bytes()),
            )
        return cls(root_dir, root, issuer, str(meta["org_name"]), passphrase)

    @staticmethod
    def root_certificate_of(folder: str | os.PathLike[str]) -> x509.Certificate | None:
        """The root certificate in ``folder`` without the passphrase (None if no CA)."""
        path = Path(folder) / "root.cert.pem"
        if not path.is_file():
            return None
        return x509.load_pem_x509_certificate(path.read_bytes())

    # -- properties --------------------------------------------------------
    @property
    def root_certificate(self) -> x509.Certificate:
        """The self-signed root: the trust anchor."""
        return self._root.cert

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Issuing CA first, root last (what a user certificate's chain is)."""
        if self._issuer is self._root:
            return (self._root.cert,)
        return (self._issuer.cert, self._root.cert)

    # -- issuance ------------------------------------------------------------
    def issue_user_certificate(
        self,
        email: str,
        name: str,
        *,
        validity_days: int = 730,
        key_passphrase: str | None = None,
        key_type: CAKeyType | None = None,
        crl_url: str | None = None,
    ) -> IssuedCertificate:
        """Issue a signing certificate for a person and store it (key encrypted).

        ``crl_url`` becomes the certificate's CRL distribution point: where relying
        parties find the CRLs :meth:`make_crl` produces. The stored key
        (``users/<email>.key.pem``) is PKCS#8-encrypted with ``key_passphrase``,
        by default the CA passphrase (the organisation's administrator holds the user keys of an internal CA anyway).
        """
        if "@" not in email:
            raise SignerError(f"not an e-mail address: {email!r}")
        meta_type: CAKeyType = key_type or self._key_type()
        key = _new_key(meta_type)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        not_after = min(now + dt.timedelta(days=validity_days), self._issuer.cert.not_valid_after_utc)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.org_name),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
                x509.NameAttribute(NameOID.EMAIL_ADDRESS, email),
            ]
        )
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self._issuer.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_SIGNING_KEY_USAGE, critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, _DOCUMENT_SIGNING]),
                critical=False,
            )
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._issuer.key.public_key()),
                critical=False,
            )
        )
        if crl_url:
            builder = builder.add_extension(_distribution_point(crl_url), critical=False)
        cert = builder.sign(self._issuer.key, hashes.SHA256())
        stem = _file_stem(email)
        users = self.folder / "users"
        users.mkdir(exist_ok=True)
        _write_private(users / f"{stem}.key.pem", _encrypt(key, key_passphrase or self._passphrase))
        (users / f"{stem}.cert.pem").write_bytes(_pem(cert) + b"".join(_pem(c) for c in self.chain))
        return IssuedCertificate(key, cert, self.chain)

    def load_user_key(self, email: str, key_passphrase: str | None = None) -> FileSigningKey:
        """Load a key issued earlier by :meth:`issue_user_certificate`."""
        stem = _file_stem(email)
        users = self.folder / "users"
        if not (users / f"{stem}.cert.pem").is_file():
            raise KeyUnavailable(f"no certificate issued for {email}")
        return FileSigningKey.from_pem_files(
            users / f"{stem}.key.pem",
            users / f"{stem}.cert.pem",
            passphrase=key_passphrase or self._passphrase,
        )

    def user_certificate(self, email: str) -> x509.Certificate | None:
        """The certificate last issued for ``email`` (None if none was)."""
        path = self.folder / "users" / f"{_file_stem(email)}.cert.pem"
        if not path.is_file():
            return None
        return x509.load_pem_x509_certificate(path.read_bytes())

    @property
    def issuer_certificate(self) -> x509.Certificate:
        """The CA that issues user certificates and signs their CRLs."""
        return self._issuer.cert

    def make_crl(
        self,
        revoked: Iterable[RevokedSerial],
        number: int,
        this_update: dt.datetime,
        next_update: dt.datetime,
    ) -> bytes:
        """A CRL (DER) of the issuing CA listing ``revoked``, numbered ``number``.

        ``number`` must grow with every CRL (RFC 5280 5.2.3); ``next_update`` is
        when relying parties should expect the next one at the latest.
        """
        if next_update <= this_update:
            raise SignerError("a CRL's next update must come after its this-update time")
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self._issuer.cert.subject)
            .last_update(this_update)
            .next_update(next_update)
            .add_extension(x509.CRLNumber(number), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._issuer.key.public_key()),
                critical=False,
            )
        )
        for entry in revoked:
            builder = builder.add_revoked_certificate(_revoked_certificate(entry))
        return builder.sign(self._issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def _key_type(self) -> CAKeyType:
        return "ec-p256" if isinstance(self._root.key, ec.EllipticCurvePrivateKey) else "rsa-3072"


def _distribution_point(url: str) -> x509.CRLDistributionPoints:
    point = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(url)], relative_name=None, reasons=None, crl_issuer=None
    )
    return x509.CRLDistributionPoints([point])


def _revoked_certificate(entry: RevokedSerial) -> x509.RevokedCertificate:
    builder = x509.RevokedCertificateBuilder().serial_number(entry.serial).revocation_date(entry.revoked_at)
    if entry.reason != x509.ReasonFlags.unspecified:  # RFC 5280 5.3.1: omit rather than say unspecified
        builder = builder.add_extension(x509.CRLReason(entry.reason), critical=False)
    return builder.build()


def _ca_cert(
    subject: x509.Name,
    subject_key: PrivateKey,
    issuer: x509.Name,
    issuer_key: PrivateKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
    path_length: int | None,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
