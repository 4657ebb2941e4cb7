"""(a) kill -9 during uploads: every acknowledged upload survives, byte for byte, and ends up
searchable, with the audit chain intact and no version stuck in "processing"."""

from __future__ import annotations

import hashlib
import random
import string
import threading
import time
from dataclasses import dataclass, field

import requests

from .harness import Pactum, Upload, marked_pdf


@dataclass
class KillReport:
    rounds: int
    acknowledged: int = 0
    refused_or_cut: int = 0
    byte_identical: int = 0
    searchable: int = 0
    stuck: int = 0
    audit_intact: bool = False
    recovery_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        every = self.acknowledged
        return (
            every > 0
            and self.byte_identical == every
            and self.searchable == every
            and not self.stuck
            and self.audit_intact
        )


def _marker(chooser: random.Random) -> str:
    return "zq" + "".join(chooser.choice(string.ascii_lowercase) for _ in range(10))


class _Uploader(threading.Thread):
    """Uploads marked PDFs until told to stop; keeps what the server acknowledged (201)."""

    def __init__(self, server: Pactum, seed: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.server, self.chooser, self.stop = server, random.Random(seed), stop
        self.acknowledged: list[Upload] = []
        self.cut = 0

    def run(self) -> None:
        while not self.stop.is_set():
            marker = _marker(self.chooser)
            data = marked_pdf(marker)
            try:
                answer = self.server.upload(f"{marker}.pdf", data, timeout=30)
            except requests.RequestException:
                self.cut += 1
                continue
            if answer.status_code == 201:
                body = answer.json()
                self.acknowledged.append(Upload(body["id"], hashlib.sha256(data).hexdigest(), marker))
                if body["versions"][0]["sha256"] != self.acknowledged[-1].sha256:
                    raise AssertionError(f"the server acknowledged other bytes for {marker}")
            else:
                self.cut += 1


def run_kill_rounds(
    server: Pactum, rounds: int, seed: int = 16, uploaders: int = 2, pause: tuple[float, float] = (1.0, 5.0)
) -> KillReport:
    """Start, upload from several threads, SIGKILL at a random moment (*pause* seconds after the
    start, drawn uniformly); then restart and check."""
    chooser = random.Random(seed)
    report = KillReport(rounds)
    acknowledged: list[Upload] = []
    for number in range(rounds):
        server.start()
        stop = threading.Event()
        threads = [_Uploader(server, seed * 100 + number * 10 + index, stop) for index in range(uploaders)]
        for thread in threads:
            thread.start()
        time.sleep(chooser.uniform(*pause))
        stop.set()  # no new uploads; those in flight are cut by the kill
        server.kill()
        for thread in threads:
            thread.join(timeout=60)
            acknowledged.extend(thread.acknowledged)
            report.refused_or_cut += thread.cut
    server.start()
    started = time.monotonic()
    statuses = server.wait_settled([upload.contract_id for upload in acknowledged], timeout=300)
    report.recovery_seconds = time.monotonic() - started
    _check(server, acknowledged, statuses, report)
    server.stop()
    return report


def _check(server: Pactum, acknowledged: list[Upload], statuses: dict[int, str], report: KillReport) -> None:
    report.acknowledged = len(acknowledged)
    for upload in acknowledged:
        if server.file_sha256(upload.contract_id) == upload.sha256:
            report.byte_identical += 1
        else:
            report.problems.append(f"contract {upload.contract_id}: stored bytes differ")
        if server.search_total(upload.marker) == 1:
            report.searchable += 1
        else:
            report.problems.append(f"contract {upload.contract_id}: {upload.marker} not found")
        if statuses[upload.contract_id] != "indexed":
            report.stuck += statuses[upload.contract_id] not in ("indexed", "failed")
            report.problems.append(f"contract {upload.contract_id}: {statuses[upload.contract_id]}")
    report.audit_intact = server.audit_chain_intact()
