"""Precision and recall of indexer.terms on CUAD's labelled English contracts.

    .venv/bin/python bench/extract/cuad_terms.py [--limit N] [--corpus PATH]

Scoring (also in docs/performance.md):
Labels: master_clauses.csv (the "-Answer" columns), for the documents whose text is in
full_contract_txt/.

- Dates (agreement = our signing date, effective, expiration): our top-ranked candidate against the
  label, compared as calendar dates (labels are m/d/yy; two-digit years ≤ 30 are 20xx). Documents
  whose label is not a date ("Perpetual", free text) are left out of that field. A top candidate
  on a document with an empty label counts against precision.
- Parties: the label is split at ";" and each entry loses its parenthesised defined terms; names on
  both sides are normalised (NFKC, case-folded, "&" → "and", punctuation dropped, corporate suffixes
  such as Inc/LLC/Ltd/Corporation/Company and a leading "The" dropped). A predicted name matches a
  label name when the token sequences are equal or one contains the other; each label name matches
  at most one prediction. Precision = matched predictions / predictions, recall = matched label
  names / label names.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indexer.terms import Suggestions, suggest_metadata  # noqa: E402
from tests.paths import CORPUS  # noqa: E402

DEFAULT_CORPUS = CORPUS / "cuad"
_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "l",
    "c",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "lp",
    "p",
    "llp",
    "gmbh",
    "ag",
    "sa",
    "s",
    "a",
    "nv",
    "n",
    "v",
    "bv",
    "b",
    "pty",
    "the",
}
_DATE_FIELDS = (
    ("agreement_date", "signing_date"),
    ("effective_date", "effective_date"),
    ("expiration_date", "expiry_date"),
)


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    correct_predictions: int = 0
    matched_gold: int = 0
    docs: int = 0

    @property
    def precision(self) -> float:
        return self.correct_predictions / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    documents: int = 0
    seconds: float = 0.0


def load_rows(corpus: Path, limit: int | None = None) -> list[tuple[dict[str, str], str]]:
    """Labelled documents (master_clauses.csv) whose text file exists, with the text.

    Sorted by file name so that a ``limit`` always picks the same subset.
    """
    rows = []
    with (corpus / "master_clauses.csv").open(encoding="utf-8", newline="") as handle:
        for label in csv.DictReader(handle):
            stem = Path(label["Filename"]).stem
            path = corpus / "full_contract_txt" / f"{stem}.txt"
            if path.is_file():
                rows.append(
                    (
                        {
                            "filename_stem": stem,
                            "parties": label["Parties-Answer"],
                            "agreement_date": label["Agreement Date-Answer"],
                            "effective_date": label["Effective Date-Answer"],
                            "expiration_date": label["Expiration Date-Answer"],
                        },
                        path,
                    )
                )
    rows.sort(key=lambda item: item[0]["filename_stem"])
    if limit is not None:
        rows = rows[:limit]
    return [(row, path.read_text(encoding="utf-8", errors="replace")) for row, path in rows]


def parse_label_date(label: str) -> dt.date | None:
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*", label)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    if year < 100:
        year += 2000 if year <= 30 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def normalise_name(name: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    tokens = re.sub(r"[^\w]+", " ", text).split()
    while tokens and tokens[-1] in _SUFFIXES:
        tokens.pop()
    if tokens and tokens[0] == "the":
        tokens.pop(0)
    return tuple(tokens)


def label_parties(label: str) -> list[tuple[str, ...]]:
    names = []
    for entry in label.split(";"):
        name = re.sub(r"\([^)]*\)?", " ", entry)
        name = re.sub(r"[\"“”]", " ", name)
        tokens = normalise_name(name)
        if tokens:
            names.append(tokens)
    return names


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    return any(long[index : index + len(short)] == short for index in range(len(long) - len(short) + 1))


def names_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return a == b or (len("".join(short)) >= 4 and _contains(long, short))


def score_dates(report: Report, row: dict[str, str], suggestions: Suggestions) -> None:
    for label_field, attribute in _DATE_FIELDS:
        score = report.scores.setdefault(label_field, Score())
        label = row.get(label_field, "").strip()
        gold = parse_label_date(label)
        if label and gold is None:
            continue  # "Perpetual", free text: not a date to compare
        score.docs += 1
        predicted = getattr(suggestions, attribute)
        score.gold += gold is not None
        score.predicted += predicted is not None
        if gold is not None and predicted == gold:
            score.correct_predictions += 1
            score.matched_gold += 1


def score_parties(report: Report, row: dict[str, str], suggestions: Suggestions) -> None:
    score = report.scores.setdefault("parties", Score())
    gold = label_parties(row.get("parties", ""))
    predicted = [normalise_name(candidate.value.name) for candidate in suggestions.parties]
    predicted = [name for name in predicted if name]
    score.docs += 1
    score.gold += len(gold)
    score.predicted += len(predicted)
    unmatched = list(gold)
    for name in predicted:
        hit = next((g for g in unmatched if names_match(name, g)), None)
        if hit is not None:
            unmatched.remove(hit)
            score.correct_predictions += 1
    score.matched_gold += len(gold) - len(unmatched)


def evaluate(rows: Iterable[tuple[dict[str, str], str]]) -> Report:
    report = Report()
    started = time.perf_counter()
    for row, text in rows:
        suggestions = suggest_metadata(text)
        score_dates(report, row, suggestions)
        score_parties(report, row, suggestions)
        report.documents += 1
    report.seconds = time.perf_counter() - started
    return report


def format_table(report: Report) -> str:
    lines = [
        "| field | docs | label values | predicted | correct | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, score in report.scores.items():
        lines.append(
            f"| {name} | {score.docs} | {score.gold} | {score.predicted} | {score.correct_predictions} "
            f"| {score.precision:.2f} | {score.recall:.2f} |"
        )
    lines.append(
        f"\n{report.documents} documents in {report.seconds:.1f} s "
        f"({1000 * report.seconds / max(1, report.documents):.0f} ms per document)"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None)
    arguments = parser.parse_args()
    if not (arguments.corpus / "master_clauses.csv").is_file():
        print(f"CUAD corpus not found at {arguments.corpus}", file=sys.stderr)
        return 1
    print(format_table(evaluate(load_rows(arguments.corpus, arguments.limit))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
