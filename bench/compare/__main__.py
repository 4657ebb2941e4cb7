"""Command line: ``python -m bench.compare [--sizes 100,400,800,2000] [--baseline old.py]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .run import format_table, load_baseline, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,400,800,2000", help="paragraph counts, comma-separated")
    parser.add_argument("--baseline", type=Path, help="another indexer/compare.py to time beside this one")
    parser.add_argument(
        "--baseline-limit", type=int, default=800, help="largest size the baseline runs at (it may be quadratic)"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    baseline = load_baseline(args.baseline) if args.baseline else None
    print(format_table(measure(sizes, baseline, args.baseline_limit)))


if __name__ == "__main__":
    main()
