"""(c) Load: concurrent searchers and uploaders against one server; searches/s, p50, p95, errors."""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass, field

import requests

from .harness import Pactum, marked_pdf

QUERIES = ("supplier", "goods", "agreement", "delivers", "reference", "supply agreement", "page")


@dataclass
class LoadReport:
    searchers: int
    uploaders: int
    seconds: float
    search_latencies: list[float] = field(default_factory=list)
    uploads: int = 0
    errors: int = 0

    @property
    def searches_per_second(self) -> float:
        return len(self.search_latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.search_latencies:
            return 0.0
        ordered = sorted(self.search_latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.search_latencies) if self.search_latencies else 0.0


class _Run:
    """What the load threads share: the server, the report, its lock and the stop signal."""

    def __init__(self, server: Pactum, report: LoadReport, seed: int) -> None:
        self.server, self.report, self.seed = server, report, seed
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def search(self, index: int) -> None:
        chooser = random.Random(self.seed + index)
        session = requests.Session()
        session.headers.update(self.server.http.headers)
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                query = {"q": chooser.choice(QUERIES)}
                ok = session.get(f"{self.server.base}/api/v1/search", params=query, timeout=30).ok
            except requests.RequestException:
                ok = False
            self._count(ok, time.perf_counter() - started)

    def upload(self, index: int) -> None:
        number = 0
        while not self.stop.is_set():
            number += 1
            try:
                answer = self.server.upload(f"load-{index}-{number}.pdf", marked_pdf(f"loadword{index}n{number}"))
                ok = answer.status_code == 201
            except requests.RequestException:
                ok = False
            self._count(ok, None)

    def _count(self, ok: bool, search_seconds: float | None) -> None:
        with self.lock:
            if not ok:
                self.report.errors += 1
            elif search_seconds is None:
                self.report.uploads += 1
            else:
                self.report.search_latencies.append(search_seconds)


def run_load(server: Pactum, searchers: int, uploaders: int, seconds: float, seed: int = 3) -> LoadReport:
    report = LoadReport(searchers, uploaders, seconds)
    server.start()
    for number in range(20):  # something to find
        server.upload(f"seed-{number}.pdf", marked_pdf(f"seedword{number:02d}x"))
    run = _Run(server, report, seed)
    threads = [threading.Thread(target=run.search, args=(i,)) for i in range(searchers)]
    threads += [threading.Thread(target=run.upload, args=(i,)) for i in range(uploaders)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    run.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    server.stop()
    return report
