"""Validation report: tampering, report shape, document timestamps, trust settings."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from signer import FileSigningKey, TrustSettings, ValidationError, sign_pdf, validate_pdf
from tests.signer import attacks
from tests.signer.support import PdfsigSignature, flip_signed_byte

Check = Callable[[bytes], list[PdfsigSignature]]
Sign = Callable[..., bytes]

SIGNATURE_KEYS = {
    "field",
    "signer",
    "chain",
    "signing_time",
    "timestamp",
    "integrity",
    "coverage",
    "modification_level",
    "revocation",
    "pades_level",
    "indication",
    "sub_indication",
    "warnings",
    "reason",
    "location",
    "certification",
    "explanation",  # addition: the outcome in plain words, {"zh", "en"}
}


def test_flipped_byte_is_hash_failure_in_both(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings, outside_check: Check
) -> None:
    tampered = flip_signed_byte(sign_pdf(contract_pdf, alice))
    sig = validate_pdf(tampered, trust).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert not sig.integrity.digest_matches
    assert sig.warnings[0].startswith("The signed content was altered")
    (ps,) = outside_check(tampered)
    assert "Digest Mismatch" in ps.validation or "Invalid" in ps.validation, ps.text


def test_appended_change_is_flagged_in_both(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings, outside_check: Check
) -> None:
    attacked = attacks.isa_replace_content(sign_pdf(contract_pdf, alice))
    sig = validate_pdf(attacked, trust).signatures[0]
    assert sig.indication != "TOTAL_PASSED" and sig.coverage.changes == "other"
    assert outside_check(attacked)[0].total_document_signed is False


def test_report_shape_and_json(
    contract_pdf: bytes, alice: FileSigningKey, sign_with: Sign, trust: TrustSettings
) -> None:
    signed = sign_with(contract_pdf, alice, "B-LTA", reason="同意")
    report = validate_pdf(signed, trust, filename="合同.pdf")
    d = report.to_dict()
    json.loads(json.dumps(d, ensure_ascii=False))
    assert set(d) == {"document", "validated_at", "signatures", "document_timestamps", "trust"}
    assert set(d["document"]) == {"sha256", "filename"} and d["document"]["filename"] == "合同.pdf"
    (s,) = d["signatures"]
    assert set(s) == SIGNATURE_KEYS
    assert set(s["signer"]) == {"subject", "issuer", "serial", "not_before", "not_after", "email"}
    assert all(set(c) == {"subject", "issuer", "serial", "trust_anchor"} for c in s["chain"])
    assert set(s["timestamp"]) == {"authority", "time", "valid"}
    assert set(s["integrity"]) == {"digest_matches", "signature_valid"}
    assert set(s["coverage"]) == {"whole_document", "later_revisions", "changes"}
    assert set(s["revocation"]) == {"status", "embedded", "checked_at"}
    assert s["pades_level"] == "B-LTA" and s["indication"] == "TOTAL_PASSED"
    assert s["sub_indication"] is None and s["certification"] is None
    (ts,) = d["document_timestamps"]
    assert ts["indication"] == "TOTAL_PASSED" and ts["authority"] == "Pactum Test TSA"
    assert d["trust"]["revocation_mode"] == "hard-fail"
    import hashlib

    assert d["document"]["sha256"] == hashlib.sha256(signed).hexdigest()


def test_unsigned_document(contract_pdf: bytes, trust: TrustSettings) -> None:
    report = validate_pdf(contract_pdf, trust)
    assert report.signatures == () and not report.all_passed


def test_untrusted_root(contract_pdf: bytes, alice: FileSigningKey) -> None:
    sig = validate_pdf(sign_pdf(contract_pdf, alice), TrustSettings()).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")
    assert not any(c.trust_anchor for c in sig.chain)


def test_soft_fail_skips_revocation_silently_and_says_unknown(
    contract_pdf: bytes, alice: FileSigningKey, offline_trust: TrustSettings
) -> None:
    soft = TrustSettings(trust_store=offline_trust.trust_store, revocation_mode="soft-fail")
    sig = validate_pdf(sign_pdf(contract_pdf, alice), soft).signatures[0]
    assert sig.indication == "TOTAL_PASSED"
    assert sig.revocation.status == "unknown"  # never claims "good" without evidence


def test_not_a_pdf(trust: TrustSettings) -> None:
    with pytest.raises(ValidationError):
        validate_pdf(b"not a pdf", trust)


def test_bad_trust_store(tmp_path, contract_pdf: bytes) -> None:
    (tmp_path / "x.pem").write_text("garbage")
    with pytest.raises(ValidationError, match="PEM"):
        validate_pdf(contract_pdf, TrustSettings(trust_store=tmp_path))
