"""The internal CA publishes revocation: CRL distribution points, CRLs, and what validation makes
of them (B-LT embeds the CA's CRL; hard-fail without revocation data is INDETERMINATE/TRY_LATER)."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509

from signer import (
    InternalCA,
    IssuedCertificate,
    RevocationFetching,
    RevokedSerial,
    SignerError,
    SigningRefused,
    SignOptions,
    TrustSettings,
    render_report_pdf,
    sign_pdf,
    validate_pdf,
)
from signer.report import SignatureReport
from tests.signer.pki import TestPKI

CRL_URL = "https://pactum.example.com/pki/ca.crl"


@pytest.fixture(scope="module")
def ca_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rev-ca") / "ca"
    InternalCA.init(folder, "ca-pass", "示例科技有限公司", key_type="ec-p256")
    return folder


@pytest.fixture(scope="module")
def ca(ca_folder: Path) -> InternalCA:
    return InternalCA.open(ca_folder, "ca-pass")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _crl(ca: InternalCA, number: int, *revoked: RevokedSerial) -> bytes:
    now = _now()
    return ca.make_crl(revoked, number, now - dt.timedelta(minutes=1), now + dt.timedelta(days=7))


def _issue(ca: InternalCA, email: str) -> IssuedCertificate:
    return ca.issue_user_certificate(email, "王五 Wang Wu", crl_url=CRL_URL)


def _only_signature(data: bytes, trust: TrustSettings) -> SignatureReport:
    report = validate_pdf(data, trust)
    assert len(report.signatures) == 1
    return report.signatures[0]


def _tsa_roots(pki: TestPKI) -> tuple[x509.Certificate, ...]:
    return tuple(x509.load_pem_x509_certificates(pki.root_pem.read_bytes()))


def test_issued_certificates_name_the_crl_and_crls_list_serial_reason_date_and_number(ca: InternalCA) -> None:
    issued = _issue(ca, "dp@example.com")
    points = issued.cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [name.value for point in points for name in point.full_name or []] == [CRL_URL]
    when = _now() - dt.timedelta(minutes=2)
    entry = RevokedSerial(issued.cert.serial_number, when, x509.ReasonFlags.key_compromise)
    crl = x509.load_der_x509_crl(_crl(ca, 7, entry))
    assert crl.is_signature_valid(ca.issuer_certificate.public_key())  # type: ignore[arg-type]
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 7
    revoked = crl.get_revoked_certificate_by_serial_number(issued.cert.serial_number)
    assert revoked is not None and revoked.revocation_date_utc == when
    assert revoked.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    assert ca.user_certificate("dp@example.com") == issued.cert


def test_a_crl_whose_next_update_is_not_later_is_refused(ca: InternalCA) -> None:
    now = _now()
    with pytest.raises(SignerError, match="next update"):
        ca.make_crl([], 1, now, now)


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_signatures_embed_the_cas_crl_and_validate_offline_as_good(
    ca: InternalCA, ca_folder: Path, pki: TestPKI, contract_pdf: bytes, level: str
) -> None:
    issued = _issue(ca, f"lt-{level.lower()}@example.com")
    fetching = RevocationFetching(extra_certificates=_tsa_roots(pki), known_crls=(_crl(ca, 1),))
    signed = sign_pdf(
        contract_pdf, issued.signing_key(), SignOptions(level=level, tsa_url=pki.tsa_url, revocation=fetching)
    )  # type: ignore[arg-type]
    # Hard-fail, no fetching, no CRL known to the validator: only what the document carries.
    sig = _only_signature(signed, TrustSettings(internal_ca=ca_folder, trust_store=pki.root_pem.parent))
    assert (sig.indication, sig.sub_indication) == ("TOTAL_PASSED", None), sig.warnings
    assert (sig.revocation.status, sig.revocation.embedded) == ("good", True)


def test_hard_fail_without_revocation_data_is_try_later_and_soft_fail_passes_with_a_note(
    ca: InternalCA, ca_folder: Path, contract_pdf: bytes
) -> None:
    signed = sign_pdf(contract_pdf, _issue(ca, "nodata@example.com").signing_key(), SignOptions(level="B-B"))
    hard = _only_signature(signed, TrustSettings(internal_ca=ca_folder))
    assert (hard.indication, hard.sub_indication) == ("INDETERMINATE", "TRY_LATER")
    assert hard.revocation.status == "unknown"
    assert any("under the hard-fail policy the signature cannot be confirmed" in w for w in hard.warnings)
    soft = _only_signature(signed, TrustSettings(internal_ca=ca_folder, revocation_mode="soft-fail"))
    assert soft.indication == "TOTAL_PASSED"
    assert any("soft-fail policy accepts" in w for w in soft.warnings), soft.warnings


def test_the_cas_current_crl_known_to_the_validator_settles_a_b_b_signature(
    ca: InternalCA, ca_folder: Path, contract_pdf: bytes
) -> None:
    signed = sign_pdf(contract_pdf, _issue(ca, "known@example.com").signing_key(), SignOptions(level="B-B"))
    sig = _only_signature(signed, TrustSettings(internal_ca=ca_folder, known_crls=(_crl(ca, 2),)))
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    assert (sig.revocation.status, sig.revocation.embedded) == ("good", False)


def test_after_revocation_b_lt_is_refused_and_a_new_signature_is_revoked(
    ca: InternalCA, ca_folder: Path, pki: TestPKI, contract_pdf: bytes
) -> None:
    issued = _issue(ca, "revoked-later@example.com")
    entry = RevokedSerial(issued.cert.serial_number, _now() - dt.timedelta(minutes=1), x509.ReasonFlags.key_compromise)
    crl = _crl(ca, 3, entry)
    fetching = RevocationFetching(extra_certificates=_tsa_roots(pki), known_crls=(crl,))
    with pytest.raises(SigningRefused, match="revoked"):
        sign_pdf(
            contract_pdf, issued.signing_key(), SignOptions(level="B-LT", tsa_url=pki.tsa_url, revocation=fetching)
        )
    signed = sign_pdf(contract_pdf, issued.signing_key(), SignOptions(level="B-T", tsa_url=pki.tsa_url))
    trust = TrustSettings(
        internal_ca=ca_folder, trust_store=pki.root_pem.parent, known_crls=(crl,), allow_fetching=True
    )
    sig = _only_signature(signed, trust)
    # EN 319 102-1: revoked, and no proof the signature existed before the revocation.
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "REVOKED_NO_POE")
    assert sig.revocation.status == "revoked" and sig.revocation.checked_at is not None


def test_a_known_crl_that_is_not_a_crl_is_a_validation_error(ca_folder: Path, contract_pdf: bytes) -> None:
    from signer import ValidationError

    with pytest.raises(ValidationError, match="known CRL"):
        validate_pdf(contract_pdf, TrustSettings(internal_ca=ca_folder, known_crls=(b"not a crl",)))


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("zh", "按严格（hard-fail）策略"), ("en", "under the hard-fail policy the signature cannot be confirmed")],
)
def test_the_pdf_report_says_what_hard_fail_concluded_in_plain_words(
    ca: InternalCA, ca_folder: Path, contract_pdf: bytes, tmp_path: Path, language: str, sentence: str
) -> None:
    issued = _issue(ca, f"pdf-{language}@example.com")
    report = validate_pdf(sign_pdf(contract_pdf, issued.signing_key()), TrustSettings(internal_ca=ca_folder))
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report_pdf(report, language, issued.signing_key()))  # type: ignore[arg-type]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "TRY_LATER" in flat and "".join(sentence.split()) in flat


@pytest.fixture(scope="module")
def root_only_ca_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rev-root-ca") / "ca"
    InternalCA.init(folder, "ca-pass", "示例科技有限公司", key_type="ec-p256", with_intermediate=False)
    return folder


def _revoked_after_signing(folder: Path, pki: TestPKI, contract_pdf: bytes, level: str) -> SignatureReport:
    """A signature of ``level`` by a new certificate of the CA in ``folder``, validated with
    a CRL that revokes the certificate after the signature timestamp."""
    authority = InternalCA.open(folder, "ca-pass")
    issued = _issue(authority, f"revoked-after-{level.lower()}@example.com")
    fetching = RevocationFetching(extra_certificates=_tsa_roots(pki), known_crls=(_crl(authority, 4),))
    signed = sign_pdf(
        contract_pdf, issued.signing_key(), SignOptions(level=level, tsa_url=pki.tsa_url, revocation=fetching)
    )  # type: ignore[arg-type]
    time.sleep(1.5)  # CRL times are whole seconds: the revocation comes strictly later
    revoked_at = _now()
    entry = RevokedSerial(issued.cert.serial_number, revoked_at, x509.ReasonFlags.key_compromise)
    crl = authority.make_crl((entry,), 5, revoked_at, revoked_at + dt.timedelta(days=7))
    sig = _only_signature(signed, TrustSettings(internal_ca=folder, trust_store=pki.root_pem.parent, known_crls=(crl,)))
    assert sig.timestamp is not None and sig.timestamp.valid and sig.timestamp.time < revoked_at
    assert sig.pades_level == level
    return sig


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_a_revocation_after_the_signature_timestamp_stays_revoked_no_poe(
    ca_folder: Path, pki: TestPKI, contract_pdf: bytes, level: str
) -> None:
    """Pins a known limit (docs/signing.md, "Revocation after signing"): pyHanko's past
    signature validation (EN 319 102-1 5.6.2.1 time slide) wants revocation data from before
    the revocation for every CA certificate of the path, and the internal CA's root publishes
    none for its Signing CA; a B-LT signature moreover gives no proof of existence for the
    signer's certificate (its signature timestamp covers the signature value only)."""
    sig = _revoked_after_signing(ca_folder, pki, contract_pdf, level)
    assert sig.revocation.status == "revoked"
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "REVOKED_NO_POE")


def test_b_lta_of_a_root_only_ca_passes_when_revoked_after_its_timestamps(
    root_only_ca_folder: Path, pki: TestPKI, contract_pdf: bytes
) -> None:
    """Without a Signing CA the path needs no CA revocation data, and the document timestamp
    proves the certificate and the embedded CRL existed: past signature validation passes."""
    sig = _revoked_after_signing(root_only_ca_folder, pki, contract_pdf, "B-LTA")
    assert (sig.indication, sig.sub_indication) == ("TOTAL_PASSED", None), sig.warnings
