"""Keys: PKCS#12 loading, the SigningKey seam, and the internal CA."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from signer import (
    FileSigningKey,
    InternalCA,
    KeyUnavailable,
    SigningKey,
    TrustSettings,
    sign_pdf,
    validate_pdf,
)
from signer.keys import certificate_email
from tests.signer.pki import TestPKI


def test_pkcs12_from_path_and_passphrase_file(pki: TestPKI, tmp_path: Path) -> None:
    p12 = tmp_path / "org.p12"
    p12.write_bytes(pki.pkcs12("alice", b"s3cret"))
    (tmp_path / "pass.txt").write_text("s3cret\n")
    a = FileSigningKey.from_pkcs12(p12, "s3cret")
    b = FileSigningKey.from_pkcs12(p12, passphrase_file=tmp_path / "pass.txt")
    assert a.certificate == b.certificate == pki.cert("alice")
    assert [c.subject for c in a.chain] == [pki.cert("interm").subject, pki.cert("root").subject]
    assert isinstance(a, SigningKey)
    assert "private_key" not in repr(a)


def test_pkcs12_errors_are_key_unavailable(pki: TestPKI, tmp_path: Path) -> None:
    p12 = tmp_path / "org.p12"
    p12.write_bytes(pki.pkcs12("alice", b"s3cret"))
    with pytest.raises(KeyUnavailable, match="wrong passphrase"):
        FileSigningKey.from_pkcs12(p12, "nope")
    with pytest.raises(KeyError):  # KeyUnavailable is a KeyError too
        FileSigningKey.from_pkcs12(tmp_path / "missing.p12", "x")
    with pytest.raises(ValueError):
        FileSigningKey.from_pkcs12(p12, "a", passphrase_file=tmp_path / "x")


def test_key_must_match_certificate(pki: TestPKI) -> None:
    with pytest.raises(KeyUnavailable, match="does not belong"):
        FileSigningKey(pki.key("bob").private_key, pki.cert("alice"))


class _CountingKey:
    """A SigningKey implemented outside the library (what a PKCS#11 key would look like)."""

    def __init__(self, inner: FileSigningKey) -> None:
        self.inner = inner
        self.calls = 0

    @property
    def certificate(self) -> x509.Certificate:
        return self.inner.certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self.inner.chain

    def sign_digest(self, digest: bytes, hash_algorithm: str) -> bytes:
        self.calls += 1
        assert len(digest) == 32 and hash_algorithm == "sha256"
        return self.inner.sign_digest(digest, hash_algorithm)


def test_custom_signing_key_protocol(alice: FileSigningKey, contract_pdf: bytes, trust: TrustSettings) -> None:
    key = _CountingKey(alice)
    assert isinstance(key, SigningKey)
    signed = sign_pdf(contract_pdf, key)
    assert key.calls == 1  # the size estimate never reaches the key
    report = validate_pdf(signed, trust)
    assert report.signatures[0].integrity.signature_valid


@pytest.fixture(scope="module")
def internal_ca(tmp_path_factory: pytest.TempPathFactory) -> InternalCA:
    return InternalCA.init(tmp_path_factory.mktemp("ca"), "ca-pass", "示例科技有限公司", key_type="ec-p256")


def test_internal_ca_files_are_encrypted(internal_ca: InternalCA) -> None:
    folder = internal_ca.folder
    for name in ("root.key.pem", "intermediate.key.pem"):
        text = (folder / name).read_text()
        assert "BEGIN ENCRYPTED PRIVATE KEY" in text
        assert (folder / name).stat().st_mode & 0o077 == 0
    reopened = InternalCA.open(folder, "ca-pass")
    assert reopened.root_certificate == internal_ca.root_certificate
    with pytest.raises(KeyUnavailable, match="wrong passphrase"):
        InternalCA.open(folder, "wrong")


def test_issue_user_certificate(internal_ca: InternalCA) -> None:
    key, cert, chain = internal_ca.issue_user_certificate("li.lei@example.cn", "李雷")
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    assert certificate_email(cert) == "li.lei@example.cn"
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "李雷"
    assert chain[-1] == internal_ca.root_certificate and chain[0].subject == cert.issuer
    stored = (internal_ca.folder / "users" / "li.lei@example.cn.key.pem").read_text()
    assert "BEGIN ENCRYPTED PRIVATE KEY" in stored
    loaded = internal_ca.load_user_key("li.lei@example.cn")
    assert loaded.certificate == cert


def _current_crl(ca: InternalCA) -> bytes:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return ca.make_crl((), 1, now - dt.timedelta(minutes=1), now + dt.timedelta(days=7))


def test_internal_ca_is_trusted_by_default(
    internal_ca: InternalCA, contract_pdf: bytes, outside_check: Callable[[bytes], object]
) -> None:
    """A certificate that names no revocation service: with the CA's CRL known it passes and is
    "good"; without any revocation data the hard-fail policy does not pass it (EN 319 102-1:
    INDETERMINATE/TRY_LATER), soft-fail does, saying the status is unknown."""
    issued = internal_ca.issue_user_certificate("han.meimei@example.cn", "韩梅梅")
    signed = sign_pdf(contract_pdf, issued.signing_key())
    known = TrustSettings(internal_ca=internal_ca.folder, known_crls=(_current_crl(internal_ca),))
    sig = validate_pdf(signed, known).signatures[0]
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    assert sig.chain[-1].trust_anchor and sig.signer is not None
    assert sig.signer.email == "han.meimei@example.cn"
    assert sig.revocation.status == "good"
    hard = validate_pdf(signed, TrustSettings(internal_ca=internal_ca.folder)).signatures[0]
    assert (hard.indication, hard.sub_indication) == ("INDETERMINATE", "TRY_LATER")
    assert hard.revocation.status == "unknown"
    assert any("names no revocation service" in w and "policy requires" in w for w in hard.warnings)
    soft = validate_pdf(signed, TrustSettings(internal_ca=internal_ca.folder, revocation_mode="soft-fail"))
    assert (soft.signatures[0].indication, soft.signatures[0].revocation.status) == ("TOTAL_PASSED", "unknown")
    untrusted = validate_pdf(signed, TrustSettings(internal_ca=internal_ca.folder, trust_internal_ca=False))
    assert untrusted.signatures[0].sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"


def test_internal_ca_rsa(tmp_path: Path, contract_pdf: bytes) -> None:
    ca = InternalCA.init(tmp_path / "ca", "pw", "Org", with_intermediate=False)
    issued = ca.issue_user_certificate("a@b.c", "A")
    trust = TrustSettings(internal_ca=ca.folder, known_crls=(_current_crl(ca),))
    assert isinstance(issued.key, rsa.RSAPrivateKey) and issued.key.key_size == 3072
    report = validate_pdf(sign_pdf(contract_pdf, issued.signing_key()), trust)
    assert report.signatures[0].indication == "TOTAL_PASSED"
