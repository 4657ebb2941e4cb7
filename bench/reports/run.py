"""The dashboard and the ledger export at scale.

Run from the repository root::

    .venv/bin/python -m bench.reports.run [--contracts 100000] [--repeat 20] [--postgres URL]

It fills a fresh database (SQLite in a temporary folder; with ``--postgres`` or
``PACTUM_TEST_DATABASE_URL`` set, also a fresh PostgreSQL database ``pactum_bench_reports`` on that
server) with generated contracts in bulk inserts: types, statuses, departments, counterparties,
tags, amounts, dates over two years, a version each, waiting and finished approvals. Then it
times the dashboard for an administrator (everything) and a department member (the access
filter at work) — the money charts also on their own —, counted afresh and as a repeated view
with nothing changed in between (the kept dashboard), a grouped report of the report builder
over every contract (department × month signed: count, sum and average amount per currency) and
one XLSX export of every contract, and prints a table. Every second contract has a payment plan
(every tenth a payable one) of three instalments (a fixed date, a percentage after the effective
date, a fixed amount), most with a payment and some with a reversed one.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask

TYPES = ("purchase", "sales", "service", "nda", "lease", "license", "framework", "other")
STATUSES = (
    "draft",
    "in_approval",
    "approved",
    "signing",
    "in_force",
    "in_force",
    "in_force",
    "expiring_soon",
    "expired",
)
DEPARTMENTS = 12
BATCH = 2000


def _app(data_dir: Path, database_url: str) -> Flask:
    from repo_app import create_app

    return create_app(
        {
            "data_dir": data_dir,
            "database_url": database_url,
            "secret_key": "bench-" + "x" * 40,
            "queue_immediate": True,
            "check_schema": False,
        }
    )


def _fill(count: int) -> tuple[int, int]:
    """``count`` contracts in bulk; returns the ids of an administrator and a department member."""
    from sqlalchemy import insert

    from repo_app.auth.models import User
    from repo_app.contracts.models import Department
    from repo_app.core.extensions import db

    rng = random.Random(7)
    admin = User(email="admin@example.com", display_name="管理员", password_hash="-", role="admin")
    departments = [Department(name=f"部门{i}") for i in range(DEPARTMENTS)]
    db.session.add_all([admin, *departments])
    db.session.flush()
    member = User(
        email="member@example.com",
        display_name="部门成员",
        password_hash="-",
        role="editor",
        department_id=departments[0].id,
    )
    db.session.add(member)
    db.session.flush()
    table = db.metadata.tables
    db.session.execute(
        insert(table["counterparties"]), [{"id": i, "name": f"供应商{i}有限公司"} for i in range(1, 501)]
    )
    db.session.execute(insert(table["tags"]), [{"id": i, "name": f"标签{i}"} for i in range(1, 31)])
    today = date.today()
    start = datetime.now() - timedelta(days=730)
    for first in range(1, count + 1, BATCH):
        ids = range(first, min(first + BATCH, count + 1))
        contracts, versions, parties, tags, approvals = [], [], [], [], []
        plans: list[dict[str, Any]] = []
        instalments: list[dict[str, Any]] = []
        payments: list[dict[str, Any]] = []
        for cid in ids:
            created = start + timedelta(minutes=rng.randrange(730 * 24 * 60))
            signed = created.date() + timedelta(days=rng.randrange(30))
            status = rng.choice(STATUSES)
            contracts.append(
                {
                    "id": cid,
                    "title": f"{rng.choice(('设备采购', '软件许可', '办公租赁', '技术服务'))}合同 第{cid}号",
                    "contract_number": f"HT-{cid:07d}",
                    "contract_type_code": rng.choice(TYPES),
                    "owner_id": admin.id,
                    "department_id": departments[cid % DEPARTMENTS].id,
                    "department_level": "read",
                    "confidential": cid % 50 == 0,
                    "amount": round(rng.uniform(1000, 5_000_000), 2),
                    "currency": "CNY" if cid % 10 else "USD",
                    "status": status,
                    "signed_date": signed if status not in ("draft", "in_approval") else None,
                    "effective_date": signed,
                    "expiry_date": today + timedelta(days=rng.randrange(-365, 730)),
                    "created_at": created,
                    "updated_at": created,
                }
            )
            versions.append(
                {
                    "id": cid,
                    "contract_id": cid,
                    "number": 1,
                    "blob_key": "-",
                    "sha256": "0" * 64,
                    "size": 1,
                    "media_type": "application/pdf",
                    "original_filename": "contract.pdf",
                    "uploaded_by_id": admin.id,
                    "status": "indexed",
                    "created_at": created,
                }
            )
            parties.append({"contract_id": cid, "counterparty_id": 1 + cid % 500, "position": 0})
            if cid % 2 == 0:
                _money_rows(rng, cid, admin.id, signed, plans, instalments, payments)
            tags.append({"contract_id": cid, "tag_id": 1 + cid % 30})
            if status in ("in_approval", "approved", "in_force") and cid % 3 == 0:
                submitted = created + timedelta(hours=rng.randrange(1, 200))
                approvals.append(
                    {
                        "contract_id": cid,
                        "status": "pending" if status == "in_approval" else "approved",
                        "workflow_names": "默认",
                        "routing": {},
                        "submitted_by_id": admin.id,
                        "submitted_at": submitted,
                        "completed_at": None
                        if status == "in_approval"
                        else submitted + timedelta(hours=rng.randrange(1, 96)),
                    }
                )
        for name, rows in (
            ("contracts", contracts),
            ("contract_versions", versions),
            ("contract_parties", parties),
            ("contract_tags", tags),
            ("approvals", approvals),
            ("payment_plans", plans),
            ("instalments", instalments),
            ("payments", payments),
        ):
            if rows:
                db.session.execute(insert(table[name]), rows)
        db.session.commit()
    return admin.id, member.id


def _money_rows(
    rng: random.Random,
    cid: int,
    admin_id: int,
    signed: date,
    plans: list[dict[str, Any]],
    instalments: list[dict[str, Any]],
    payments: list[dict[str, Any]],
) -> None:
    """A payment plan of three instalments for contract ``cid``, with payments."""
    plans.append({"contract_id": cid, "direction": "payable" if cid % 10 == 0 else "receivable"})
    currency = "CNY" if cid % 10 else "USD"
    first, last = (signed + timedelta(days=rng.randrange(0, days)) for days in (400, 700))
    shapes = (  # every row names every column (one bulk INSERT)
        {"due_rule": "fixed", "due_date": first, "offset_days": 0, "amount": 10000, "percent": None},
        {"due_rule": "effective", "due_date": None, "offset_days": 30, "amount": None, "percent": 30},
        {"due_rule": "fixed", "due_date": last, "offset_days": 0, "amount": 25000, "percent": None},
    )
    for position, shape in enumerate(shapes):
        iid = cid * 3 + position
        row = {"id": iid, "contract_id": cid, "position": position, "currency": currency, "paid_amount": 0, **shape}
        instalments.append(row)
        if rng.random() < 0.6:
            paid_on = signed + timedelta(days=rng.randrange(0, 400))
            reversed_at = datetime.now() if rng.random() < 0.05 else None
            row["paid_amount"] = 0 if reversed_at else 5000  # as money.services.refresh_settled keeps it
            payments.append(
                {
                    "contract_id": cid,
                    "instalment_id": iid,
                    "paid_on": min(paid_on, date.today()),
                    "amount": 5000,
                    "recorded_by_id": admin_id,
                    "reversed_at": reversed_at,
                }
            )


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


#: The grouped report the benchmark times (the report builder's definition).
REPORT = {
    "group_by": ["department", "signed:month"],
    "measures": ["count", "sum:amount", "avg:amount"],
    "sort": "group1",
    "limit": 1000,
}


def _time_report(user: Any, repeat: int) -> list[float]:
    from repo_app.reports import builder

    definition = builder.parse_definition(REPORT, user)
    samples = []
    for _ in range(max(1, repeat // 4)):
        t0 = time.perf_counter()
        builder.run(user, definition, "zh_CN")
        samples.append(1000 * (time.perf_counter() - t0))
    return samples


def measure(database_url: str, count: int, repeat: int) -> dict[str, Any]:
    from sqlalchemy import text

    from repo_app.auth.models import User
    from repo_app.core import clock
    from repo_app.core.extensions import db
    from repo_app.migrations_runner import upgrade
    from repo_app.reports.dashboard import dashboard, money_charts
    from repo_app.reports.kept_dashboard import kept_dashboard
    from repo_app.reports.services import write_ledger

    with tempfile.TemporaryDirectory(prefix="pactum-bench-reports-") as tmp:
        app = _app(Path(tmp), database_url or f"sqlite:///{Path(tmp) / 'pactum.sqlite'}")
        result: dict[str, Any] = {"database": "PostgreSQL" if database_url else "SQLite"}
        with app.app_context(), app.test_request_context():
            upgrade()
            t0 = time.perf_counter()
            admin_id, member_id = _fill(count)
            result["fill_s"] = time.perf_counter() - t0
            if db.engine.dialect.name == "postgresql":
                # a live server's autovacuum has statistics after a bulk load; without them the
                # planner guesses a dozen contracts and loops over an index per instalment
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            for who, user_id in (("admin", admin_id), ("member", member_id)):
                user = db.session.get(User, user_id)
                samples, cpu = [], []
                for _ in range(repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    dashboard(user, "zh_CN")
                    samples.append(1000 * (time.perf_counter() - t0))
                    cpu.append(1000 * (time.process_time() - c0))
                result[f"{who}_p50"], result[f"{who}_p95"] = statistics.median(samples), _p95(samples)
                result[f"{who}_cpu"] = statistics.median(cpu)
                money = []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    money_charts(user, clock.today())
                    money.append(1000 * (time.perf_counter() - t0))
                result[f"{who}_money_p95"] = _p95(money)
                kept = []
                for _ in range(repeat):  # a view with no change since the one before: the kept dashboard
                    t0 = time.perf_counter()
                    kept_dashboard(user, "zh_CN")
                    kept.append(1000 * (time.perf_counter() - t0))
                result[f"{who}_kept_p50"], result[f"{who}_kept_p95"] = statistics.median(kept[1:]), _p95(kept[1:])
            for who, user_id in (("admin", admin_id), ("member", member_id)):
                samples = _time_report(db.session.get(User, user_id), repeat)
                result[f"report_{who}_p50"], result[f"report_{who}_p95"] = statistics.median(samples), _p95(samples)
            admin = db.session.get(User, admin_id)
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            t0, c0 = time.perf_counter(), time.process_time()
            data, rows = write_ledger(admin, "xlsx", {}, "zh_CN")
            result["export_s"], result["export_cpu_s"] = time.perf_counter() - t0, time.process_time() - c0
            result["export_rows"], result["export_mb"] = rows, len(data) / 1e6
            result["rss_before_mb"] = rss_before
            result["rss_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            db.session.remove()
            db.engine.dispose()
    return result


def _postgres_database(server_url: str) -> str:
    """A fresh database ``pactum_bench_reports`` on the server of ``server_url``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS pactum_bench_reports"))
        connection.execute(text("CREATE DATABASE pactum_bench_reports"))
    engine.dispose()
    return url.set(database="pactum_bench_reports").render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="dashboard requests per user")
    parser.add_argument("--postgres", default=os.environ.get("PACTUM_TEST_DATABASE_URL", ""), help="a PostgreSQL URL")
    args = parser.parse_args()
    runs = [measure("", args.contracts, args.repeat)]
    if args.postgres:
        runs.append(measure(_postgres_database(args.postgres), args.contracts, args.repeat))
    rows = [("contracts", *(f"{args.contracts:,}" for _ in runs))]
    rows += [
        ("filling the database, s", *(f"{r['fill_s']:.0f}" for r in runs)),
        (
            "dashboard p50 / p95 ms, counted afresh, administrator (target p95 ≤ 300)",
            *(f"{r['admin_p50']:.0f} / {r['admin_p95']:.0f}" for r in runs),
        ),
        (
            "dashboard p50 / p95 ms, department member",
            *(f"{r['member_p50']:.0f} / {r['member_p95']:.0f}" for r in runs),
        ),
        (
            "dashboard p50 / p95 ms, a view with nothing changed since the last (kept), administrator / member",
            *(
                f"{r['admin_kept_p50']:.1f} / {r['admin_kept_p95']:.1f} · {r['member_kept_p50']:.1f} / "
                f"{r['member_kept_p95']:.1f}"
                for r in runs
            ),
        ),
        (
            "dashboard CPU ms (median), administrator / member",
            *(f"{r['admin_cpu']:.0f} / {r['member_cpu']:.0f}" for r in runs),
        ),
        (
            "of which the money charts, p95 ms, administrator / member",
            *(f"{r['admin_money_p95']:.0f} / {r['member_money_p95']:.0f}" for r in runs),
        ),
        (
            "grouped report p50 / p95 ms, administrator (target ≤ 1000)",
            *(f"{r['report_admin_p50']:.0f} / {r['report_admin_p95']:.0f}" for r in runs),
        ),
        (
            "grouped report p50 / p95 ms, department member",
            *(f"{r['report_member_p50']:.0f} / {r['report_member_p95']:.0f}" for r in runs),
        ),
        ("XLSX export of every contract, s (target ≤ 60)", *(f"{r['export_s']:.1f}" for r in runs)),
        ("XLSX export, CPU s of this process", *(f"{r['export_cpu_s']:.1f}" for r in runs)),
        ("XLSX rows / MB", *(f"{r['export_rows']:,} / {r['export_mb']:.1f}" for r in runs)),
        (
            "peak RSS MB before / after the export",
            *(f"{r['rss_before_mb']:.0f} / {r['rss_peak_mb']:.0f}" for r in runs),
        ),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"{''.ljust(width)} | " + " | ".join(r["database"] for r in runs))
    print(f"{'load average (1 min) at the end'.ljust(width)} | {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, *values in rows:
        print(f"{name.ljust(width)} | " + " | ".join(values))


if __name__ == "__main__":
    main()
