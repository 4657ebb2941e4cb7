"""The index is derived data: a rebuild from the database answers exactly like the index kept up
to date upload by upload; and uploads are indexed by a real worker over a Redis queue."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from repo_app.cli import main
from repo_app.search.reindex import rebuild_index
from tests.conftest import bearer
from tests.samples import docx_bytes, pdf_bytes

QUERIES = ("保密", "违约责任", "confidential", "party:华为", "tag:年度合同", "合同 -租赁")
CONTRACTS = [
    ("技术保密协议", "nda", ["华为技术有限公司"], ["保密"], "双方对技术资料负有保密义务，违约责任由违约方承担。"),
    ("仓库租赁合同", "lease", ["上海仓储有限公司"], ["年度合同"], "承租方应按时支付租金；租赁合同期满前三十日通知。"),
    ("Mutual NDA", "nda", ["Huawei Technologies"], ["export"], "Confidential information shall be kept secret."),
    ("物流运输服务合同", "service", ["华为技术有限公司"], ["年度合同", "物流"], "运输合同履行中的违约责任。"),
]


def _answers(client: FlaskClient, token: str) -> dict[str, Any]:
    """What a user sees for each query: the hits in order, the total and every facet count."""
    seen = {}
    for query in QUERIES:
        found = client.get("/api/v1/search", headers=bearer(token), query_string={"q": query, "sort": "-created"}).json
        seen[query] = {"total": found["total"], "ids": [hit["id"] for hit in found["hits"]], "facets": found["facets"]}
    return seen


@pytest.fixture
def archive(client: FlaskClient, admin_token: str) -> list[int]:
    ids = []
    for number, (title, kind, parties, tags, text) in enumerate(CONTRACTS):
        data = docx_bytes(text) if number % 2 else pdf_bytes(text)
        response = client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={
                "file": (io.BytesIO(data), f"{title}.{'docx' if number % 2 else 'pdf'}"),
                "metadata": json.dumps(
                    {
                        "title": title,
                        "contract_type": kind,
                        "counterparties": parties,
                        "tags": tags,
                        "signed_date": f"202{number}-03-01",
                    },
                    ensure_ascii=False,
                ),
            },
        )
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    # A later change and a deletion, so the incremental index has been updated, not only filled.
    client.patch(f"/api/v1/contracts/{ids[1]}", headers=bearer(admin_token), json={"tags": ["年度合同", "仓储"]})
    client.delete(f"/api/v1/contracts/{ids[3]}", headers=bearer(admin_token))
    return ids


@pytest.mark.parametrize(
    ("in_place", "processes"),
    [(False, False), (True, False), (False, True)],
    ids=["swap", "in-place", "swap-segmenting-in-processes"],
)
def test_rebuild_answers_like_the_incremental_index(
    app: Flask,
    client: FlaskClient,
    admin_token: str,
    archive: list[int],
    in_place: bool,
    processes: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if processes:  # a real archive is large enough for the process pool; this one is not
        monkeypatch.setattr("repo_app.search.reindex._POOL_THRESHOLD", 0)
    before = _answers(client, admin_token)
    assert before["保密"]["total"] == 1 and before["party:华为"]["total"] == 1  # the deleted one is gone
    with app.app_context():
        from repo_app.search.indexing import backend

        backend().delete(archive)  # lose the index: only the database and the files remain
    assert _answers(client, admin_token)["保密"]["total"] == 0
    with app.app_context():
        assert rebuild_index(batch_size=2, in_place=in_place, resume=False) == 3
    assert _answers(client, admin_token) == before


def test_reindex_command_resumes_after_an_interruption(
    app: Flask, app_config: dict[str, Any], client: FlaskClient, admin_token: str, archive: list[int]
) -> None:
    before = _answers(client, admin_token)
    with app.app_context():
        from repo_app.search.indexing import backend

        backend().delete(archive)
    # As if a run stopped after the first contract: the checkpoint names the last one done.
    (app_config["data_dir"] / "reindex.checkpoint").write_text(str(archive[0]))
    environment = _environment(app_config)
    result = CliRunner().invoke(main, ["reindex", "--in-place", "--resume", "--batch-size", "1"], env=environment)
    assert result.exit_code == 0, result.output
    assert "Indexed 2 contracts." in result.output  # only those after the checkpoint
    assert not (app_config["data_dir"] / "reindex.checkpoint").exists()
    after = _answers(client, admin_token)
    assert after["confidential"] == before["confidential"]  # contract 3 came back
    assert after["保密"]["total"] == 0  # contract 1 was before the checkpoint, so left out
    refused = CliRunner().invoke(main, ["reindex", "--resume"], env=environment)
    assert refused.exit_code != 0 and "--resume goes with --in-place" in refused.output


def test_an_index_from_an_earlier_version_answers_503_until_reindexed(
    app: Flask, app_config: dict[str, Any], client: FlaskClient, admin_token: str, archive: list[int]
) -> None:
    import tantivy

    from indexer.search.generations import Generations

    before = _answers(client, admin_token)
    with app.app_context():
        from repo_app.search.indexing import backend

        generations = Generations(backend().path)  # type: ignore[attr-defined]
    outdated = generations.new()  # an index whose layout this version does not write
    schema = tantivy.SchemaBuilder()
    schema.add_text_field("all_w", tokenizer_name="raw")
    tantivy.Index(schema.build(), path=str(outdated))
    generations.switch(outdated)

    answer = client.get("/api/v1/search", headers=bearer(admin_token), query_string={"q": "保密"})
    assert answer.status_code == 503
    assert "run `pactum reindex`" in answer.json["error"]["message"]
    page = client.get("/search", query_string={"q": "保密"}, headers=bearer(admin_token))
    assert page.status_code == 503
    result = CliRunner().invoke(main, ["reindex"], env=_environment(app_config))
    assert result.exit_code == 0, result.output
    assert _answers(client, admin_token) == before


# --- a real worker on Redis --------------------------------------------------------------------

REDIS_URL = os.environ.get("PACTUM_TEST_REDIS_URL", "")


@pytest.fixture
def redis_app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    if not REDIS_URL:
        pytest.skip("PACTUM_TEST_REDIS_URL is not set (scripts/test.sh sets it when Redis answers)")
    import redis

    # One Redis database per xdist worker: parallel tests must not take each other's jobs.
    worker_number = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = f"{REDIS_URL.rsplit('/', 1)[0]}/{15 - worker_number % 8}"
    redis.Redis.from_url(url).flushdb()
    return {**app_config, "queue_immediate": False, "queue_url": url}


def _environment(config: dict[str, Any]) -> dict[str, str]:
    names = ("data_dir", "database_url", "storage_url", "secret_key", "queue_url")
    return {f"PACTUM_{name.upper()}": str(config[name]) for name in names if name in config}


@pytest.fixture
def worker(redis_app_config: dict[str, Any]) -> Iterator[subprocess.Popen[bytes]]:
    """`pactum worker` in its own process, as deployed beside Redis."""
    process = subprocess.Popen(
        [sys.executable, "-m", "repo_app.cli", "worker", "--threads", "2"],
        env={**os.environ, **_environment(redis_app_config)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_a_redis_worker_indexes_uploads(
    redis_app_config: dict[str, Any], worker: subprocess.Popen[bytes], admin_token: str
) -> None:
    from repo_app import create_app

    web_app = create_app(redis_app_config)
    from huey import RedisHuey

    assert isinstance(web_app.extensions["pactum.queue"], RedisHuey)  # uploads queue their work in Redis
    web = web_app.test_client()
    created = web.post(
        "/api/v1/contracts",
        headers=bearer(admin_token),
        data={"file": (io.BytesIO(pdf_bytes("Redis worker test: indemnification clause")), "redis.pdf")},
    )
    assert created.status_code == 201, created.json
    deadline = time.monotonic() + 60
    status = "processing"
    while time.monotonic() < deadline and status == "processing":
        time.sleep(0.2)
        status = web.get(f"/api/v1/contracts/{created.json['id']}", headers=bearer(admin_token)).json["versions"][0][
            "status"
        ]
    assert status == "indexed", worker.stderr.read1().decode() if worker.poll() is not None else status
    found = web.get("/api/v1/search", headers=bearer(admin_token), query_string={"q": "indemnification"}).json
    assert [hit["id"] for hit in found["hits"]] == [created.json["id"]]
    # The worker yields the cores to the web processes (PACTUM_WORKER_NICENESS, 10 by default).
    assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
