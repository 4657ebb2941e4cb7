"""Benchmark any search backend on generated contracts.

Each engine runs in its own process (so peak RSS is the engine's), indexes the
same seeded documents, answers a fixed query set (every query carries a
permission filter), and reports throughput, memory, disk, latency percentiles,
cold start and phrase recall measured against a substring scan.
To add an engine, add its URL to :data:`ENGINE_URLS`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from indexer.search import (
    BaseBackend,
    IndexDocument,
    SearchFilters,
    SearchQuery,
    open_search_backend,
)
from indexer.search.schema import StoredDoc, scope_text
from indexer.text import contains_phrase, normalize_for_match, segmenter_name

from .generator import RARE_EN, RARE_ZH, generate

PRINCIPALS = ("all", "dept:1", "user:7")
ENGINE_URLS: dict[str, Callable[[Path], str]] = {
    "tantivy": lambda d: f"tantivy://{d / 'tantivy'}",
    "whoosh": lambda d: f"whoosh://{d / 'whoosh'}",
    "elasticsearch": lambda d: os.environ.get("PACTUM_BENCH_ELASTICSEARCH_URL", "http://127.0.0.1:9200"),
}
PHRASES = [
    "同等法律效力",
    "增值税专用发票",
    "违约责任",
    "不可抗力",
    "保密义务",
    "仲裁委员会仲裁",
    "质量保证期",
    "合同总金额为人民币",
    "indemnify and hold harmless",
    "Confidential Information",
]


@dataclass(frozen=True)
class Kind:
    name: str
    queries: tuple[SearchQuery, ...]


def _q(text: str, **kw: Any) -> SearchQuery:
    kw.setdefault("facets", False)
    kw.setdefault("highlight", False)
    return SearchQuery(text, PRINCIPALS, **kw)


def query_kinds() -> list[Kind]:
    filt = SearchFilters(
        status=("active", "review"),
        contract_type=("采购合同", "服务合同", "销售合同"),
        amount_min=Decimal("1000"),
        amount_max=Decimal("90000"),
    )
    return [
        Kind("rare term", tuple(_q(t) for t in RARE_ZH[:3] + RARE_EN[:2])),
        Kind("common term", (_q("合同"), _q("甲方"), _q("agreement"), _q("乙方"), _q("本合同"))),
        Kind(
            "two-term AND",
            (_q("违约责任 赔偿"), _q("保密 期限"), _q("仲裁 争议"), _q("付款 发票"), _q("payment invoice")),
        ),
        Kind("phrase", tuple(_q(f'"{p}"') for p in PHRASES[:5])),
        Kind(
            "english term",
            (_q("indemnification"), _q("warranty"), _q("arbitration"), _q("licensee"), _q("confidential")),
        ),
        Kind(
            "filtered",
            (
                _q("付款", filters=filt),
                _q("", filters=filt),
                _q("违约金", filters=filt),
                _q("交付", filters=filt),
                _q("", filters=SearchFilters(tag=("NDA", "保密"))),
            ),
        ),
        Kind(
            "sorted",
            (
                _q("付款", sort="-signed_date"),
                _q("", sort="amount"),
                _q("违约金", sort="-expiry_date"),
                _q("交付", sort="created"),
                _q("agreement", sort="-amount"),
            ),
        ),
        Kind(
            "facets",
            (
                _q("合同", facets=True),
                _q("", facets=True),
                _q("服务", facets=True),
                _q("违约责任", facets=True),
                _q("agreement", facets=True),
            ),
        ),
        Kind(
            "highlighted",
            (
                _q("违约金", highlight=True),
                _q('"同等法律效力"', highlight=True),
                _q("保密 义务", highlight=True),
                _q("indemnify", highlight=True),
                _q("增值税专用发票", highlight=True),
            ),
        ),
    ]


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _live_index_bytes(root: Path) -> int:
    """Size of the generation in use (``CURRENT``); a rebuild keeps the previous one
    beside it until the next rebuild, for readers in other processes."""
    current = root / "CURRENT"
    if current.is_file():
        return _du(root / current.read_text(encoding="utf-8").strip())
    return _du(root)


def _percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)

    def pct(p: float) -> float:
        k = min(len(samples) - 1, max(0, round(p / 100 * len(samples) + 0.5) - 1))
        return samples[k] * 1000

    return {"p50": pct(50), "p95": pct(95), "p99": pct(99), "n": float(len(samples))}


def _all_ids(backend: BaseBackend, text: str) -> set[int]:
    found: set[int] = set()
    page = 1
    while True:
        res = backend.search(SearchQuery(text, PRINCIPALS, page=page, per_page=1000, facets=False, highlight=False))
        found.update(h.id for h in res.hits)
        if page * 1000 >= res.total:
            return found
        page += 1


def phrase_recall(backend: BaseBackend, docs: list[IndexDocument]) -> dict[str, Any]:
    """Engine results for quoted phrases against a scan of every visible raw text."""
    visible = [d for d in docs if set(d.principals) & set(PRINCIPALS)]
    scopes = {d.id: normalize_for_match(scope_text(StoredDoc.of(d), "all")) for d in visible}
    expected_total = found_total = false_pos = 0
    for phrase in PHRASES:
        want = {i for i, s in scopes.items() if contains_phrase(s, normalize_for_match(phrase))}
        got = _all_ids(backend, f'"{phrase}"')
        expected_total += len(want)
        found_total += len(want & got)
        false_pos += len(got - want)
    return {
        "recall": found_total / expected_total if expected_total else 1.0,
        "expected": expected_total,
        "false_positives": false_pos,
    }


COLD_CODE = """
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from indexer.search import open_search_backend, SearchQuery
b = open_search_backend(sys.argv[1], data_dir=Path(sys.argv[2]))
t1 = time.perf_counter()
r = b.search(SearchQuery("违约责任", ("all", "dept:1", "user:7")))
t2 = time.perf_counter()
print(json.dumps({"open_ms": (t1 - t0) * 1000, "first_query_ms": (t2 - t1) * 1000, "total": r.total}))
"""


REBUILD_CODE = """
import itertools, json, pickle, resource, sys, threading, time
from pathlib import Path
from indexer.search import open_search_backend, parallel_segment

