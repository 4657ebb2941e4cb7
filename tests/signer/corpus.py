"""Run the validator over pyHanko's test corpus and compare with its recorded outcomes.

``sig_summary_pyhanko.tsv`` was measured with pyHanko's classic API, the
testing-ca root and the moment 2020-11-01. We validate the same way (soft-fail:
the corpus' revocation URLs point to an unreachable test host) and compare
per signature: intact, valid, coverage class, modification level and the
bottom line (pyHanko ``bottom_line`` vs our ``TOTAL_PASSED``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from signer import SignatureReport, TrustSettings, ValidationError, validate_pdf
from tests.paths import CORPUS as SHARED_CORPUS

CORPUS = SHARED_CORPUS / "pyhanko_testdata"
MOMENT = dt.datetime(2020, 11, 1, tzinfo=dt.UTC)
FIELDS = ("intact", "valid", "coverage", "modification_level", "bottom_line")


@dataclass
class CorpusResult:
    files: int = 0
    signatures: int = 0
    agree: Counter[str] = field(default_factory=Counter)
    compared: Counter[str] = field(default_factory=Counter)
    disagreements: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)  # expected not-OK, we said TOTAL_PASSED
    unreadable_as_expected: int = 0

    def table(self) -> str:
        lines = [f"{'check':<20} {'agree':>6} / {'of':<6} {'%':>6}"]
        for f in FIELDS:
            n, a = self.compared[f], self.agree[f]
            lines.append(f"{f:<20} {a:>6} / {n:<6} {100 * a / n if n else 0:6.1f}")
        lines.append(
            f"files: {self.files}, signatures: {self.signatures}, unsafe passes: {len(self.unsafe)}, "
            f"unreadable/encrypted files refused as expected: {self.unreadable_as_expected}"
        )
        return "\n".join(lines)


def _bool(s: str) -> bool | None:
    return {"True": True, "False": False}.get(s)


def _ours(sig: SignatureReport) -> dict[str, object]:
    coverage = "OK" if sig.sub_indication != "FORMAT_FAILURE" or sig.coverage.changes != "other" else "BAD"
    return {
        "intact": sig.integrity.digest_matches,
        "valid": sig.integrity.signature_valid,
        "coverage": coverage,
        "modification_level": (sig.modification_level or "").upper(),
        "bottom_line": sig.indication == "TOTAL_PASSED",
    }


def run(corpus: Path = CORPUS) -> CorpusResult:
    root = x509.load_pem_x509_certificate((corpus / "crypto/testing-ca/root/root.cert.pem").read_bytes())
    trust = TrustSettings(extra_anchors=(root,), revocation_mode="soft-fail")
    res = CorpusResult()
    for line in (corpus / "sig_summary_pyhanko.tsv").read_text().splitlines()[1:]:
        path, n, sigs = (line.split("\t") + [""])[:3]
        if n == "0":
            continue
        data = (corpus / path).read_bytes()
        if n == "?":
            _check_refused(res, data, sigs, trust)
        else:
            _compare_file(res, path, data, sigs, trust)
    return res


def _check_refused(res: CorpusResult, data: bytes, sigs: str, trust: TrustSettings) -> None:
    """A file pyHanko could not read or decrypt: count it when we refuse it too."""
    if "READ_ERROR" not in sigs and "ENCRYPTED" not in sigs:
        return
    try:
        validate_pdf(data, trust, at=MOMENT)
    except ValidationError:
        res.unreadable_as_expected += 1


def _compare_file(res: CorpusResult, path: str, data: bytes, sigs: str, trust: TrustSettings) -> None:
    """Compare our report on one file with pyHanko's line per signature (document timestamps aside)."""
    res.files += 1
    report = validate_pdf(data, trust, at=MOMENT, filename=path)
    ours = {s.field: s for s in report.signatures}
    for entry in sigs.split(" ;; "):
        parts = entry.split("|")
        name, sig_type = parts[0], parts[2]
        if sig_type == "/DocTimeStamp":
            continue
        res.signatures += 1
        where = f"{path}:{name}"
        sig = ours.get(name)
        if sig is None:
            res.disagreements.append(f"{where}: missing")
        elif len(parts) > 10 and parts[10]:  # pyHanko raised: expect a failure verdict
            _compare_failure(res, where, sig)
        else:
            _compare_fields(res, where, _expected(parts), _ours(sig))


def _compare_failure(res: CorpusResult, where: str, sig: SignatureReport) -> None:
    res.compared["bottom_line"] += 1
    if sig.indication != "TOTAL_PASSED":
        res.agree["bottom_line"] += 1
    else:
        res.unsafe.append(where)


def _expected(parts: list[str]) -> dict[str, object]:
    """pyHanko's verdict on one signature, in the terms of :func:`_ours`."""
    intact, valid, coverage, mod, bottom = parts[3], parts[4], parts[5], parts[6], parts[9]
    return {
        "intact": _bool(intact),
        "valid": _bool(valid),
        "coverage": "OK" if coverage in ("ENTIRE_FILE", "ENTIRE_REVISION") else "BAD",
        "modification_level": mod,
        "bottom_line": _bool(bottom),
    }


def _compare_fields(res: CorpusResult, where: str, expected: dict[str, object], got: dict[str, object]) -> None:
    for f in FIELDS:
        if expected[f] is None:
            continue
        res.compared[f] += 1
        if expected[f] == got[f]:
            res.agree[f] += 1
        else:
            res.disagreements.append(f"{where}: {f} expected {expected[f]} got {got[f]}")
    if expected["bottom_line"] is False and got["bottom_line"]:
        res.unsafe.append(where)


if __name__ == "__main__":
    result = run()
    print(result.table())
    for d in result.disagreements:
        print("  ", d)
