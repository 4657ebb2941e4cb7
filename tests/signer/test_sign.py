"""Signing at every PAdES level, checked by our validator, pdfsig and qpdf."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from signer import (
    Appearance,
    FileSigningKey,
    SignerError,
    SigningRefused,
    SignOptions,
    TrustSettings,
    sign_pdf,
    validate_pdf,
)
from tests.signer.pki import TestPKI
from tests.signer.support import PdfsigSignature, png_has_alpha, png_seal

Check = Callable[[bytes], list[PdfsigSignature]]
Sign = Callable[..., bytes]


def _assert_pdfsig_valid(sigs: list[PdfsigSignature], count: int) -> None:
    assert len(sigs) == count, sigs
    for s in sigs:
        assert s.validation == "Signature is Valid.", s.text
        # poppler quirk: certificates carrying an OCSP URL give "Unknown issue"
        assert s.certificate in ("Certificate is Trusted.", "Unknown issue with Certificate or corrupted data."), s.text


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_sign_each_level(
    level: str, contract_pdf: bytes, alice: FileSigningKey, sign_with: Sign, trust: TrustSettings, outside_check: Check
) -> None:
    signed = sign_with(contract_pdf, alice, level, reason="同意 / Approved", location="北京 Beijing")
    assert signed.startswith(contract_pdf)  # never rewrite the original
    report = validate_pdf(signed, trust, filename="contract.pdf")
    (sig,) = report.signatures
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    assert sig.pades_level == level
    assert sig.integrity.digest_matches and sig.integrity.signature_valid
    assert sig.reason == "同意 / Approved" and sig.location == "北京 Beijing"
    assert sig.revocation.status == "good"
    assert sig.revocation.embedded is (level in ("B-LT", "B-LTA"))
    assert sig.signer is not None and sig.signer.email == "zhang.san@example.com"
    assert sig.chain[-1].trust_anchor and not sig.chain[0].trust_anchor
    if level == "B-B":
        assert sig.timestamp is None and sig.coverage.whole_document
    else:
        assert sig.timestamp is not None and sig.timestamp.valid
        assert sig.timestamp.authority == "Pactum Test TSA"
    if level == "B-LTA":
        (ts,) = report.document_timestamps
        assert ts.indication == "TOTAL_PASSED" and ts.valid
        assert sig.coverage.later_revisions == 2 and sig.coverage.changes == "none"
    pdfsig_sigs = outside_check(signed)
    # pdfsig lists the document timestamp too but cannot judge it
    _assert_pdfsig_valid(pdfsig_sigs[:1], 1)


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_validate_offline(
    level: str, contract_pdf: bytes, alice: FileSigningKey, sign_with: Sign, offline_trust: TrustSettings
) -> None:
    """B-LT/B-LTA carry their own revocation data: no network needed (hard-fail)."""
    report = validate_pdf(sign_with(contract_pdf, alice, level), offline_trust)
    sig = report.signatures[0]
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    assert sig.revocation.status == "good" and sig.revocation.embedded
    assert sig.revocation.checked_at is not None


def test_b_b_offline_hard_fail_is_try_later(
    contract_pdf: bytes, alice: FileSigningKey, offline_trust: TrustSettings
) -> None:
    sig = validate_pdf(sign_pdf(contract_pdf, alice), offline_trust).signatures[0]
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "TRY_LATER")
    assert sig.revocation.status == "unknown"


def test_visible_stamp_with_seal_and_chinese_name(
    contract_pdf: bytes, alice: FileSigningKey, pki: TestPKI, trust: TrustSettings, outside_check: Check, tmp_path
) -> None:
    seal = png_seal()
    assert png_has_alpha(seal)
    options = SignOptions(
        level="B-T",
        tsa_url=pki.tsa_url,
        reason="同意",
        appearance=Appearance(page=2, box=(330, 60, 560, 140), image_png=seal, signer_name="张三（法定代表人）"),
    )
    signed = sign_pdf(contract_pdf, alice, options)
    sig = validate_pdf(signed, trust).signatures[0]
    assert sig.indication == "TOTAL_PASSED", sig.warnings
    reader = PdfFileReader(io.BytesIO(signed))
    page2 = reader.root["/Pages"]["/Kids"][1].get_object()
    widget = next(a.get_object() for a in page2["/Annots"] if a.get_object().get("/FT") == "/Sig")
    assert [round(float(v)) for v in widget["/Rect"]] == [330, 60, 560, 140]
    ap = widget["/AP"]["/N"]
    xobjects = ap["/Resources"]["/XObject"]
    assert xobjects, "the seal image is in the appearance"
    # the stamp's font is embedded (no reportlab STSong-Light)
    path = tmp_path / "v.pdf"
    path.write_bytes(signed)
    import subprocess

    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cid_lines = [line for line in fonts.splitlines() if "Identity-H" in line]
    assert cid_lines and all(" yes yes yes " in line for line in cid_lines), fonts
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True).stdout
    assert "张三（法定代表人）" in text
    _assert_pdfsig_valid(outside_check(signed), 1)


def test_invisible_signature_has_no_visible_widget(contract_pdf: bytes, alice: FileSigningKey) -> None:
    signed = sign_pdf(contract_pdf, alice)
    reader = PdfFileReader(io.BytesIO(signed))
    field = reader.root["/AcroForm"]["/Fields"][0].get_object()
    assert [float(v) for v in field["/Rect"]] == [0, 0, 0, 0]


def test_two_signers_in_sequence(
    contract_pdf: bytes,
    alice: FileSigningKey,
    bob: FileSigningKey,
    sign_with: Sign,
    trust: TrustSettings,
    outside_check: Check,
) -> None:
    first = sign_with(contract_pdf, alice, "B-T")
    second = sign_with(first, bob, "B-LT", appearance=Appearance(page=1, box=(40, 40, 240, 110)))
    assert second.startswith(first)
    report = validate_pdf(second, trust)
    s1, s2 = report.signatures
    assert (s1.field, s2.field) == ("Signature1", "Signature2")
    assert s1.indication == "TOTAL_PASSED", s1.warnings
    assert s2.indication == "TOTAL_PASSED", s2.warnings
    assert s1.coverage.changes == "form_filling" and s1.coverage.later_revisions >= 1
    assert not s1.coverage.whole_document and s2.coverage.changes == "none"
    assert s2.signer is not None and "Bob" in s2.signer.subject
    _assert_pdfsig_valid(outside_check(second), 2)


def test_certification_then_forbidden_change_is_flagged(
    contract_pdf: bytes, alice: FileSigningKey, bob: FileSigningKey, trust: TrustSettings, outside_check: Check
) -> None:
    certified = sign_pdf(contract_pdf, alice, SignOptions(certify="no_changes", reason="定稿"))
    sig = validate_pdf(certified, trust).signatures[0]
    assert sig.indication == "TOTAL_PASSED" and sig.certification == "no_changes"
    # our own signer refuses to break the certification ...
    with pytest.raises(SigningRefused):
        sign_pdf(certified, bob)
    # ... but an attacker's tool does not: add an annotation-free content change
    w = IncrementalPdfFileWriter(io.BytesIO(certified))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    tampered = out.getvalue()
    sig = validate_pdf(tampered, trust).signatures[0]
    assert sig.indication != "TOTAL_PASSED"
    assert sig.coverage.changes == "other"
    assert sig.sub_indication == "SIG_CONSTRAINTS_FAILURE"
    assert any("not allowed" in w for w in sig.warnings)
    pdfsig_sig = outside_check(tampered)[0]
    assert pdfsig_sig.total_document_signed is False


def test_certification_form_filling_allows_second_signature(
    contract_pdf: bytes, alice: FileSigningKey, bob: FileSigningKey, trust: TrustSettings
) -> None:
    certified = sign_pdf(contract_pdf, alice, SignOptions(certify="form_filling"))
    both = sign_pdf(certified, bob)
    s1, s2 = validate_pdf(both, trust).signatures
    assert s1.certification == "form_filling" and s1.indication == "TOTAL_PASSED", s1.warnings
    assert s2.indication == "TOTAL_PASSED" and s2.certification is None


def test_certification_must_come_first(contract_pdf: bytes, alice: FileSigningKey, bob: FileSigningKey) -> None:
    signed = sign_pdf(contract_pdf, alice)
    with pytest.raises(SigningRefused, match="first signature"):
        sign_pdf(signed, bob, SignOptions(certify="annotations"))


def test_revoked_signer_is_not_passed(contract_pdf: bytes, pki: TestPKI, sign_with: Sign, trust: TrustSettings) -> None:
    key = pki.key("revoked")
    with pytest.raises(SigningRefused, match="revo"):
        sign_with(contract_pdf, key, "B-LT")  # we refuse to embed a 'revoked' OCSP answer
    signed = sign_with(contract_pdf, key, "B-T")
    sig = validate_pdf(signed, trust).signatures[0]
    # the timestamp (made now) cannot prove the signature predates the 2024 revocation
    assert sig.indication != "TOTAL_PASSED" and sig.sub_indication in ("REVOKED", "REVOKED_NO_POE"), sig
    assert sig.revocation.status == "revoked" and not sig.revocation.embedded
    b_b = validate_pdf(sign_with(contract_pdf, key, "B-B"), trust).signatures[0]
    assert b_b.indication != "TOTAL_PASSED" and b_b.sub_indication in ("REVOKED", "REVOKED_NO_POE")


def test_expired_signer_is_not_passed(contract_pdf: bytes, pki: TestPKI, sign_with: Sign, trust: TrustSettings) -> None:
    for level in ("B-B", "B-T"):
        sig = validate_pdf(sign_with(contract_pdf, pki.key("expired"), level), trust).signatures[0]
        assert sig.indication != "TOTAL_PASSED", level
        assert sig.sub_indication in ("OUT_OF_BOUNDS_NO_POE", "EXPIRED", "OUT_OF_BOUNDS_NOT_REVOKED"), sig


def test_expired_signer_passes_when_validated_in_its_lifetime(
    contract_pdf: bytes, pki: TestPKI, trust: TrustSettings
) -> None:
    import datetime as dt

    signed = sign_pdf(contract_pdf, pki.key("expired"))
    when = dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    sig = validate_pdf(
        signed, TrustSettings(trust_store=trust.trust_store, revocation_mode="soft-fail"), at=when
    ).signatures[0]
    assert sig.sub_indication not in ("OUT_OF_BOUNDS_NO_POE", "EXPIRED")


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_no_tsa_is_refused(level: str, contract_pdf: bytes, alice: FileSigningKey) -> None:
    with pytest.raises(SigningRefused) as info:
        sign_pdf(contract_pdf, alice, SignOptions(level=level))  # type: ignore[arg-type]
    assert str(info.value) == f"{level} needs a timestamp authority: set PACTUM_TSA_URL"


def test_unreachable_tsa_is_refused(contract_pdf: bytes, alice: FileSigningKey) -> None:
    with pytest.raises(SigningRefused, match="timestamp authority at http://127.0.0.1:9/tsa failed"):
        sign_pdf(contract_pdf, alice, SignOptions(level="B-T", tsa_url="http://127.0.0.1:9/tsa", tsa_timeout_seconds=2))


def test_b_lt_refused_without_revocation_data(contract_pdf: bytes, dead_key: FileSigningKey, pki: TestPKI) -> None:
    options = SignOptions(level="B-LT", tsa_url=pki.tsa_url)
    with pytest.raises(SigningRefused, match="B-LT needs revocation information"):
        sign_pdf(contract_pdf, dead_key, options)
    # B-T does not need it
    assert sign_pdf(contract_pdf, dead_key, SignOptions(level="B-T", tsa_url=pki.tsa_url)).startswith(contract_pdf)


def test_bad_inputs(contract_pdf: bytes, alice: FileSigningKey) -> None:
    with pytest.raises(SignerError, match="not a readable PDF"):
        sign_pdf(b"hello", alice)
    with pytest.raises(SignerError, match="page 9"):
        sign_pdf(contract_pdf, alice, SignOptions(appearance=Appearance(page=9)))
    signed = sign_pdf(contract_pdf, alice, SignOptions(field_name="甲方签名"))
    with pytest.raises(SigningRefused, match="already signed"):
        sign_pdf(signed, alice, SignOptions(field_name="甲方签名"))


def test_stream_input(contract_pdf: bytes, alice: FileSigningKey) -> None:
    assert sign_pdf(io.BytesIO(contract_pdf), alice).startswith(contract_pdf)


def test_works_inside_a_running_event_loop(contract_pdf: bytes, alice: FileSigningKey, trust: TrustSettings) -> None:
    """pyHanko's synchronous API would fail with "asyncio.run() cannot be called from a running
    event loop" in an async server or under Playwright; the library steps aside into a thread."""

    async def inside_a_loop() -> str:
        signed = sign_pdf(contract_pdf, alice, SignOptions(level="B-B"))
        return validate_pdf(signed, trust).signatures[0].indication

    # A thread of our own: the test run's main thread may host Playwright's loop already.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == "TOTAL_PASSED"