def stream(path):
    with open(path, "rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return

def anonymous_kb():
    # Resident memory that is not a file mapping: Tantivy reads segments through mmap, and
    # those pages (page cache, reclaimable) also count in the peak RSS.
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    return 0

peak_anon = [0]
def sample():
    while True:
        peak_anon[0] = max(peak_anon[0], anonymous_kb())
        time.sleep(0.05)

threading.Thread(target=sample, daemon=True).start()
url, data_dir, docs_file, workers = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
backend = open_search_backend(url, data_dir=data_dir)
t0, c0 = time.perf_counter(), time.process_time()
n = 0
prepared = parallel_segment(stream(docs_file), workers)
with backend.rebuild() as ix:
    while batch := list(itertools.islice(prepared, 500)):
        ix.index(batch)
        n += len(batch)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"docs": n, "wall_s": wall, "cpu_s": cpu + kids.ru_utime + kids.ru_stime,
                  "rss_mb": me.ru_maxrss / 1024, "anon_mb": max(peak_anon[0], anonymous_kb()) / 1024,
                  "worker_rss_mb": kids.ru_maxrss / 1024}))
"""


def rebuild_in_child(url: str, data_dir: Path, docs: list[IndexDocument], workers: int) -> dict[str, float]:
    """``backend.rebuild()`` as ``pactum reindex`` runs it, in a fresh process that streams the
    documents from a file (as from a database), so its peak memory is the indexer's own."""
    docs_file = data_dir / "docs.pickle"
    with open(docs_file, "wb") as fh:
        for doc in docs:
            pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        out = subprocess.run(
            [sys.executable, "-c", REBUILD_CODE, url, str(data_dir), str(docs_file), str(workers)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        docs_file.unlink()
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def cold_start(url: str, data_dir: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", COLD_CODE, url, str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _median_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def _serial_index(backend: BaseBackend, docs: list[IndexDocument]) -> dict[str, float]:
    """Analysis and writing in this process, in batches, as the upload pipeline indexes."""
    backend.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, len(docs), 500):
        backend.index(docs[start : start + 500])
    return {"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


def _latencies(backend: BaseBackend, repeat: int) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Percentiles of wall-clock and CPU time per query kind (after one warm-up pass)."""
    wall: dict[str, dict[str, float]] = {}
    cpu: dict[str, dict[str, float]] = {}
    for kind in query_kinds():
        for q in kind.queries:
            backend.search(q)
        samples: list[float] = []
        cpu_samples: list[float] = []
        for _ in range(repeat):
            for q in kind.queries:
                t, c = time.perf_counter(), time.process_time()
                backend.search(q)
                samples.append(time.perf_counter() - t)
                cpu_samples.append(time.process_time() - c)
        wall[kind.name] = _percentiles(samples)
        cpu[kind.name] = _percentiles(cpu_samples)
    return wall, cpu


def run_engine(
    engine: str, n_docs: int, seed: int, repeat: int, workers: int, rounds: int, workdir: Path
) -> dict[str, Any]:
    """Every figure is the median of ``rounds`` runs (peak memory: the largest)."""
    docs = list(generate(n_docs, seed))
    raw_bytes = sum(len(d.text.encode("utf-8")) for d in docs)
    url = ENGINE_URLS[engine](workdir)
    backend = open_search_backend(url, data_dir=workdir)
    serial = _median_of([_serial_index(backend, docs) for _ in range(rounds)])
    rebuilds = [rebuild_in_child(url, workdir, docs, workers) for _ in range(rounds)]
    rebuild = _median_of(rebuilds)
    result: dict[str, Any] = {
        "engine": engine,
        "docs": n_docs,
        "rounds": rounds,
        "raw_mb": raw_bytes / 1e6,
        "segmenter": segmenter_name(),
        "index_docs_s": n_docs / serial["wall_s"],
        "rebuild_docs_s": rebuild["docs"] / rebuild["wall_s"],
        "workers": workers,
        "index_cpu_ms_per_doc": serial["cpu_s"] * 1000 / n_docs,
        "rebuild_cpu_ms_per_doc": rebuild["cpu_s"] * 1000 / rebuild["docs"],
        "rebuild_rss_mb": max(r["rss_mb"] for r in rebuilds),
        "rebuild_anon_mb": max(r["anon_mb"] for r in rebuilds),
        "rebuild_worker_rss_mb": max(r["worker_rss_mb"] for r in rebuilds),
        "count": backend.count(),
    }
    index_dir = workdir / engine
    result["index_mb"] = _live_index_bytes(index_dir) / 1e6 if index_dir.exists() else float("nan")
    measured = [_latencies(backend, repeat) for _ in range(rounds)]
    kinds = [k.name for k in query_kinds()]
    result["latency_ms"] = {k: _median_of([wall[k] for wall, _ in measured]) for k in kinds}
    result["cpu_ms"] = {k: _median_of([cpu[k] for _, cpu in measured]) for k in kinds}
    result["loadavg"] = os.getloadavg()
    result["phrase"] = phrase_recall(backend, docs)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend.close()
    result["cold"] = _median_of([cold_start(url, workdir) for _ in range(rounds)])
    return result


def _child(engine: str, n: int, seed: int, repeat: int, workers: int, rounds: int, workdir: str, queue: Any) -> None:
    try:
        queue.put(run_engine(engine, n, seed, repeat, workers, rounds, Path(workdir)))
    except Exception as exc:  # noqa: BLE001 - reported in the table instead of killing the whole run
        queue.put({"engine": engine, "error": f"{type(exc).__name__}: {exc}"})


def run_all(
    engines: list[str], n: int, seed: int, repeat: int, workers: int, rounds: int = 3, keep: Path | None = None
) -> list[dict[str, Any]]:
    ctx = multiprocessing.get_context("spawn")
    results = []
    for engine in engines:
        workdir = keep / engine if keep else Path(tempfile.mkdtemp(prefix=f"pactum-bench-{engine}-"))
        workdir.mkdir(parents=True, exist_ok=True)
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(engine, n, seed, repeat, workers, rounds, str(workdir), queue))
        proc.start()
        results.append(queue.get())
        proc.join()
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def format_table(results: list[dict[str, Any]]) -> str:
    ok = [r for r in results if "error" not in r]
    lines = []
    for r in results:
        if "error" in r:
            lines.append(f"{r['engine']}: FAILED {r['error']}")
    if not ok:
        return "\n".join(lines)
    head = ["metric"] + [r["engine"] for r in ok]
    rows: list[list[str]] = [
        ["documents"] + [f"{r['docs']:,}" for r in ok],
        ["every figure: median of N runs (peak memory: the largest)"] + [str(r["rounds"]) for r in ok],
        ["segmenter"] + [r["segmenter"] for r in ok],
        ["index docs/s (serial, segmentation incl.)"] + [f"{r['index_docs_s']:.0f}" for r in ok],
        [f"rebuild docs/s (own process, parallel_segment with {ok[0]['workers']} workers)"]
        + [f"{r['rebuild_docs_s']:.0f}" for r in ok],
        ["CPU ms per doc: serial / rebuild (all processes)"]
        + [f"{r['index_cpu_ms_per_doc']:.1f} / {r['rebuild_cpu_ms_per_doc']:.1f}" for r in ok],
        ["rebuild peak RSS MB: indexing process (without file mappings) / a segmentation process"]
        + [f"{r['rebuild_rss_mb']:.0f} ({r['rebuild_anon_mb']:.0f}) / {r['rebuild_worker_rss_mb']:.0f}" for r in ok],
        ["benchmark process peak RSS MB (holds every generated document)"] + [f"{r['peak_rss_mb']:.0f}" for r in ok],
        ["index size MB (live generation) / raw text MB"] + [f"{r['index_mb']:.1f} / {r['raw_mb']:.1f}" for r in ok],
        ["cold open + first query ms"]
        + [f"{r['cold']['open_ms']:.0f} + {r['cold']['first_query_ms']:.0f}" for r in ok],
        ["phrase recall (false positives)"]
        + [f"{r['phrase']['recall']:.4f} of {r['phrase']['expected']} ({r['phrase']['false_positives']})" for r in ok],
    ]
    for kind in ok[0]["latency_ms"]:
        rows.append(
            [f"{kind} p50/p95/p99 ms"]
            + ["{p50:.1f} / {p95:.1f} / {p99:.1f}".format(**r["latency_ms"][kind]) for r in ok]
        )
    for kind in ok[0]["cpu_ms"]:
        rows.append([f"{kind} CPU p50/p95 ms"] + ["{p50:.1f} / {p95:.1f}".format(**r["cpu_ms"][kind]) for r in ok])
    rows.append(["load average during queries"] + [" ".join(f"{x:.1f}" for x in r["loadavg"]) for r in ok])
    widths = [max(len(row[i]) for row in [head] + rows) for i in range(len(head))]

    def fmt(row: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))

    out = [fmt(head), "-+-".join("-" * w for w in widths)] + [fmt(r) for r in rows]
    return "\n".join(lines + out)


def summarise(results: list[dict[str, Any]]) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1, default=str)


def corpus_documents(corpus: Path) -> list[IndexDocument]:
    """The shared corpus's real texts: Chinese model contracts and statutes, CUAD contracts."""
    files = (
        sorted((corpus / "zh_contract_templates_yh").rglob("*.txt"))
        + sorted((corpus / "zh_laws_lawrefbook").rglob("*.md"))
        + sorted((corpus / "cuad" / "full_contract_txt").rglob("*.txt"))
    )
    return [
        IndexDocument(
            id=i, title=path.stem, text=path.read_text(encoding="utf-8", errors="replace"), principals=("all",)
        )
        for i, path in enumerate(files, 1)
    ]


def index_real_corpus(engine: str, corpus: Path) -> dict[str, Any]:
    """Index size and speed on real text, where the generated corpus's repetition flatters both."""
    docs = corpus_documents(corpus)
    workdir = Path(tempfile.mkdtemp(prefix=f"pactum-bench-corpus-{engine}-"))
    try:
        backend = open_search_backend(ENGINE_URLS[engine](workdir), data_dir=workdir)
        t0 = time.perf_counter()
        for start in range(0, len(docs), 200):
            backend.index(docs[start : start + 200])
        elapsed = time.perf_counter() - t0
        backend.close()
        raw = sum(len(d.text.encode("utf-8")) for d in docs)
        return {
            "engine": engine,
            "docs": len(docs),
            "raw_mb": raw / 1e6,
            "mb_s": raw / 1e6 / elapsed,
            "index_mb": _live_index_bytes(workdir / engine) / 1e6,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def format_corpus_table(results: list[dict[str, Any]]) -> str:
    lines = [
        "engine | documents | raw text MB | index MB (× raw) | indexing MB/s (serial)",
        "-------+-----------+-------------+------------------+-----------------------",
    ]
    for r in results:
        lines.append(
            f"{r['engine']} | {r['docs']:,} | {r['raw_mb']:.1f} | {r['index_mb']:.1f} "
            f"({r['index_mb'] / r['raw_mb']:.2f}×) | {r['mb_s']:.1f}"
        )
    return "\n".join(lines)


__all__ = ["run_all", "format_table", "query_kinds", "ENGINE_URLS", "index_real_corpus", "format_corpus_table"]
