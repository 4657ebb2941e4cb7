"""Command line: ``python -m bench.review [--sizes 100000,1000000] [--threads 50]``.

Times what review does when a version's text is extracted: folding the text once, finding every
thread's quote in it (carry-over) and checking the default clause checklist. Plain functions on
generated text (seeded), no database.
"""

from __future__ import annotations

import argparse
import random
import time
from types import SimpleNamespace
from typing import Any

from repo_app.review.anchors import Folded, locate
from repo_app.review.checklist import DEFAULT_ITEMS, clause_present

_WORDS = (
    "甲方 乙方 应当 按照 本合同 约定 支付 货款 交付 设备 验收 质量 标准 违约 责任 保密 信息 the Supplier shall deliver"
).split()


def _text(chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = "".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 20))) + "。\n"
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)


def _one_size(size: int, threads: int) -> tuple[int, float, float, float]:
    text = _text(size)
    rng = random.Random(size)
    quotes = []
    for _ in range(threads):
        at = rng.randrange(0, len(text) - 40)
        quotes.append(text[at : at + rng.randint(8, 40)])
    offsets = list(range(0, len(text), 2000))
    items: list[Any] = [SimpleNamespace(patterns=patterns) for _zh, _en, patterns in DEFAULT_ITEMS]

    start = time.perf_counter()
    folded = Folded(text)
    fold = time.perf_counter() - start

    start = time.perf_counter()
    for quote in quotes:
        locate(folded, quote, offsets)
    find = time.perf_counter() - start

    start = time.perf_counter()
    for item in items:
        clause_present(item, text)
    check = time.perf_counter() - start
    return size, fold, find, check


def measure(sizes: list[int], threads: int) -> list[tuple[int, float, float, float]]:
    return [_one_size(size, threads) for size in sizes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000", help="text sizes in characters")
    parser.add_argument("--threads", type=int, default=50, help="comment threads to carry over")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    print(f"| characters | fold text (s) | find {args.threads} quotes (s) | checklist, 4 clauses (s) |")
    print("|---:|---:|---:|---:|")
    for size, fold, find, check in measure(sizes, args.threads):
        print(f"| {size:,} | {fold:.3f} | {find:.3f} | {check:.3f} |")


if __name__ == "__main__":
    main()
