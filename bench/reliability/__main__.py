"""The reliability suite on the embedded default (SQLite, local blobs, Tantivy, SQLite queue).

Run from the repository root::

    .venv/bin/python -m bench.reliability [--rounds 5] [--hostile-limit 0] [--load-seconds 30]

Each check gets a fresh temporary data folder and a real ``pactum serve`` (with its embedded
worker), driven through HTTP with an API token:

- kill: uploads from two threads, SIGKILL of the whole server at a random moment, restart, and
  again for ``--rounds``; then every acknowledged upload must be byte-identical, searchable and
  indexed, nothing stuck in "processing", and ``pactum audit verify`` must pass;
- hostile: every file of the shared corpus's hostile folders uploaded (``--hostile-limit N``: an
  even spread of N); no 5xx, and every accepted file indexed or failed with a reason;
- load: ``--searchers`` threads searching and ``--uploaders`` uploading for ``--load-seconds``.

Prints one table; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .harness import Pactum
from .hostile import hostile_files, run_hostile
from .kill import run_kill_rounds
from .load import run_load

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CHECKS = ("kill", "hostile", "load")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=CHECKS, action="append", help="Run only this check (repeatable).")
    parser.add_argument("--rounds", type=int, default=5, help="kill -9 rounds.")
    parser.add_argument("--hostile-limit", type=int, default=0, help="Hostile files to upload (0: all).")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--searchers", type=int, default=4)
    parser.add_argument("--uploaders", type=int, default=1)
    args = parser.parse_args()
    rows: list[tuple[str, str, bool]] = []
    for check in args.only or CHECKS:
        with tempfile.TemporaryDirectory(prefix=f"pactum-reliability-{check}-") as folder:
            server = Pactum(Path(folder) / "var")
            server.set_up()
            rows.append(_run(check, server, args))
    print("| check | result | pass |")
    print("|---|---|---|")
    for check, result, passed in rows:
        print(f"| {check} | {result} | {'yes' if passed else 'NO'} |")
    return 0 if all(passed for _, _, passed in rows) else 1


def _run(check: str, server: Pactum, args: argparse.Namespace) -> tuple[str, str, bool]:
    if check == "kill":
        kill = run_kill_rounds(server, args.rounds)
        _show_problems(kill.problems)
        return (
            f"kill -9 × {kill.rounds}",
            f"{kill.acknowledged} acknowledged uploads ({kill.refused_or_cut} cut by the kills): "
            f"{kill.byte_identical} byte-identical, {kill.searchable} searchable, {kill.stuck} stuck, "
            f"audit chain {'intact' if kill.audit_intact else 'BROKEN'}; all settled "
            f"{kill.recovery_seconds:.0f} s after the last restart",
            kill.ok,
        )
    if check == "hostile":
        hostile = run_hostile(server, hostile_files(args.corpus, args.hostile_limit))
        _show_problems(hostile.problems)
        answers = ", ".join(f"{status}: {count}" for status, count in sorted(hostile.answers.items()))
        settled = ", ".join(f"{status}: {count}" for status, count in sorted(hostile.settled.items()))
        return (
            f"hostile corpus ({hostile.files} files)",
            f"HTTP {answers}; versions {settled}; {hostile.server_errors} 5xx, {hostile.stuck} stuck; "
            f"{hostile.seconds:.0f} s",
            hostile.ok,
        )
    load = run_load(server, args.searchers, args.uploaders, args.load_seconds)
    return (
        f"load ({load.searchers} searchers + {load.uploaders} uploader, {load.seconds:.0f} s)",
        f"{load.searches_per_second:.1f} searches/s, p50 {load.p50 * 1000:.0f} ms, "
        f"p95 {load.percentile(0.95) * 1000:.0f} ms, {load.uploads} uploads, {load.errors} errors",
        load.errors == 0 and bool(load.search_latencies),
    )


def _show_problems(problems: list[str]) -> None:
    for problem in problems[:20]:
        print(f"  ! {problem}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
