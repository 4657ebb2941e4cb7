"""Custom field search cost: ``python -m bench.search.custom_fields --docs 20000``.

Indexes short documents that each carry a region (choice), a yes/no flag, a whole number, an
amount and a date, then times, per engine, a search with no custom filter, an exact filter, a
range filter, custom facets and a sort by a custom field (median of several runs, in ms)."""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from indexer.search import BaseBackend, CustomFilter, IndexDocument, SearchFilters, SearchQuery, open_search_backend

REGIONS = ("华东", "华北", "华南", "西南", "东北")
PRINCIPALS = ("all",)


def documents(count: int, seed: int) -> list[IndexDocument]:
    rng = random.Random(seed)
    out = []
    for i in range(1, count + 1):
        custom = (
            ("region", rng.choice(REGIONS)),
            ("urgent", rng.random() < 0.2),
            ("pieces", rng.randint(0, 10_000)),
            ("deposit", Decimal(rng.randint(0, 10_000_000)) / 100),
            ("due", date(2024, 1, 1) + timedelta(days=rng.randint(0, 1500))),
        )
        out.append(
            IndexDocument(i, f"合同 {i}", f"采购合同第{i}号，供货方按期交付。", principals=PRINCIPALS, custom=custom)
        )
    return out


def cases() -> dict[str, SearchQuery]:
    def q(**kw: object) -> SearchQuery:
        return SearchQuery("采购", PRINCIPALS, per_page=20, highlight=False, **kw)  # type: ignore[arg-type]

    return {
        "no custom filter": q(),
        "exact (region)": q(filters=SearchFilters(custom=(CustomFilter("region", ("华东",)),))),
        "range (deposit)": q(
            filters=SearchFilters(custom=(CustomFilter("deposit", lo=Decimal(1000), hi=Decimal(50_000)),))
        ),
        "2 custom facets": q(custom_facets=("region", "urgent")),
        "sort by date": q(sort="-cf:due"),
    }


def timed(run: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    docs = documents(args.docs, 20261205)
    names = list(cases())
    rows: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines.split(","):
            backend: BaseBackend = open_search_backend(f"{engine}://{Path(tmp) / engine}", data_dir=Path(tmp))
            start = time.perf_counter()
            backend.index(docs)
            index_s = time.perf_counter() - start
            for case in cases().values():
                backend.search(case)  # warm
            rows[engine] = [f"{index_s:.1f} s"] + [
                f"{timed(lambda c=c, b=backend: b.search(c), args.rounds):.1f}" for c in cases().values()
            ]
            backend.close()
    header = ["engine", f"index {args.docs}"] + names
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for engine, values in rows.items():
        print(" | ".join([engine, *values]))


if __name__ == "__main__":
    main()
