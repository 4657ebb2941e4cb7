"""Signing keys: the :class:`SigningKey` seam and its file-based implementation.

Callers only ever see :class:`SigningKey`: an object that can show its
certificate (+ chain) and sign a message digest. :class:`FileSigningKey` keeps
the private key in memory (loaded from a PKCS#12 file or encrypted PEM files).

A PKCS#11 token or HSM can be added later without touching callers, in one of
two ways:

* implement :class:`SigningKey` (``sign_digest`` maps onto ``CKM_RSA_PKCS`` with
  a DigestInfo prefix, or ``CKM_ECDSA`` on the raw digest), or
* implement :class:`ProvidesPyHankoSigner` and return pyHanko's own
  ``pyhanko.sign.pkcs11.PKCS11Signer``; :func:`to_pyhanko_signer` prefers it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeAlias, runtime_checkable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .errors import KeyUnavailable

__all__ = [
    "FileSigningKey",
    "PrivateKey",
    "ProvidesPyHankoSigner",
    "SigningKey",
    "certificate_email",
    "to_asn1_certificate",
    "to_pyhanko_signer",
]

PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
"""Key types the library signs with (RSA PKCS#1 v1.5 and ECDSA)."""

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@runtime_checkable
class SigningKey(Protocol):
    """Anything that can produce a signature for a certificate.

    ``sign_digest`` receives the *digest* (not the message), so a hardware token
    never needs to see the document. RSA keys must return a PKCS#1 v1.5
    signature, EC keys a DER-encoded ECDSA signature.
    """

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's (end-entity) certificate."""
        ...

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Issuer certificates, closest issuer first (root optional)."""
        ...

    def sign_digest(self, digest: bytes, hash_algorithm: str) -> bytes:
        """Sign ``digest``, computed with ``hash_algorithm`` ("sha256", ...)."""
        ...


@runtime_checkable
class ProvidesPyHankoSigner(Protocol):
    """Optional extension: a key that brings its own pyHanko ``Signer``.

    Meant for a PKCS#11 implementation wrapping ``pyhanko.sign.pkcs11``.
    """

    def pyhanko_signer(self) -> Signer:
        """Return a ready pyHanko signer for this key."""
        ...


def _hash(name: str) -> hashes.HashAlgorithm:
    try:
        return _HASHES[name]()
    except KeyError:
        raise KeyUnavailable(f"unsupported digest algorithm {name!r}") from None


@dataclass(frozen=True)
class FileSigningKey:
    """A private key held in memory, with its certificate and chain.

    Build it with :meth:`from_pkcs12` / :meth:`from_pkcs12_bytes` /
    :meth:`from_pem_files`, or directly from objects (e.g. what
    :meth:`signer.ca.InternalCA.issue_user_certificate` returns).
    """

    private_key: PrivateKey = field(repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.private_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise KeyUnavailable(f"unsupported key type {type(self.private_key).__name__}: use RSA or EC keys")
        pub = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        cert_pub = self.certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if pub != cert_pub:
            raise KeyUnavailable("the private key does not belong to the certificate")

    def sign_digest(self, digest: bytes, hash_algorithm: str) -> bytes:
        algo = Prehashed(_hash(hash_algorithm))
        key = self.private_key
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(digest, padding.PKCS1v15(), algo)
        return key.sign(digest, ec.ECDSA(algo))

    # -- loaders ---------------------------------------------------------
    @classmethod
    def from_pkcs12_bytes(cls, data: bytes, passphrase: str | bytes | None) -> FileSigningKey:
        """Load a PKCS#12 blob. Raises :class:`KeyUnavailable` on a bad passphrase."""
        pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, pw or None)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise KeyUnavailable(f"cannot open the PKCS#12 file (wrong passphrase or damaged file): {exc}") from None
        if key is None or cert is None:
            raise KeyUnavailable("the PKCS#12 file holds no private key and certificate")
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise KeyUnavailable(f"unsupported key type {type(key).__name__}: use RSA or EC keys")
        return cls(key, cert, _order_chain(cert, extra))

    @classmethod
    def from_pkcs12(
        cls,
        path: str | os.PathLike[str],
        passphrase: str | bytes | None = None,
        *,
        passphrase_file: str | os.PathLike[str] | None = None,
    ) -> FileSigningKey:
        """Load the organisation key from a PKCS#12 (.p12/.pfx) file.

        The passphrase is given directly or read from ``passphrase_file`` (first
        line, trailing newline stripped) so it need not sit in the environment.
        """
        if passphrase is not None and passphrase_file is not None:
            raise ValueError("give passphrase or passphrase_file, not both")
        if passphrase_file is not None:
            passphrase = _read_secret(passphrase_file)
        return cls.from_pkcs12_bytes(_read(path, "PKCS#12 file"), passphrase)

    @classmethod
    def from_pem_files(
        cls,
        key_path: str | os.PathLike[str],
        cert_path: str | os.PathLike[str],
        chain_paths: Sequence[str | os.PathLike[str]] = (),
        passphrase: str | bytes | None = None,
    ) -> FileSigningKey:
        """Load an (optionally PKCS#8-encrypted) PEM key with PEM certificates."""
        pw = passphrase.encode() if isinstance(passphrase, str) else passphrase
        try:
            key = serialization.load_pem_private_key(_read(key_path, "key file"), pw or None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise KeyUnavailable(f"cannot open the key file {os.fspath(key_path)}: {exc}") from None
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise KeyUnavailable(f"unsupported key type {type(key).__name__}: use RSA or EC keys")
        certs = x509.load_pem_x509_certificates(_read(cert_path, "certificate file"))
        extra: list[x509.Certificate] = list(certs[1:])
        for p in chain_paths:
            extra.extend(x509.load_pem_x509_certificates(_read(p, "certificate file")))
        return cls(key, certs[0], _order_chain(certs[0], extra))


def _read(path: str | os.PathLike[str], what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise KeyUnavailable(f"cannot read the {what} {os.fspath(path)}: {exc.strerror}") from None


def _read_secret(path: str | os.PathLike[str]) -> str:
    text = _read(path, "passphrase file").decode("utf-8")
    lines = text.splitlines()
    return lines[0] if lines else ""


def _order_chain(leaf: x509.Certificate, others: Sequence[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """Order ``others`` from the leaf's issuer upwards; unrelated certs go last."""
    pool = [c for c in others if c != leaf]
    ordered: list[x509.Certificate] = []
    current = leaf
    while True:
        nxt = next((c for c in pool if c.subject == current.issuer and c not in ordered), None)
        if nxt is None or current.subject == current.issuer:
            break
        ordered.append(nxt)
        current = nxt
    ordered.extend(c for c in pool if c not in ordered)
    return tuple(ordered)


def to_asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    """Convert a ``cryptography`` certificate to pyHanko's asn1crypto type."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def certificate_email(cert: x509.Certificate) -> str | None:
    """E-mail address of a certificate: SAN rfc822Name first, then the subject."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = san.get_values_for_type(x509.RFC822Name)
        if emails:
            return emails[0]
    except x509.ExtensionNotFound:
        pass
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.EMAIL_ADDRESS)
    return str(attrs[0].value) if attrs else None


class _ProtocolSigner(Signer):
    """pyHanko ``Signer`` driven by any :class:`SigningKey` (hash here, sign there)."""

    def __init__(self, key: SigningKey) -> None:
        leaf = to_asn1_certificate(key.certificate)
        store = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [leaf, *(to_asn1_certificate(c) for c in key.chain)]
        )
        super().__init__(signing_cert=leaf, cert_registry=store, embed_roots=True)
        self._key = key
        pub = key.certificate.public_key()
        if not isinstance(pub, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise KeyUnavailable(f"unsupported certificate key type {type(pub).__name__}: use RSA or EC keys")
        if isinstance(pub, rsa.RSAPublicKey):
            self._placeholder_len = (pub.key_size + 7) // 8
        else:  # DER SEQUENCE of two INTEGERs, worst case
            n = (pub.curve.key_size + 7) // 8 + 1
            self._placeholder_len = 2 * (n + 2) + 3

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:  # size estimate only: never bother a token for it
            return bytes(self._placeholder_len)
        h = hashes.Hash(_hash(digest_algorithm))
        h.update(data)
        return self._key.sign_digest(h.finalize(), digest_algorithm)


def to_pyhanko_signer(key: SigningKey | ProvidesPyHankoSigner) -> Signer:
    """The pyHanko signer for ``key`` (its own one if it provides it)."""
    if isinstance(key, ProvidesPyHankoSigner):
        return key.pyhanko_signer()
    return _ProtocolSigner(key)
