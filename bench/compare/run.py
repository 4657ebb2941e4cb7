"""Timing comparisons of growing version pairs with one implementation of ``compare_texts``."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.compare import compare_texts, segmented_tokens

from .generator import version_pair

__all__ = ["Row", "format_table", "load_baseline", "measure"]

CompareFunction = Callable[..., Any]


@dataclass(frozen=True)
class Row:
    paragraphs: int
    characters: int
    seconds: dict[str, float | None]
    moves: int


def load_baseline(path: Path) -> CompareFunction:
    """``compare_texts`` of another copy of ``indexer/compare.py`` (e.g. ``git show
    main~1:indexer/compare.py > /tmp/old.py``), imported inside the ``indexer`` package so its
    relative imports work."""
    spec = importlib.util.spec_from_file_location("indexer._bench_baseline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"Cannot load {path}.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    function: CompareFunction = module.compare_texts
    return function


def _timed(function: CompareFunction, old: str, new: str) -> tuple[float, int]:
    started = time.perf_counter()
    comparison = function(old, new, segmented_tokens)
    return time.perf_counter() - started, int(comparison.moves)


def measure(sizes: Sequence[int], baseline: CompareFunction | None, baseline_limit: int) -> list[Row]:
    """One row per size; the baseline only runs up to ``baseline_limit`` paragraphs."""
    segmented_tokens("预热分词器")  # the segmenter's dictionary loads once, outside the timings
    rows = []
    for size in sizes:
        old, new = version_pair(size)
        seconds: dict[str, float | None] = {}
        current, moves = _timed(compare_texts, old, new)
        seconds["new"] = current
        if baseline is not None:
            seconds["old"] = _timed(baseline, old, new)[0] if size <= baseline_limit else None
        rows.append(Row(size, len(old) + len(new), seconds, moves))
    return rows


def format_table(rows: Sequence[Row]) -> str:
    columns = list(rows[0].seconds) if rows else ["new"]
    header = f"{'paragraphs':>10} {'characters':>11} " + " ".join(f"{name + ' s':>9}" for name in columns)
    lines = [header + f" {'moves':>6}", "-" * (len(header) + 7)]
    for row in rows:
        cells = " ".join(
            f"{'skipped':>9}" if row.seconds[name] is None else f"{row.seconds[name]:>9.2f}" for name in columns
        )
        lines.append(f"{row.paragraphs:>10} {row.characters:>11} {cells} {row.moves:>6}")
    return "\n".join(lines)
