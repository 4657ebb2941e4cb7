"""`pactum reindex` end to end: contracts loaded from the database, segmented in worker
processes, written to the embedded Tantivy index.

Run from the repository root::

    .venv/bin/python -m bench.reindex.run [--contracts 20000] [--workers 2]

It fills a fresh SQLite database with generated contracts in bulk inserts (the search benchmark's generator,
text stored as extracted text, counterparty and tags, no files), then times loading them alone and the whole
rebuild (:func:`repo_app.search.reindex.rebuild_index`, as the command runs it).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask

from bench.search.generator import generate


def _app(data_dir: Path, workers: int) -> Flask:
    from repo_app import create_app

    return create_app(
        {
            "data_dir": data_dir,
            "database_url": f"sqlite:///{data_dir / 'pactum.sqlite'}",
            "secret_key": "bench-" + "x" * 40,
            "queue_immediate": True,
            "check_schema": False,
            "index_workers": workers,
        }
    )


def _fill(count: int) -> None:
    """``count`` generated contracts, each with one version, its text, its counterparty and tags,
    written with bulk inserts of 1,000 rows (100,000 contracts take a few minutes, not an hour)."""
    from repo_app.auth.models import User
    from repo_app.contracts.models import Department
    from repo_app.core.extensions import db

    owner = User(email="owner@example.com", display_name="Owner", password_hash="-", role="admin")
    departments = [Department(name=f"部门{i}") for i in range(6)]
    db.session.add_all([owner, *departments])
    db.session.flush()
    names: dict[str, dict[str, int]] = {"tags": {}, "counterparties": {}}
    chunk: list[Any] = []
    for number, doc in enumerate(generate(count), 1):
        chunk.append(doc)
        if len(chunk) == 1000:
            _insert(chunk, number - len(chunk) + 1, owner.id, [d.id for d in departments], names)
            chunk = []
    if chunk:
        _insert(chunk, count - len(chunk) + 1, owner.id, [d.id for d in departments], names)
    db.session.commit()


def _name_ids(table: str, wanted: Any, known: dict[str, int]) -> None:
    from sqlalchemy import insert

    from repo_app.core.extensions import db

    model = db.metadata.tables[table]
    new = sorted({name for name in wanted if name not in known})
    for name in new:
        known[name] = len(known) + 1
    if new:
        db.session.execute(insert(model), [{"id": known[name], "name": name} for name in new])


def _insert(
    docs: list[Any], first: int, owner_id: int, departments: list[int], names: dict[str, dict[str, int]]
) -> None:
    from sqlalchemy import insert

    from repo_app.core.extensions import db

    table = db.metadata.tables
    now = datetime(2026, 1, 1)
    ids = range(first, first + len(docs))
    _name_ids("tags", (tag for doc in docs for tag in doc.tags), names["tags"])
    _name_ids("counterparties", (party for doc in docs for party in doc.counterparties), names["counterparties"])
    contracts = [
        {
            "id": cid,
            "title": doc.title,
            "contract_number": doc.contract_number,
            "owner_id": owner_id,
            "department_id": departments[cid % 6],
            "amount": doc.amount,
            "currency": "CNY",
            "status": "in_force",
            "signed_date": doc.signed_date,
            "expiry_date": doc.expiry_date,
            "created_at": now,
            "updated_at": now,
        }
        for cid, doc in zip(ids, docs, strict=True)
    ]
    versions = [
        {
            "id": cid,
            "contract_id": cid,
            "number": 1,
            "blob_key": "-",
            "sha256": "0" * 64,
            "size": len(doc.text),
            "media_type": "application/pdf",
            "original_filename": "contract.pdf",
            "uploaded_by_id": owner_id,
            "status": "indexed",
            "created_at": now,
        }
        for cid, doc in zip(ids, docs, strict=True)
    ]
    texts = [
        {"version_id": cid, "text": doc.text, "page_offsets": list(doc.page_offsets), "extractor": "bench"}
        for cid, doc in zip(ids, docs, strict=True)
    ]
    parties = [
        {"contract_id": cid, "counterparty_id": names["counterparties"][party], "position": position}
        for cid, doc in zip(ids, docs, strict=True)
        for position, party in enumerate(doc.counterparties)
    ]
    tags = [
        {"contract_id": cid, "tag_id": names["tags"][tag]}
        for cid, doc in zip(ids, docs, strict=True)
        for tag in set(doc.tags)
    ]
    db.session.execute(insert(table["contracts"]), contracts)
    db.session.execute(insert(table["contract_versions"]), versions)
    db.session.execute(insert(table["version_texts"]), texts)
    db.session.execute(insert(table["contract_parties"]), parties)
    db.session.execute(insert(table["contract_tags"]), tags)
    db.session.commit()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(count: int, workers: int) -> dict[str, Any]:
    from repo_app.migrations_runner import upgrade
    from repo_app.search.indexing import all_documents
    from repo_app.search.reindex import rebuild_index

    with tempfile.TemporaryDirectory(prefix="pactum-bench-reindex-") as tmp:
        app = _app(Path(tmp), workers)
        with app.app_context():
            upgrade()
            _fill(count)
            t0 = time.perf_counter()
            loaded = sum(len(batch) for batch in all_documents(200))
            load_s = time.perf_counter() - t0
            t0, cpu0, children0 = time.perf_counter(), time.process_time(), _children_cpu()
            indexed = rebuild_index(batch_size=200, in_place=False, resume=False)
            rebuild_s = time.perf_counter() - t0
            command_cpu, segment_cpu = time.process_time() - cpu0, _children_cpu() - children0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "contracts": indexed,
        "load_per_s": loaded / load_s,
        "rebuild_per_s": indexed / rebuild_s,
        "rebuild_s": rebuild_s,
        # CPU per contract: on a busy machine this, not the wall-clock rate, is what compares
        "command_cpu_ms": 1000 * command_cpu / max(indexed, 1),
        "segment_cpu_ms": 1000 * segment_cpu / max(indexed, 1),
        "workers": workers,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": children.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2, help="segmentation processes (PACTUM_INDEX_WORKERS)")
    args = parser.parse_args()
    r = measure(args.contracts, args.workers)
    rows = [
        ("contracts", f"{r['contracts']:,}"),
        ("loading from SQLite alone, contracts/s", f"{r['load_per_s']:,.0f}"),
        (f"pactum reindex ({r['workers']} segmentation processes), contracts/s", f"{r['rebuild_per_s']:,.0f}"),
        ("pactum reindex, seconds", f"{r['rebuild_s']:.1f}"),
        (
            "CPU ms per contract: command process (loading, writing) / segmentation processes",
            f"{r['command_cpu_ms']:.2f} / {r['segment_cpu_ms']:.2f}",
        ),
        ("peak RSS MB: command process / a segmentation process", f"{r['rss_mb']:.0f} / {r['worker_rss_mb']:.0f}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)} | {value}")


if __name__ == "__main__":
    main()
