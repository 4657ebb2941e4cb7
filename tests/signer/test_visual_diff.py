"""The visual comparison of the signed revision with the final document: a change of what
a page shows is caught even when the object-level analysis calls it harmless."""

from __future__ import annotations

import time

from signer import FileSigningKey, TrustSettings, sign_pdf, validate_pdf
from signer.visual_diff import PageRenders, VisualLimits, compare_pages
from tests.signer import attacks, revisions
from tests.signer.support import make_contract_pdf


def test_hidden_overlay_revealed_by_a_new_object_names_the_page(
    contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings
) -> None:
    prepared, attack = attacks.shadow_reveal_undefined_object(contract_pdf)
    signed = sign_pdf(prepared, alice)
    assert validate_pdf(signed, trust).signatures[0].indication == "TOTAL_PASSED"
    assert compare_pages(signed, attack(signed), PageRenders()).differing_pages == (1,)
    sig = validate_pdf(attack(signed), trust).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE")
    assert sig.coverage.changes == "other"
    assert any(w.startswith("Page 1 looks different") for w in sig.warnings), sig.warnings


def test_only_the_changed_page_is_named(alice: FileSigningKey, trust: TrustSettings) -> None:
    prepared, attack = attacks.shadow_reveal_undefined_object(make_contract_pdf(pages=3), page=1)
    sig = validate_pdf(attack(sign_pdf(prepared, alice)), trust).signatures[0]
    assert any(w.startswith("Page 2 looks different") for w in sig.warnings), sig.warnings
    assert not any("Pages " in w for w in sig.warnings)


def test_appended_page_is_named(contract_pdf: bytes, alice: FileSigningKey) -> None:
    signed = sign_pdf(contract_pdf, alice)
    result = compare_pages(signed, attacks.isa_append_page(signed), PageRenders())
    assert (result.signed_pages, result.final_pages, result.differing_pages) == (2, 3, (3,))
    assert result.complete


def test_permitted_changes_look_the_same(contract_pdf: bytes, alice: FileSigningKey) -> None:
    signed = sign_pdf(contract_pdf, alice)
    commented = revisions.add_annotation(signed)
    result = compare_pages(signed, commented, PageRenders())
    assert result.differing_pages == () and result.complete


def test_page_limit_is_reported(alice: FileSigningKey) -> None:
    signed = sign_pdf(make_contract_pdf(pages=5), alice)
    result = compare_pages(signed, revisions.add_annotation(signed), PageRenders(VisualLimits(max_pages=2)))
    assert result.compared == 2 and not result.complete


def test_unrenderable_document_is_an_error_not_an_exception() -> None:
    result = compare_pages(b"%PDF-1.7 nonsense", b"not a pdf", PageRenders())
    assert result.error and not result.complete


def test_hundred_page_document_stays_within_seconds(alice: FileSigningKey, trust: TrustSettings) -> None:
    """Validation of a 100-page file with a later revision (shared, busy machine: generous)."""
    commented = revisions.add_annotation(sign_pdf(make_contract_pdf(pages=100), alice), page=99)
    start = time.perf_counter()
    sig = validate_pdf(commented, trust).signatures[0]
    elapsed = time.perf_counter() - start
    assert (sig.indication, sig.coverage.changes) == ("TOTAL_PASSED", "annotations"), sig.warnings
    assert not any("were compared" in w for w in sig.warnings)
    assert elapsed < 10, elapsed
