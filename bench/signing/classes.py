"""Agreement of the validator with expected outcomes, per class of file.

Run from the repository root::

    .venv/bin/python -m bench.signing.classes [--corpus ../shared/corpus/pyhanko_testdata]

Two sets:

* pyHanko's own test files (``pdf/`` of the corpus), with the outcomes its test
  suite expects (the corpus README lists them), validated as pyHanko's tests do:
  its testing CA as the only anchor, at 2020-11-01, revocation soft-fail (the
  test CA's OCSP responder does not exist);
* the files of :mod:`tests.signer.classes`, built against the offline test PKI,
  sound ones and tampered ones.

Expectations are coarse on purpose (the verdict an auditor acts on): ``pass``
= TOTAL_PASSED; ``intact`` = not TOTAL_FAILED (a sound signature whose signer is
not trusted, or whose later changes cannot be judged); ``undecided`` =
INDETERMINATE; ``reject`` = not TOTAL_PASSED. The table prints, per class, the
results expected and got; below it, every disagreement, the number of false
TOTAL_FAILED among signatures expected intact and of rejected files reported
clean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from signer import TrustSettings, validate_pdf
from signer.report import ValidationReport
from tests.signer import attacks, classes
from tests.signer.pki import TestPKI, start_test_pki
from tests.signer.support import flip_signed_byte

Expectation = Literal["pass", "intact", "undecided", "reject"]
ALL_SIGNATURES = "*signatures"
ALL_TIMESTAMPS = "*timestamps"

_MEETS: dict[Expectation, Callable[[str], bool]] = {
    "pass": lambda got: got == "TOTAL_PASSED",
    "intact": lambda got: got != "TOTAL_FAILED",
    "undecided": lambda got: got == "INDETERMINATE",
    "reject": lambda got: got != "TOTAL_PASSED",
}


@dataclass(frozen=True)
class Case:
    """One file, its class, and the outcome expected per field (or for all of a kind)."""

    klass: str
    name: str
    data: bytes
    expect: dict[str, Expectation]
    trust: TrustSettings
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Outcome:
    klass: str
    name: str
    field: str
    expected: Expectation
    got: str

    @property
    def agrees(self) -> bool:
        return _MEETS[self.expected](self.got.split("/")[0])


# ---------------------------------------------------------------------------
# pyHanko's test files
# ---------------------------------------------------------------------------

_PASS_ALL: dict[str, Expectation] = {ALL_SIGNATURES: "pass", ALL_TIMESTAMPS: "pass"}
_SECOND_UNTRUSTED: dict[str, Expectation] = {"Sig1": "pass", "Sig2": "intact"}
_SNEAKY: dict[str, Expectation] = {"Sig1": "reject", "Sig2": "pass"}

CORPUS: tuple[tuple[str, str, dict[str, Expectation]], ...] = (
    ("accepted, trusted (pyHanko)", "certified-with-indirect-refs-in-dir.pdf", _PASS_ALL),
    ("accepted, trusted (pyHanko)", "pades-lta-dss-indirect-arrs-test.pdf", _PASS_ALL),
    ("accepted, trusted (pyHanko)", "pades-lta-dss-indirect-arrs-test-2.pdf", _PASS_ALL),
    ("accepted, trusted (pyHanko)", "pades-with-old-style-signing-cert-attr.pdf", _PASS_ALL),
    ("accepted, trusted (pyHanko)", "pades-with-old-style-signing-cert-attr-issser.pdf", _PASS_ALL),
    ("accepted, trusted (pyHanko)", "sig-no-signed-attrs.pdf", _PASS_ALL),
    ("accepted, trusted (pyHanko)", "sig-with-ski-sid.pdf", _PASS_ALL),
    ("form filling after signing (pyHanko)", "form-update-override-appearance-stream.pdf", _PASS_ALL),
    ("form filling after signing (pyHanko)", "form-update-override-appearance-stream-ap-indirect.pdf", _PASS_ALL),
    ("form filling after signing (pyHanko)", "form-update-no-override-appearance-stream-ap-indirect.pdf", _PASS_ALL),
    ("form filling after signing (pyHanko)", "form-update-original-ap-type-wrong.pdf", _PASS_ALL),
    ("form filling after signing (pyHanko)", "separate-annots-kids-indir.pdf", _PASS_ALL),
    ("form filling after signing (pyHanko)", "extensions-direct.pdf", _SECOND_UNTRUSTED),
    ("form filling after signing (pyHanko)", "extensions-indirect.pdf", _SECOND_UNTRUSTED),
    ("form filling after signing (pyHanko)", "extensions-update-direct.pdf", _SECOND_UNTRUSTED),
    ("form filling after signing (pyHanko)", "extensions-update-indirect.pdf", _SECOND_UNTRUSTED),
    ("intact, signer not trusted (pyHanko)", "minimal-two-fields-signed-twice.pdf", {ALL_SIGNATURES: "intact"}),
    ("intact, signer not trusted (pyHanko)", "minimal-signed-twice-both-created.pdf", {ALL_SIGNATURES: "intact"}),
    ("intact, signer not trusted (pyHanko)", "minimal-signed-twice-second-created.pdf", {ALL_SIGNATURES: "intact"}),
    ("intact, signer not trusted (pyHanko)", "minimal-signed-twice-no-sig-type.pdf", {ALL_SIGNATURES: "intact"}),
    ("intact, signer not trusted (pyHanko)", "ed448-shake256-nolen.pdf", {ALL_SIGNATURES: "intact"}),
    ("attack: changes after signing (pyHanko)", "form-update-override-appearance-stream-sneaky.pdf", _SNEAKY),
    (
        "attack: changes after signing (pyHanko)",
        "form-update-override-appearance-stream-ap-indirect-sneaky.pdf",
        _SNEAKY,
    ),
    (
        "attack: changes after signing (pyHanko)",
        "form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf",
        _SNEAKY,
    ),
    ("attack: changes after signing (pyHanko)", "form-update-ap-indirect-sneaky-trailer.pdf", _SNEAKY),
    (
        "attack: changes after signing (pyHanko)",
        "extensions-indirect-not-all-paths.pdf",
        {"Sig1": "reject", "Sig2": "intact"},
    ),
    (
        "rejected: coverage, format, algorithm (pyHanko)",
        "coverage-anomalies/tail-uncovered.pdf",
        {ALL_SIGNATURES: "reject"},
    ),
    (
        "rejected: coverage, format, algorithm (pyHanko)",
        "coverage-anomalies/one-byterange.pdf",
        {ALL_SIGNATURES: "reject"},
    ),
    (
        "rejected: coverage, format, algorithm (pyHanko)",
        "coverage-anomalies/signature-gap-too-big.pdf",
        {ALL_SIGNATURES: "reject"},
    ),
    (
        "rejected: coverage, format, algorithm (pyHanko)",
        "coverage-anomalies/weird-byterange.pdf",
        {ALL_SIGNATURES: "reject"},
    ),
    ("rejected: coverage, format, algorithm (pyHanko)", "pdf-sig-with-econtent.pdf", {ALL_SIGNATURES: "reject"}),
    ("rejected: coverage, format, algorithm (pyHanko)", "ed448-disallowed-hash.pdf", {ALL_SIGNATURES: "reject"}),
)


def corpus_cases(corpus: Path, workdir: Path) -> Iterator[Case]:
    anchors = workdir / "pyhanko-anchors"
    anchors.mkdir()
    shutil.copy(corpus / "crypto" / "testing-ca" / "root" / "root.cert.pem", anchors / "root.pem")
    trust = TrustSettings(trust_store=anchors, revocation_mode="soft-fail")
    at = dt.datetime(2020, 11, 1, tzinfo=dt.UTC)
    for klass, name, expect in CORPUS:
        yield Case(klass, name, (corpus / "pdf" / name).read_bytes(), expect, trust, at)


# ---------------------------------------------------------------------------
# the constructed files
# ---------------------------------------------------------------------------


def constructed_cases(pki: TestPKI) -> Iterator[Case]:
    trust = TrustSettings(trust_store=pki.root_pem.parent, allow_fetching=True, fetch_timeout_seconds=5)
    alice, bob = pki.key("alice"), pki.key("bob")
    base = classes.signed_contract(alice)
    typed_sig = classes.doc_timestamp_typed(base, pki.tsa_url, b"/Type /Sig")
    sha1 = classes.sha1_signed(alice)
    two = classes.two_signer_infos(alice, bob)
    ts_sound: dict[str, Expectation] = {ALL_SIGNATURES: "pass", ALL_TIMESTAMPS: "pass"}
    sound: dict[str, Expectation] = {ALL_SIGNATURES: "pass"}
    rejected: dict[str, Expectation] = {ALL_SIGNATURES: "reject", ALL_TIMESTAMPS: "reject"}
    built: list[tuple[str, str, bytes, dict[str, Expectation]]] = [
        ("document timestamp, odd /Type", "/Type /Sig", typed_sig, ts_sound),
        ("document timestamp, odd /Type", "no /Type", classes.doc_timestamp_typed(base, pki.tsa_url, b""), ts_sound),
        (
            "document timestamp, odd /Type",
            "/Type /Sig, invented SubFilter (token only)",
            classes.timestamp_token_under_other_subfilter(base, pki.tsa_url),
            ts_sound,
        ),
        (
            "unsigned placeholder",
            "prepared signature field",
            classes.unsigned_placeholder(alice),
            {ALL_SIGNATURES: "intact", "Pending": "undecided"},
        ),
        ("other SubFilters", "adbe.pkcs7.sha1", sha1, sound),
        (
            "other SubFilters",
            "adbe.pkcs7.sha1, signed with SHA-1",
            classes.sha1_signed(alice, signer_digest="sha1"),
            {ALL_SIGNATURES: "undecided"},
        ),
        ("other SubFilters", "PBAD.PAdES", classes.with_subfilter(alice, b"/PBAD.PAdES"), sound),
        (
            "other SubFilters",
            "unknown SubFilter",
            classes.with_subfilter(alice, b"/x.custom"),
            {ALL_SIGNATURES: "undecided"},
        ),
        ("parse problems", "two SignerInfos", two, sound),
        ("parse problems", "periods in field name", classes.periods_in_name(alice), sound),
        (
            "parse problems",
            "signature dictionary rewritten later",
            classes.signature_dictionary_rewritten(alice),
            {ALL_SIGNATURES: "intact"},
        ),
        ("signed attributes not in DER order", "reversed SET OF", classes.unsorted_signed_attributes(alice), rejected),
        (
            "attack: constructed files tampered",
            "timestamp /Type /Sig, byte flipped",
            flip_signed_byte(typed_sig),
            rejected,
        ),
        ("attack: constructed files tampered", "adbe.pkcs7.sha1, byte flipped", flip_signed_byte(sha1), rejected),
        ("attack: constructed files tampered", "two SignerInfos, byte flipped", flip_signed_byte(two), rejected),
        (
            "attack: constructed files tampered",
            "second SignerInfo over other bytes",
            classes.two_signer_infos_second_elsewhere(alice, bob),
            rejected,
        ),
        (
            "attack: constructed files tampered",
            "object hidden in the /Contents gap",
            attacks.swa_gap_injection(base),
            rejected,
        ),
        (
            "attack: constructed files tampered",
            "SubFilter renamed after signing",
            base.replace(b"/ETSI.CAdES.detached", b"/ETSI.CAdES.detacheX"),
            rejected,
        ),
    ]
    for klass, name, data, expect in built:
        yield Case(klass, name, data, expect, trust)


# ---------------------------------------------------------------------------
# running and printing
# ---------------------------------------------------------------------------


def _expectation(case: Case, field: str, kind: str) -> Expectation | None:
    return case.expect.get(field) or case.expect.get(kind)


def outcomes(case: Case) -> list[Outcome]:
    report: ValidationReport = validate_pdf(case.data, case.trust, at=case.at)
    results = [(s.field, ALL_SIGNATURES, s.indication, s.sub_indication) for s in report.signatures]
    results += [(t.field, ALL_TIMESTAMPS, t.indication, t.sub_indication) for t in report.document_timestamps]
    found: list[Outcome] = []
    for field, kind, indication, sub in results:
        expected = _expectation(case, field, kind)
        if expected is not None:
            got = f"{indication}/{sub}" if sub else indication
            found.append(Outcome(case.klass, case.name, field, expected, got))
    return found


def _counts(values: list[str]) -> str:
    return ", ".join(f"{value} {n}" for value, n in sorted(Counter(values).items()))


def print_table(cases: list[Case], results: list[Outcome]) -> None:
    print("| class | files | results | expected | got | agree |")
    print("|---|---|---|---|---|---|")
    for klass in dict.fromkeys(c.klass for c in cases):
        rows = [o for o in results if o.klass == klass]
        files = sum(1 for c in cases if c.klass == klass)
        agree = sum(o.agrees for o in rows)
        expected = _counts([o.expected for o in rows])
        got = _counts([o.got.split("/")[0] for o in rows])
        print(f"| {klass} | {files} | {len(rows)} | {expected} | {got} | {agree}/{len(rows)} |")


def print_summary(results: list[Outcome]) -> None:
    false_failed = [o for o in results if o.expected != "reject" and o.got.startswith("TOTAL_FAILED")]
    clean_attacks = [o for o in results if o.expected == "reject" and o.got == "TOTAL_PASSED"]
    print()
    print(f"false TOTAL_FAILED among results expected intact: {len(false_failed)}")
    print(f"results expected rejected but reported TOTAL_PASSED: {len(clean_attacks)}")
    disagreements = [o for o in results if not o.agrees]
    if disagreements:
        print("\ndisagreements:")
        for o in disagreements:
            print(f"  {o.klass} | {o.name} | {o.field}: expected {o.expected}, got {o.got}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/pyhanko_testdata"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pki = start_test_pki(workdir / "pki")
        try:
            cases = [*corpus_cases(args.corpus, workdir), *constructed_cases(pki)]
            results = [o for case in cases for o in outcomes(case)]
        finally:
            pki.stop()
    print_table(cases, results)
    print_summary(results)


if __name__ == "__main__":
    main()
