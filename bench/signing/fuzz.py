"""The full seeded fuzzing run of ``signer.validate_pdf`` (the suite runs its first 300 cases).

Run from the repository root::

    .venv/bin/python -m bench.signing.fuzz [--cases 2100] [--seed 20261123] [--workers 2] [--save DIR]

It starts the offline test PKI, signs the seed documents of
:func:`tests.signer.fuzz.seed_documents`, and validates every mutated case
(:mod:`tests.signer.fuzz` describes the mutations) with revocation checking in
hard-fail mode and no fetching. It prints per mutation how many cases ran and
how many let an exception other than ``ValidationError`` escape, the time per
case and the slowest case. ``--save DIR`` writes each escaping case's bytes to
``DIR/case-<n>.pdf``. Exit status 1 when an exception escaped or a case took
longer than 30 s.

Cases are numbered; case ``n`` is rebuilt with
``tests.signer.fuzz.make_case(seed, n, documents)``. The seed documents are
signed afresh on every run (signing time and signature values differ), so a
case is reproduced exactly from its saved bytes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

from signer import TrustSettings
from tests.signer import fuzz
from tests.signer.pki import start_test_pki

MAX_SECONDS_PER_CASE = 30.0


def _run_share(documents: dict[str, bytes], trust_store: str, seed: int, cases: range) -> fuzz.FuzzResult:
    """One worker's share of the cases (a picklable top-level function for the process pool)."""
    trust = TrustSettings(trust_store=trust_store, allow_fetching=False)
    return fuzz.run(documents, trust, seed=seed, cases=cases)


def _save_escapes(result: fuzz.FuzzResult, documents: dict[str, bytes], seed: int, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for escape in result.escaped:
        case = fuzz.make_case(seed, escape.case, documents)
        (folder / f"case-{case.number}.pdf").write_bytes(case.data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=2100)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save", type=Path, default=None, help="folder for the bytes of escaping cases")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="pactum-fuzz-") as tmp:
        pki = start_test_pki(Path(tmp))
        try:
            documents = fuzz.seed_documents(pki.key("alice"), pki.key("bob"), pki.tsa_url)
        finally:
            pki.stop()
        shares = [(documents, str(pki.root_pem.parent), args.seed, range(w, args.cases, args.workers))
                  for w in range(args.workers)]  # fmt: skip
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            parts = pool.starmap(_run_share, shares)
        wall = time.perf_counter() - started

    result = fuzz.FuzzResult()
    for part in parts:
        result.merge(part)
    print(f"seed {args.seed}, {len(documents)} seed documents, {args.workers} worker(s), wall time {wall:.1f} s")
    print(result.table())
    if args.save and result.escaped:
        _save_escapes(result, documents, args.seed, args.save)
    return 1 if result.escaped or result.slowest[0] >= MAX_SECONDS_PER_CASE else 0


if __name__ == "__main__":
    sys.exit(main())
