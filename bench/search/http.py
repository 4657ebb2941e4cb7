"""Search through the WSGI app: CPU time and latency per request, as a department member
with an API token (permissions on) sees it.

Run from the repository root::

    .venv/bin/python -m bench.search.http [--contracts 5000] [--rounds 3] [--repeat 4]

It fills a fresh SQLite database with generated contracts (as ``bench/reindex`` does), rebuilds
the Tantivy index, then sends every query kind's requests through Flask's test client (the
whole request: token check, principals, engine, hits re-checked in the database, JSON). CPU
time per request (``time.process_time``) is the figure to compare on a shared machine; wall
times are given as p50 / p95. Each query is sent as a new one (the engine's kept totals and
facet counts dropped first) and then for its second page, which reuses them. Every figure is
the median over ``--rounds`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.reindex.run import _app, _fill
from indexer.search.tantivy_backend import TantivyBackend

from .generator import RARE_EN, RARE_ZH

KINDS: dict[str, list[dict[str, str]]] = {
    "rare term": [{"q": t} for t in RARE_ZH[:3] + RARE_EN[:2]],
    "common term": [{"q": t} for t in ("合同", "甲方", "agreement", "乙方", "本合同")],
    "two-term AND": [{"q": t} for t in ("违约责任 赔偿", "保密 期限", "仲裁 争议", "付款 发票", "payment invoice")],
    "phrase": [{"q": f'"{t}"'} for t in ("同等法律效力", "增值税专用发票", "违约责任", "不可抗力", "保密义务")],
    "filtered + sorted": [
        {"q": "付款", "status": "in_force", "amount_min": "1000", "sort": "-amount"},
        {"q": "", "status": "in_force", "sort": "-signed_date"},
        {"q": "违约金", "sort": "-expiry_date"},
        {"q": "交付", "amount_max": "90000"},
        {"q": "agreement", "sort": "-amount"},
    ],
}


def _member_token() -> str:
    """An API token of a viewer in the first department: the permission filter is on."""
    from repo_app.auth.models import User
    from repo_app.auth.services import create_token
    from repo_app.contracts.models import Department
    from repo_app.core.extensions import db

    department = db.session.scalars(db.select(Department).order_by(Department.id)).first()
    assert department is not None
    member = User(
        email="member@example.com", display_name="Member", password_hash="-", role="viewer", department=department
    )
    db.session.add(member)
    db.session.flush()
    _row, secret = create_token(member, "bench")
    db.session.commit()
    return secret


def _one_round(client: Any, token: str, repeat: int) -> dict[str, dict[str, float]]:
    """Each query as a new one (the engine's kept counts dropped first), then its second page."""
    headers = {"Authorization": f"Bearer {token}"}
    result: dict[str, dict[str, float]] = {}
    for kind, queries in KINDS.items():
        cpu: list[float] = []
        cpu_next: list[float] = []
        wall: list[float] = []
        for _ in range(repeat):
            for params in queries:
                _forget_counts(client)
                w0, c0 = time.perf_counter(), time.process_time()
                _get(client, headers, params)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                c0 = time.process_time()
                _get(client, headers, {**params, "page": "2"})
                cpu_next.append(time.process_time() - c0)
        wall.sort()
        result[kind] = {
            "cpu_ms": 1000 * statistics.median(cpu),
            "next_cpu_ms": 1000 * statistics.median(cpu_next),
            "p50_ms": 1000 * wall[len(wall) // 2],
            "p95_ms": 1000 * wall[min(len(wall) - 1, int(len(wall) * 0.95))],
        }
    return result


def _get(client: Any, headers: dict[str, str], params: dict[str, str]) -> None:
    response = client.get("/api/v1/search", headers=headers, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)


def _forget_counts(client: Any) -> None:
    from repo_app.search.indexing import backend

    with client.application.app_context():
        engine = backend()
    if isinstance(engine, TantivyBackend):
        engine.forget_counts()


def measure(contracts: int, rounds: int, repeat: int) -> dict[str, dict[str, float]]:
    from repo_app.migrations_runner import upgrade
    from repo_app.search.reindex import rebuild_index

    with tempfile.TemporaryDirectory(prefix="pactum-bench-http-") as tmp:
        app = _app(Path(tmp), 2)
        with app.app_context():
            upgrade()
            _fill(contracts)
            token = _member_token()
            rebuild_index(batch_size=200, in_place=False, resume=False)
        client = app.test_client()
        _one_round(client, token, 1)  # warm: caches, compiled statements, the engine's reader
        runs = [_one_round(client, token, repeat) for _ in range(rounds)]
    return {
        kind: {name: statistics.median(run[kind][name] for run in runs) for name in runs[0][kind]} for kind in KINDS
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=4, help="passes over each kind's 5 queries per round")
    args = parser.parse_args()
    table = measure(args.contracts, args.rounds, args.repeat)
    print(f"{args.contracts:,} contracts, department member's token, medians of {args.rounds} rounds")
    print(f"{'query kind'.ljust(18)} | CPU ms / new query | CPU ms / its page 2 | p50 ms | p95 ms (new query)")
    for kind, row in table.items():
        print(
            f"{kind.ljust(18)} | {row['cpu_ms']:18.1f} | {row['next_cpu_ms']:19.1f} | {row['p50_ms']:6.1f} |"
            f" {row['p95_ms']:6.1f}"
        )


if __name__ == "__main__":
    main()
