"""Long-term validation: document timestamps as proofs of existence (EN 319 102-1)."""

from __future__ import annotations

from collections.abc import Callable

from signer import FileSigningKey, TrustSettings, validate_pdf
from tests.signer import classes
from tests.signer.pki import TestPKI


def test_b_b_signature_followed_by_a_document_timestamp_passes(
    pki: TestPKI,
    alice: FileSigningKey,
    trust: TrustSettings,
    contract_pdf: bytes,
    sign_with: Callable[..., bytes],
) -> None:
    """The document timestamp proves the signature existed; it no longer makes an intact
    B-B signature with a valid chain INDETERMINATE/SIG_CONSTRAINTS_FAILURE."""
    data = classes.doc_timestamped(sign_with(contract_pdf, alice, "B-B"), pki.tsa_url)
    report = validate_pdf(data, trust)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == ("TOTAL_PASSED", None)
    assert sig.integrity.digest_matches and sig.integrity.signature_valid
    assert not any("modified after signing" in w for w in sig.warnings)
    assert len(report.document_timestamps) == 1
