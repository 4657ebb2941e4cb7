"""Ranking of unquoted Chinese runs: is the contract that holds the run in the top 5?

    scripts/bench.sh phrase-rank [--engines tantivy,whoosh] [--corpus PATH] [--no-laws]

Indexes every Chinese contract of the shared corpus (zh_contract_templates_yh, 392 model
contracts, many of them near-duplicates of each other) plus, as distractors, the Chinese laws of
zh_laws_lawrefbook. From each contract it takes one distinctive run: 8 consecutive Han
characters that occur in no other indexed document and start and end at word boundaries (as a
user types words; ``--any-window`` drops that condition), chosen deterministically (the
candidate at the position a SHA-256 of the file's name picks). Each run is searched as a user types it,
without quotes, and counts as found when its contract is among the first five hits. Prints a
Markdown table per engine: queries, top-1 and top-5 hit rates, median latency.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from indexer.search import IndexDocument, SearchQuery, open_search_backend  # noqa: E402
from indexer.text.segment import cut_words  # noqa: E402
from tests.paths import CORPUS  # noqa: E402

RUN_LENGTH = 8
_HAN_RUN = re.compile(rf"[\u4e00-\u9fff]{{{RUN_LENGTH},}}")
PRINCIPALS = ("all",)


def read_documents(corpus: Path, with_laws: bool) -> tuple[list[IndexDocument], int]:
    """The contracts (ids 1…n, n returned) and then the laws."""
    contracts = sorted((corpus / "zh_contract_templates_yh").rglob("*.txt"))
    laws = sorted((corpus / "zh_laws_lawrefbook").rglob("*.md")) if with_laws else []
    documents = []
    for number, path in enumerate([*contracts, *laws], start=1):
        text = path.read_text(encoding="utf-8", errors="replace")
        documents.append(IndexDocument(id=number, title=path.stem, text=text, principals=PRINCIPALS))
    return documents, len(contracts)


def windows(text: str, aligned: bool = False) -> list[str]:
    """Every run of 8 Han characters; *aligned*: only those that start and end between two words
    (as a user types words, not the tail of one and the head of another)."""
    found: list[str] = []
    for match in _HAN_RUN.finditer(text):
        run = match.group()
        starts = range(len(run) - RUN_LENGTH + 1)
        if aligned:
            bounds, position = {0}, 0
            for word in cut_words(run):
                position += len(word)
                bounds.add(position)
            starts = range(0)
            found.extend(run[i : i + RUN_LENGTH] for i in sorted(bounds) if i + RUN_LENGTH in bounds)
        found.extend(run[i : i + RUN_LENGTH] for i in starts)
    return found


def distinctive_runs(documents: list[IndexDocument], contracts: int, aligned: bool) -> list[tuple[int, str]]:
    """(contract id, run) for every contract that has a run no other document holds."""
    owners: dict[str, set[int]] = {}
    for document in documents:
        for window in set(windows(document.text)):
            owners.setdefault(window, set()).add(document.id)
    queries = []
    for document in documents[:contracts]:
        unique = [w for w in dict.fromkeys(windows(document.text, aligned)) if owners[w] == {document.id}]
        if unique:
            pick = int(hashlib.sha256(document.title.encode()).hexdigest(), 16) % len(unique)
            queries.append((document.id, unique[pick]))
    return queries


def measure(engine: str, documents: list[IndexDocument], queries: list[tuple[int, str]]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        backend = open_search_backend(f"{engine}://{Path(folder) / engine}", data_dir=Path(folder))
        started = time.perf_counter()
        backend.index(documents)
        indexing = time.perf_counter() - started
        top1 = top5 = 0
        latencies = []
        missed = []
        for doc_id, run in queries:
            started = time.perf_counter()
            hits = backend.search(SearchQuery(run, PRINCIPALS, per_page=5, facets=False, highlight=False)).hits
            latencies.append(time.perf_counter() - started)
            ranked = [hit.id for hit in hits]
            top1 += bool(ranked) and ranked[0] == doc_id
            top5 += doc_id in ranked
            if doc_id not in ranked:
                missed.append(run)
        backend.close()
    for run in missed:
        print(f"  {engine}: not in the top 5: {run}", file=sys.stderr)
    return {
        "top1": top1,
        "top5": top5,
        "latency_ms": statistics.median(latencies) * 1000,
        "indexing_s": indexing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument("--no-laws", action="store_true", help="index the contracts only")
    parser.add_argument("--any-window", action="store_true", help="runs may start or end inside a word")
    args = parser.parse_args()
    documents, contracts = read_documents(args.corpus, not args.no_laws)
    queries = distinctive_runs(documents, contracts, aligned=not args.any_window)
    print(f"{len(documents)} documents indexed ({contracts} contracts), {len(queries)} queries\n")
    print("| engine | queries | top 1 | top 5 | top-5 rate | median latency ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine in args.engines.split(","):
        result = measure(engine, documents, queries)
        rate = result["top5"] / max(1, len(queries))
        print(
            f"| {engine} | {len(queries)} | {result['top1']:.0f} | {result['top5']:.0f} | "
            f"{rate:.1%} | {result['latency_ms']:.1f} |"
        )


if __name__ == "__main__":
    main()
