"""Field classification and the signature formats real-world validators disagree on.

Every file is built by :mod:`tests.signer.classes` from a real signature (sound
unless a test damages it); each class is checked both ways: the sound file is
not failed, and a tampered one is not accepted.
"""

from __future__ import annotations

import pytest

from signer import FileSigningKey, TrustSettings, validate_pdf
from signer.report import DocumentTimestampReport, SignatureReport, ValidationReport
from tests.signer import classes
from tests.signer.pki import TestPKI
from tests.signer.support import flip_signed_byte


def _only_signature(report: ValidationReport) -> SignatureReport:
    assert len(report.signatures) == 1
    return report.signatures[0]


def _passed(result: SignatureReport | DocumentTimestampReport) -> None:
    assert (result.indication, result.sub_indication) == ("TOTAL_PASSED", None), result.warnings


# -- document timestamps, however their dictionary is typed ------------------------


@pytest.mark.parametrize(("type_entry", "said"), [(b"/Type /Sig", "/Type /Sig"), (b"", "no /Type")])
def test_document_timestamp_with_odd_type_is_validated_as_timestamp(
    pki: TestPKI, alice: FileSigningKey, trust: TrustSettings, type_entry: bytes, said: str
) -> None:
    data = classes.doc_timestamp_typed(classes.signed_contract(alice), pki.tsa_url, type_entry)
    report = validate_pdf(data, trust)
    assert [s.field for s in report.signatures] == ["Signature1"]
    assert report.signatures[0].indication != "TOTAL_FAILED"
    (timestamp,) = report.document_timestamps
    _passed(timestamp)
    assert timestamp.authority is not None and timestamp.time is not None
    assert any(said in w and "validated as a document timestamp" in w for w in timestamp.warnings)


def test_document_timestamp_with_odd_type_still_detects_tampering(
    pki: TestPKI, alice: FileSigningKey, trust: TrustSettings
) -> None:
    data = classes.doc_timestamp_typed(classes.signed_contract(alice), pki.tsa_url, b"/Type /Sig")
    report = validate_pdf(flip_signed_byte(data), trust)
    (timestamp,) = report.document_timestamps
    assert (timestamp.indication, timestamp.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert report.signatures[0].indication == "TOTAL_FAILED"


def test_timestamp_token_is_recognised_by_its_content_type(
    pki: TestPKI, alice: FileSigningKey, trust: TrustSettings
) -> None:
    data = classes.timestamp_token_under_other_subfilter(classes.signed_contract(alice), pki.tsa_url)
    report = validate_pdf(data, trust)
    assert [s.field for s in report.signatures] == ["Signature1"]
    (timestamp,) = report.document_timestamps
    _passed(timestamp)
    assert any("CMS is a timestamp token although its SubFilter is /x.stamp" in w for w in timestamp.warnings)


def test_unsigned_placeholder_is_reported_not_failed(alice: FileSigningKey, trust: TrustSettings) -> None:
    report = validate_pdf(classes.unsigned_placeholder(alice), trust)
    by_field = {s.field: s for s in report.signatures}
    assert by_field["Signature1"].indication != "TOTAL_FAILED"
    pending = by_field["Pending"]
    assert (pending.indication, pending.sub_indication) == ("INDETERMINATE", "GENERIC")
    assert any("unsigned placeholder" in w for w in pending.warnings)


# -- SubFilters ---------------------------------------------------------------------


def test_adbe_pkcs7_sha1_is_validated(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(classes.sha1_signed(alice), trust))
    _passed(sig)
    assert sig.integrity.digest_matches and sig.integrity.signature_valid
    assert sig.signer is not None and "Zhang San" in sig.signer.subject
    assert any("adbe.pkcs7.sha1" in w and "SHA-1" in w for w in sig.warnings)


def test_adbe_pkcs7_sha1_signed_with_sha1_is_not_failed(alice: FileSigningKey, trust: TrustSettings) -> None:
    """Old signers also signed with SHA-1: the signature holds, but pyHanko's algorithm policy no
    longer accepts SHA-1 for signatures, which EN 319 102-1 makes INDETERMINATE, not a failure."""
    sig = _only_signature(validate_pdf(classes.sha1_signed(alice, signer_digest="sha1"), trust))
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE")
    assert sig.integrity.digest_matches and sig.integrity.signature_valid


def test_adbe_pkcs7_sha1_over_changed_bytes_is_hash_failure(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(flip_signed_byte(classes.sha1_signed(alice)), trust))
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert not sig.integrity.digest_matches
    assert any("SHA-1 digest inside the signature is not the digest" in w for w in sig.warnings)


def test_pbad_pades_is_validated_as_pades(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(classes.with_subfilter(alice, b"/PBAD.PAdES"), trust))
    _passed(sig)
    assert sig.pades_level == "B-B"


def test_unknown_subfilter_is_indeterminate_with_reason(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(classes.with_subfilter(alice, b"/x.custom"), trust))
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "GENERIC")
    assert any("does not support (its SubFilter is /x.custom)" in w for w in sig.warnings)


