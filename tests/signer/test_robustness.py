"""Files that once made the validator raise instead of report (HTTP 500 in the app).

Each file here must come out as a per-signature result; only an unreadable
document may raise, and then only :class:`signer.ValidationError`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from signer import FileSigningKey, SignatureReport, TrustSettings, ValidationError, sign_pdf, validate_pdf
from signer.validate import document, signature
from tests.signer import attacks, malformed
from tests.signer.support import flip_signed_byte

MakeIndirect = Callable[[bytes], bytes]

INDIRECT_ARRAYS: dict[str, MakeIndirect] = {
    "annots": malformed.with_indirect_annots,
    "fields": malformed.with_indirect_fields,
    "annots+fields": lambda pdf: malformed.with_indirect_fields(malformed.with_indirect_annots(pdf)),
}


def _only_signature(data: bytes, trust: TrustSettings) -> SignatureReport:
    (sig,) = validate_pdf(data, trust).signatures
    return sig


def _verdict(sig: SignatureReport) -> tuple[str, str | None]:
    return sig.indication, sig.sub_indication


# -- /Annots and /Fields as indirect arrays ----------------------------------------------


@pytest.fixture(params=sorted(INDIRECT_ARRAYS), scope="module")
def signed_with_indirect_arrays(request: pytest.FixtureRequest, form_pdf: bytes, alice: FileSigningKey) -> bytes:
    """The form PDF with the arrays indirect *before* it is signed."""
    return sign_pdf(INDIRECT_ARRAYS[request.param](form_pdf), alice)


def test_indirect_arrays_signed_as_they_are_pass(signed_with_indirect_arrays: bytes, trust: TrustSettings) -> None:
    assert _verdict(_only_signature(signed_with_indirect_arrays, trust)) == ("TOTAL_PASSED", None)


def test_form_filled_after_signing_with_indirect_arrays(
    signed_with_indirect_arrays: bytes, trust: TrustSettings
) -> None:
    """The forensics walk the indirect arrays: a harmless field is reported as filled in."""
    filled = attacks.fill_text_field(signed_with_indirect_arrays, "remarks", "OK", opaque=False)
    sig = _only_signature(filled, trust)
    assert _verdict(sig) == ("TOTAL_PASSED", None), sig.warnings
    assert sig.coverage.changes == "form_filling"
    assert any("remarks" in w for w in sig.warnings)


def test_overlay_attack_is_still_caught_through_indirect_arrays(
    signed_with_indirect_arrays: bytes, trust: TrustSettings
) -> None:
    """Not crashing is not enough: the field over the signed amount must still be found."""
    attacked = attacks.fill_text_field(signed_with_indirect_arrays, "amount_overlay", "CNY 999,999", opaque=True)
    sig = _only_signature(attacked, trust)
    assert _verdict(sig) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert sig.coverage.changes == "other"
    assert any("amount_overlay" in w and "shadow" in w for w in sig.warnings)


def test_second_signature_over_indirect_arrays(
    signed_with_indirect_arrays: bytes, bob: FileSigningKey, trust: TrustSettings
) -> None:
    """A later signature is form filling for the first: the forensics read the fields then."""
    first, second = validate_pdf(sign_pdf(signed_with_indirect_arrays, bob), trust).signatures
    assert _verdict(first) == _verdict(second) == ("TOTAL_PASSED", None)
    assert first.coverage.changes == "form_filling"


def test_fields_made_indirect_after_signing(form_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    """An incremental update that only moves /Fields into an object of its own, then an overlay."""
    moved = malformed.with_indirect_fields(sign_pdf(form_pdf, alice))
    assert _verdict(_only_signature(moved, trust)) == ("TOTAL_PASSED", None)
    attacked = attacks.fill_text_field(moved, "amount_overlay", "CNY 999,999", opaque=True)
    assert _verdict(_only_signature(attacked, trust)) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")


def test_annots_made_indirect_after_signing(form_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    """Rewriting a page dictionary after signing is a change the signature does not allow."""
    moved = malformed.with_indirect_annots(sign_pdf(form_pdf, alice))
    filled = attacks.fill_text_field(moved, "remarks", "OK", opaque=False)
    for data in (moved, filled):
        sig = _only_signature(data, trust)
        assert _verdict(sig) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
        assert sig.coverage.changes == "other"


# -- a CMS without the signer's certificate ----------------------------------------------


@pytest.mark.parametrize("level", ["B-B", "B-T"])
def test_missing_signer_certificate(
    level: str, contract_pdf: bytes, alice: FileSigningKey, sign_with: Callable[..., bytes], trust: TrustSettings
) -> None:
    data = malformed.without_signer_certificate(sign_with(contract_pdf, alice, level))
    sig = _only_signature(data, trust)
    assert _verdict(sig) == ("INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND")
    assert sig.warnings[0].startswith("The signature does not contain the signer's certificate")
    assert sig.signer is None and sig.chain == ()
    assert sig.integrity.digest_matches  # the signed bytes are untouched
    assert sig.revocation.status == "unknown"
    assert sig.to_dict()["sub_indication"] == "NO_SIGNING_CERTIFICATE_FOUND"


def test_missing_signer_certificate_and_altered_content(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    """A missing certificate never hides a digest that does not match."""
    data = flip_signed_byte(malformed.without_signer_certificate(sign_pdf(contract_pdf, alice)))
    sig = _only_signature(data, trust)
    assert _verdict(sig) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_unparsable_certificate_in_the_cms(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    """The CMS certificates are not signed: a damaged one ends the chain, not the checks."""
    sig = _only_signature(malformed.with_unparsable_intermediate(sign_pdf(contract_pdf, alice)), trust)
    assert sig.indication == "INDETERMINATE"
    assert not any("could not be checked completely" in w for w in sig.warnings), sig.warnings
    assert [c.subject for c in sig.chain] == [sig.signer.subject if sig.signer else None]
    assert any("does not lead to a trusted root" in w for w in sig.warnings)


# -- any other error: the signature's INDETERMINATE result, or a ValidationError -----------


def _boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("a check broke on this file")


def test_an_error_inside_a_check_is_that_signatures_result(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = sign_pdf(contract_pdf, alice)
    monkeypatch.setattr(signature, "check_revocation", _boom)
    sig = _only_signature(signed, trust)
    assert _verdict(sig) == ("INDETERMINATE", "GENERIC")
    assert sig.warnings[0] == "The signature could not be validated."
    assert any("a check broke on this file" in w and "cannot be accepted" in w for w in sig.warnings)
    assert sig.signer is not None and sig.integrity.digest_matches
    # what was found before the error is kept: a broken digest stays TOTAL_FAILED
    sig = _only_signature(flip_signed_byte(signed), trust)
    assert _verdict(sig) == ("TOTAL_FAILED", "HASH_FAILURE")


def test_an_error_at_document_level_is_a_validation_error(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = sign_pdf(contract_pdf, alice)
    monkeypatch.setattr(document, "read_dss", _boom)
    with pytest.raises(ValidationError, match="structure cannot be read: a check broke on this file"):
        validate_pdf(signed, trust)
