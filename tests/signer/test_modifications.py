"""Changes after signing in the terms of PAdES (EN 319 142-1) and DocMDP: validation data
and document timestamps are always allowed, form filling and comments as far as the
certification permits, everything else is flagged."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from signer import FileSigningKey, SignOptions, TrustSettings, sign_pdf, validate_pdf
from tests.signer import attacks, revisions
from tests.signer.pki import TestPKI

Sign = Callable[..., bytes]


@pytest.fixture(scope="module")
def lta(contract_pdf: bytes, alice: FileSigningKey, sign_with: Sign) -> bytes:
    return sign_with(contract_pdf, alice, "B-LTA")


def _all_passed(data: bytes, trust: TrustSettings) -> None:
    report = validate_pdf(data, trust)
    for sig in report.signatures:
        assert (sig.indication, sig.coverage.changes) == ("TOTAL_PASSED", "none"), sig.warnings
    for ts in report.document_timestamps:
        assert (ts.indication, ts.changes) == ("TOTAL_PASSED", "none"), ts.warnings


# -- long-term validation updates -------------------------------------------------------


def test_rewritten_vri_entry_after_a_document_timestamp_is_allowed(
    lta: bytes, pki: TestPKI, trust: TrustSettings
) -> None:
    """pyHanko's own policy calls this "VRI key ... was modified"; the timestamp then failed."""
    updated = revisions.rewrite_vri(lta, pki.cert("bob"))
    _all_passed(updated, trust)
    assert len(validate_pdf(updated, trust).document_timestamps) == 1


def test_second_document_timestamp_over_a_dss_update_is_allowed(lta: bytes, pki: TestPKI, trust: TrustSettings) -> None:
    extended = revisions.add_document_timestamp(revisions.rewrite_vri(lta, pki.cert("bob")), pki.tsa_url)
    report = validate_pdf(extended, trust)
    assert len(report.document_timestamps) == 2
    _all_passed(extended, trust)


def test_undefined_reference_is_read_as_null_not_a_format_failure(
    contract_pdf: bytes, alice: FileSigningKey, sign_with: Sign, trust: TrustSettings
) -> None:
    """pyHanko raised KeyError(Reference(9999)) in its diff analysis: FORMAT_FAILURE before."""
    signed = sign_with(revisions.with_undefined_reference(contract_pdf), alice, "B-LTA")
    _all_passed(signed, trust)


def test_content_changed_next_to_a_dss_update_is_still_flagged(lta: bytes, pki: TestPKI, trust: TrustSettings) -> None:
    attacked = attacks.isa_replace_content(revisions.rewrite_vri(lta, pki.cert("bob")))
    sig = validate_pdf(attacked, trust).signatures[0]
    assert sig.indication == "INDETERMINATE" and sig.coverage.changes == "other", sig.warnings


# -- DocMDP: form filling and annotations ------------------------------------------------


def test_form_filled_under_certification_p2_is_allowed(
    form_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    certified = sign_pdf(form_pdf, alice, SignOptions(certify="form_filling"))
    sig = validate_pdf(attacks.fill_text_field(certified, "remarks", "OK", opaque=False), trust).signatures[0]
    assert (sig.indication, sig.coverage.changes, sig.certification) == ("TOTAL_PASSED", "form_filling", "form_filling")


def test_form_filled_under_certification_p1_is_flagged(
    form_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    certified = sign_pdf(form_pdf, alice, SignOptions(certify="no_changes"))
    sig = validate_pdf(attacks.fill_text_field(certified, "remarks", "OK", opaque=False), trust).signatures[0]
    assert sig.sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert any("DocMDP level 1" in w for w in sig.warnings)


def test_comment_under_certification_p3_is_allowed(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    certified = sign_pdf(contract_pdf, alice, SignOptions(certify="annotations"))
    sig = validate_pdf(revisions.add_annotation(certified), trust).signatures[0]
    assert (sig.indication, sig.coverage.changes) == ("TOTAL_PASSED", "annotations"), sig.warnings
    assert any("annotations were added" in w for w in sig.warnings)


def test_comment_after_an_approval_signature_is_reported_not_rejected(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    sig = validate_pdf(revisions.add_annotation(sign_pdf(contract_pdf, alice)), trust).signatures[0]
    assert (sig.indication, sig.coverage.changes) == ("TOTAL_PASSED", "annotations"), sig.warnings


def test_comment_under_certification_p2_is_flagged(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    certified = sign_pdf(contract_pdf, alice, SignOptions(certify="form_filling"))
    sig = validate_pdf(revisions.add_annotation(certified), trust).signatures[0]
    assert sig.sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert any("DocMDP level 2" in w for w in sig.warnings)


def test_link_annotation_is_not_a_comment(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    certified = sign_pdf(contract_pdf, alice, SignOptions(certify="annotations"))
    sig = validate_pdf(revisions.add_annotation(certified, "/Link"), trust).signatures[0]
    assert (sig.sub_indication, sig.coverage.changes) == ("SIG_CONSTRAINTS_FAILURE", "other")


# -- what changed, in plain words ---------------------------------------------------------


def test_changed_font_is_named(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    prepared, attack = attacks.shadow_replace_font(contract_pdf)
    sig = validate_pdf(attack(sign_pdf(prepared, alice)), trust).signatures[0]
    assert any(w.startswith("A later revision changes a font used on page 1") for w in sig.warnings), sig.warnings
    assert not any("Reference(" in w for w in sig.warnings)


def test_replaced_page_content_is_named(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    sig = validate_pdf(attacks.isa_replace_content(sign_pdf(contract_pdf, alice)), trust).signatures[0]
    described = [w for w in sig.warnings if w.startswith("A later revision changes")]
    assert described and "page 1" in described[0], sig.warnings
    assert any(w.startswith("Page 1 looks different") for w in sig.warnings), sig.warnings


# -- FieldMDP: fields the signature locks ---------------------------------------------------


@pytest.fixture(scope="module")
def locking_signed(form_pdf: bytes, alice: FileSigningKey) -> bytes:
    prepared = revisions.with_locking_signature_field(form_pdf, "Approval", ["amount_overlay"])
    return sign_pdf(prepared, alice, SignOptions(field_name="Approval"))


def test_filling_a_locked_field_is_flagged(locking_signed: bytes, trust: TrustSettings) -> None:
    filled = attacks.fill_text_field(locking_signed, "amount_overlay", "see annex", opaque=False)
    sig = validate_pdf(filled, trust).signatures[0]
    assert sig.sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert any("“amount_overlay”, which this signature locks" in w for w in sig.warnings), sig.warnings


def test_filling_a_field_the_signature_leaves_open_is_allowed(locking_signed: bytes, trust: TrustSettings) -> None:
    filled = attacks.fill_text_field(locking_signed, "remarks", "OK", opaque=False)
    sig = validate_pdf(filled, trust).signatures[0]
    assert (sig.indication, sig.coverage.changes) == ("TOTAL_PASSED", "form_filling"), sig.warnings