# -- parse problems that are no format failures -------------------------------------


def test_two_signer_infos_validate_the_first_and_say_so(
    alice: FileSigningKey, bob: FileSigningKey, trust: TrustSettings
) -> None:
    sig = _only_signature(validate_pdf(classes.two_signer_infos(alice, bob), trust))
    _passed(sig)
    note = next(w for w in sig.warnings if "2 SignerInfos" in w)
    assert sig.signer is not None and "Zhang San" in sig.signer.subject
    assert "The first (张三 Zhang San) is the signature validated here" in note
    assert "Bob Li 李波: matches the signed bytes" in note


def test_two_signer_infos_followed_by_a_later_revision(
    pki: TestPKI, alice: FileSigningKey, bob: FileSigningKey, trust: TrustSettings
) -> None:
    """The other SignerInfos are checked over the byte range, not up to the end of the file."""
    data = classes.doc_timestamped(classes.two_signer_infos(alice, bob), pki.tsa_url)
    sig = validate_pdf(data, trust).signatures[0]
    assert sig.indication != "TOTAL_FAILED"
    assert any("Bob Li 李波: matches the signed bytes" in w for w in sig.warnings)


def test_second_signer_info_over_other_bytes_fails_the_field(
    alice: FileSigningKey, bob: FileSigningKey, trust: TrustSettings
) -> None:
    sig = _only_signature(validate_pdf(classes.two_signer_infos_second_elsewhere(alice, bob), trust))
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")
    assert sig.integrity.digest_matches  # the first signer's own digest is right
    assert any("Bob Li 李波: does NOT match the signed bytes" in w for w in sig.warnings)


def test_two_signer_infos_over_changed_bytes_fail(
    alice: FileSigningKey, bob: FileSigningKey, trust: TrustSettings
) -> None:
    sig = _only_signature(validate_pdf(flip_signed_byte(classes.two_signer_infos(alice, bob)), trust))
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_periods_in_field_name(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(classes.periods_in_name(alice), trust))
    _passed(sig)
    assert sig.field == "Sig.2024.01"


def test_rewritten_signature_dictionary_is_no_format_failure(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(classes.signature_dictionary_rewritten(alice), trust))
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert any("covers revision 2 completely" in w and "written again in revision 3" in w for w in sig.warnings)
    assert sig.integrity.digest_matches


# -- signed attributes out of DER order ---------------------------------------------


def test_signed_attributes_out_of_der_order_are_format_failure(alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = _only_signature(validate_pdf(classes.unsorted_signed_attributes(alice), trust))
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert sig.integrity.signature_valid  # it verifies, but only over the order as stored
    assert any("RFC 5652 5.4" in w for w in sig.warnings)


def test_signed_attributes_in_der_order_pass(alice: FileSigningKey, trust: TrustSettings) -> None:
    """The same hand-built CMS with its attributes sorted: the failure above is the order alone."""
    built = classes.reforge(classes.signed_contract(alice), [], classes.detached_cms(classes.CmsSigner(alice)))
    _passed(_only_signature(validate_pdf(built, trust)))
