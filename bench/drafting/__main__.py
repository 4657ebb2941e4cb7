"""``python -m bench.drafting [--rows 1,10,100] [--runs 3]``: seconds to fill Word templates.

For each starter template (``repo_app.drafting.starter``): scanning its placeholders, checking a
row of sample values, and filling the DOCX (docxtpl); then a purchase template whose price list
has ``rows`` table rows. No database, no LibreOffice: the part of drafting that is ours.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from repo_app.drafting import engine, schemas
from repo_app.drafting.starter import STARTERS, build_docx


def _clause(_key: str) -> str:
    return "条款正文。"


def _best(runs: int, function: Callable[..., Any], *args: Any) -> float:
    """The median seconds of ``runs`` calls of ``function(*args)``."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'template':<34} {'scan ms':>8} {'check ms':>9} {'fill ms':>8} {'bytes':>7}")
    for starter in STARTERS:
        data = build_docx(starter)
        values = schemas.sample_values(starter.variables)
        checked = schemas.check_values(starter.variables, values, starter.language)
        filled = engine.render(data, checked.context, _clause)
        scan = _best(args.runs, engine.scan, data) * 1000
        check = _best(args.runs, schemas.check_values, starter.variables, values, starter.language) * 1000
        fill = _best(args.runs, engine.render, data, checked.context, _clause) * 1000
        print(f"{starter.key:<34} {scan:>8.1f} {check:>9.2f} {fill:>8.1f} {len(filled):>7}")
    purchase = next(s for s in STARTERS if s.key == "purchase_zh")
    data = build_docx(purchase)
    print(f"\n{'price list rows':<34} {'fill ms':>8}")
    for rows in (int(n) for n in args.rows.split(",")):
        values = schemas.sample_values(purchase.variables) | {"items": "螺丝|M6|100|0.5\n" * rows}
        checked = schemas.check_values(purchase.variables, values, "zh")
        fill = _best(args.runs, engine.render, data, checked.context, _clause) * 1000
        print(f"{rows:<34} {fill:>8.1f}")


if __name__ == "__main__":
    main()
