"""Known attacks on PDF signatures must come out flagged, never clean.

"Flagged" = not TOTAL_PASSED, coverage.changes == "other" (or the signature is
reported unreadable), and a plain-language warning; never TOTAL_PASSED with
"form_filling". pdfsig's view is recorded where it can judge.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from signer import FileSigningKey, SignatureReport, TrustSettings, sign_pdf, validate_pdf
from tests.signer import attacks
from tests.signer.support import PdfsigSignature

Check = Callable[[bytes], list[PdfsigSignature]]


def _assert_flagged(sig: SignatureReport) -> None:
    assert sig.indication in ("TOTAL_FAILED", "INDETERMINATE"), sig
    assert sig.coverage.changes == "other", sig
    assert sig.warnings, sig
    assert not (sig.indication == "TOTAL_PASSED" and sig.coverage.changes == "form_filling")


@pytest.fixture(scope="module")
def signed(contract_pdf: bytes, alice: FileSigningKey) -> bytes:
    return sign_pdf(contract_pdf, alice)


# -- incremental saving attacks ---------------------------------------------------


def test_isa_appended_page(signed: bytes, trust: TrustSettings, outside_check: Check) -> None:
    attacked = attacks.isa_append_page(signed)
    assert attacked.startswith(signed)
    sig = validate_pdf(attacked, trust).signatures[0]
    _assert_flagged(sig)
    assert sig.sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert sig.coverage.later_revisions == 1 and not sig.coverage.whole_document
    assert sig.integrity.digest_matches  # the signed revision itself is intact
    (ps,) = outside_check(attacked)
    # pdfsig still says "valid", only "not total document signed" (stack notes)
    assert ps.total_document_signed is False


def test_isa_replaced_content_stream(signed: bytes, trust: TrustSettings, outside_check: Check) -> None:
    attacked = attacks.isa_replace_content(signed)
    _assert_flagged(validate_pdf(attacked, trust).signatures[0])
    assert outside_check(attacked)[0].total_document_signed is False


def test_isa_without_xref_section(signed: bytes, trust: TrustSettings) -> None:
    attacked = attacks.isa_no_xref(signed)
    sig = validate_pdf(attacked, trust).signatures[0]
    _assert_flagged(sig)
    assert any("appended after the last revision" in w for w in sig.warnings)


# -- signature wrapping ---------------------------------------------------------------


def test_swa_object_hidden_in_byterange_gap(signed: bytes, trust: TrustSettings) -> None:
    attacked = attacks.swa_gap_injection(signed)
    assert len(attacked) == len(signed)
    sig = validate_pdf(attacked, trust).signatures[0]
    _assert_flagged(sig)
    assert sig.indication == "TOTAL_FAILED"


def test_swa_rewritten_byterange(signed: bytes, trust: TrustSettings, outside_check: Check) -> None:
    attacked = attacks.swa_byterange_rewrite(signed)
    sig = validate_pdf(attacked, trust).signatures[0]
    assert sig.indication == "TOTAL_FAILED", sig
    assert sig.sub_indication in ("HASH_FAILURE", "FORMAT_FAILURE")
    (ps,) = outside_check(attacked)
    assert ps.validation != "Signature is Valid." or ps.total_document_signed is False


# -- universal signature forgery ------------------------------------------------------


@pytest.mark.parametrize("key", [b"/ByteRange", b"/Contents"])
def test_usf_missing_entry(signed: bytes, key: bytes, trust: TrustSettings) -> None:
    report = validate_pdf(attacks.usf_rename_key(signed, key), trust)
    assert report.signatures, "a broken signature is reported, not silently dropped"
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "FORMAT_FAILURE")
    assert sig.coverage.changes == "other"


def test_usf_zeroed_contents(signed: bytes, trust: TrustSettings) -> None:
    sig = validate_pdf(attacks.usf_zero_contents(signed), trust).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_FAILED", "FORMAT_FAILURE")


def test_unknown_subfilter_is_reported(signed: bytes, trust: TrustSettings) -> None:
    attacked = signed.replace(b"/ETSI.CAdES.detached", b"/ETSI.CAdES.detacheX")
    sig = validate_pdf(attacked, trust).signatures[0]
    assert sig.indication == "TOTAL_FAILED"


# -- shadow attacks ---------------------------------------------------------------------


def test_shadow_hide(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    prepared, attack = attacks.shadow_hide(contract_pdf)
    signed = sign_pdf(prepared, alice)
    assert validate_pdf(signed, trust).signatures[0].indication == "TOTAL_PASSED"
    _assert_flagged(validate_pdf(attack(signed), trust).signatures[0])


def test_shadow_hide_via_xref_only_update(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    prepared, attack = attacks.shadow_hide_xref_only(contract_pdf)
    signed = sign_pdf(prepared, alice)
    assert validate_pdf(signed, trust).signatures[0].indication == "TOTAL_PASSED"
    _assert_flagged(validate_pdf(attack(signed), trust).signatures[0])


def test_shadow_replace_via_overlay_form_field(form_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    signed = sign_pdf(form_pdf, alice)
    sig = validate_pdf(attacks.shadow_replace_overlay(form_pdf)(signed), trust).signatures[0]
    _assert_flagged(sig)
    assert sig.modification_level == "form_filling"  # what pyHanko alone would conclude
    assert any("shadow" in w for w in sig.warnings)


def test_legitimate_form_filling_is_not_an_attack(form_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    signed = sign_pdf(form_pdf, alice)
    filled = attacks.fill_text_field(signed, "remarks", "OK", opaque=False)
    sig = validate_pdf(filled, trust).signatures[0]
    assert sig.coverage.changes == "form_filling"
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    assert any("remarks" in w for w in sig.warnings)


def test_shadow_replace_via_font(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    prepared, attack = attacks.shadow_replace_font(contract_pdf)
    signed = sign_pdf(prepared, alice)
    _assert_flagged(validate_pdf(attack(signed), trust).signatures[0])


def test_shadow_hide_and_replace(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    prepared, attack = attacks.shadow_hide_and_replace(contract_pdf)
    signed = sign_pdf(prepared, alice)
    assert validate_pdf(signed, trust).signatures[0].indication == "TOTAL_PASSED"
    _assert_flagged(validate_pdf(attack(signed), trust).signatures[0])
