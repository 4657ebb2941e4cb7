"""Command line: ``python -m bench.search --docs 10000 --engines whoosh,tantivy``."""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.paths import CORPUS

from .run import ENGINE_URLS, format_corpus_table, format_table, index_real_corpus, run_all, summarise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--engines", default="whoosh,tantivy", help="comma-separated: " + ", ".join(ENGINE_URLS))
    parser.add_argument("--seed", type=int, default=20241123)
    parser.add_argument("--repeat", type=int, default=8, help="passes over each query kind's 5 queries")
    parser.add_argument("--workers", type=int, default=2, help="segmentation processes for the rebuild")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every measurement; the median is reported")
    parser.add_argument("--keep", type=Path, help="keep the indexes under this folder")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        help="real texts for an index-size check (skipped when the folder is missing)",
    )
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    results = run_all(engines, args.docs, args.seed, args.repeat, args.workers, args.rounds, args.keep)
    print(format_table(results))
    if args.corpus.is_dir():
        print()
        print(format_corpus_table([index_real_corpus(engine, args.corpus) for engine in engines]))
    if args.json:
        args.json.write_text(summarise(results), encoding="utf-8")


if __name__ == "__main__":
    main()
