"""The reliability suite (bench/reliability), trimmed to run in CI within a couple of minutes:
real ``pactum serve`` processes on the embedded default, driven through HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.reliability.harness import Pactum
from bench.reliability.hostile import hostile_files, run_hostile
from bench.reliability.kill import run_kill_rounds
from bench.reliability.load import run_load
from tests.paths import require_corpus

pytestmark = pytest.mark.reliability


@pytest.fixture
def server(tmp_path: Path) -> Pactum:
    pactum = Pactum(tmp_path / "var")
    pactum.set_up()
    return pactum


def test_kill_9_during_uploads_loses_nothing_acknowledged(server: Pactum) -> None:
    report = run_kill_rounds(server, rounds=2, pause=(1.0, 3.0))
    assert report.acknowledged > 0, "no upload was acknowledged before the kills"
    assert report.problems == []
    assert report.byte_identical == report.searchable == report.acknowledged
    assert report.stuck == 0 and report.audit_intact
    # Lost jobs come back at the restarted worker's start or its first tick, not after 15 min.
    assert report.recovery_seconds < 150


def test_hostile_files_get_no_5xx_and_none_stays_processing(server: Pactum) -> None:
    corpus = require_corpus()
    report = run_hostile(server, hostile_files(corpus, limit=24), settle_seconds=240)
    assert report.files == 24
    assert report.server_errors == 0, report.problems
    assert report.stuck == 0, report.settled
    assert report.ok, report.problems


def test_searches_keep_answering_under_load(server: Pactum) -> None:
    report = run_load(server, searchers=3, uploaders=1, seconds=6)
    assert report.errors == 0
    assert report.uploads > 0 and len(report.search_latencies) > 10
