"""Engine-specific behaviour: writer locks, crash safety, cross-process
visibility, the factory and parallel segmentation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from indexer.search import (
    IndexDocument,
    IndexLocked,
    SearchBackend,
    SearchQuery,
    SearchUnavailable,
    open_search_backend,
    parallel_segment,
    prepare,
)
from indexer.search.tantivy_backend import TantivyBackend
from indexer.search.whoosh_backend import WhooshBackend

ROOT = Path(__file__).resolve().parents[3]
TEXT = "甲方与乙方就设备采购事宜签订本合同，双方应当遵守保密义务。The parties agree to confidentiality. " * 20


def _child(code: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_line(proc: subprocess.Popen[str], expected: str) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if expected not in line:
        proc.kill()
        raise AssertionError(f"child said {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}")


def _doc(doc_id: int) -> IndexDocument:
    return IndexDocument(id=doc_id, title=f"合同{doc_id}", text=TEXT, principals=("all",))


HOLD_WRITER = """
    import sys, time
    from pathlib import Path
    from indexer.search.{module} import {cls}
    backend = {cls}(Path(sys.argv[1]) if len(sys.argv) > 1 else Path({path!r}))
    writer = {acquire}
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_a_writer_lock_held_elsewhere_raises_index_locked(engine: str, tmp_path: Path) -> None:
    path = tmp_path / engine
    if engine == "tantivy":
        backend: TantivyBackend | WhooshBackend = TantivyBackend(path, lock_timeout=0.3)
        code = HOLD_WRITER.format(
            module="tantivy_backend",
            cls="TantivyBackend",
            path=str(path),
            acquire="backend._acquire_writer(backend._live())",
        )
    else:
        backend = WhooshBackend(path, lock_timeout=0.3)
        code = HOLD_WRITER.format(
            module="whoosh_backend", cls="WhooshBackend", path=str(path), acquire="backend._writer(backend._live())"
        )
    holder = _child(code)
    try:
        _wait_for_line(holder, "locked")
        started = time.monotonic()
        with pytest.raises(IndexLocked, match="locked by another writer"):
            backend.index([_doc(1)])
        assert time.monotonic() - started < 5
        assert backend.search(SearchQuery("", ("all",))).total == 0  # reading still works
    finally:
        holder.kill()
        holder.wait()
    backend.index([_doc(1)])  # the lock died with its process
    assert backend.count() == 1
    backend.close()


CRASHING_INDEXER = """
    import sys
    from pathlib import Path
    from indexer.search import IndexDocument
    from indexer.search.tantivy_backend import TantivyBackend
    backend = TantivyBackend(Path(sys.argv[1]))
    text = {text!r}
    print("ready", flush=True)
    i = 0
    while True:
        backend.index([IndexDocument(id=i * 10 + k, title="t", text=text, principals=("all",))
                       for k in range(10)])
        i += 1
"""


def test_tantivy_survives_a_crash_mid_indexing(tmp_path: Path) -> None:
    path = tmp_path / "tantivy"
    reader = TantivyBackend(path)
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CRASHING_INDEXER.format(text=TEXT)), str(path)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_line(proc, "ready")
        deadline = time.monotonic() + 60
        while reader.count() < 30:  # commits by another process become visible here
            assert time.monotonic() < deadline, "the child never committed"
            time.sleep(0.05)
        time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    reader.close()
    reopened = TantivyBackend(path, lock_timeout=5)
    reopened.check()
    survived = reopened.count()
    assert survived >= 30 and survived % 10 == 0  # whole commits only
    assert reopened.search(SearchQuery("保密义务", ("all",))).total == survived
    reopened.index([_doc(99_999)])  # the writer lock was released by the crash
    assert reopened.count() == survived + 1
    reopened.close()


def test_factory(tmp_path: Path) -> None:
    default = open_search_backend("", data_dir=tmp_path)
    assert isinstance(default, TantivyBackend) and default.path == tmp_path / "index" / "tantivy"
    assert isinstance(default, SearchBackend)
    default.close()
    whoosh = open_search_backend("whoosh://", data_dir=tmp_path)
    assert isinstance(whoosh, WhooshBackend) and whoosh.path == tmp_path / "index" / "whoosh"
    whoosh.close()
    absolute = open_search_backend(f"tantivy://{tmp_path / 'elsewhere'}", data_dir=tmp_path)
    assert isinstance(absolute, TantivyBackend) and absolute.path == tmp_path / "elsewhere"
    absolute.close()
    relative = open_search_backend("whoosh://idx/w", data_dir=tmp_path)
    assert isinstance(relative, WhooshBackend) and relative.path == tmp_path / "idx" / "w"
    relative.close()
    with pytest.raises(SearchUnavailable, match="Unknown search backend URL scheme 'solr'"):
        open_search_backend("solr://x", data_dir=tmp_path)


def test_parallel_segment_equals_serial_preparation() -> None:
    docs = [_doc(i) for i in range(6)]
    assert list(parallel_segment(docs, 2, chunksize=2)) == [prepare(d) for d in docs]
    assert list(parallel_segment(docs, 1)) == [prepare(d) for d in docs]


def test_closed_backend_is_unavailable(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path / "t")
    backend.close()
    with pytest.raises(SearchUnavailable):
        backend.count()


def test_an_index_with_an_older_schema_asks_for_a_reindex_and_reindex_fixes_it(tmp_path: Path) -> None:
    import tantivy

    from indexer.search.generations import Generations

    gens = Generations(tmp_path / "t")
    old = gens.new()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("all_w", tokenizer_name="raw")
    tantivy.Index(builder.build(), path=str(old))
    gens.switch(old)

    backend = TantivyBackend(tmp_path / "t")  # opening does not fail: `pactum reindex` must be able to run
    with pytest.raises(SearchUnavailable, match="earlier version of Pactum; run `pactum reindex`"):
        backend.search(SearchQuery("保密", ("all",)))
    with backend.rebuild() as indexer:
        indexer.index([_doc(1), _doc(2)])
    assert backend.search(SearchQuery("保密", ("all",))).total == 2
    backend.close()


def _status_query(page: int = 1) -> SearchQuery:
    return SearchQuery(text="保密义务", principals=("all",), page=page, per_page=2)


def test_tantivy_counts_follow_every_commit_and_pages_reuse_them(tmp_path: Path) -> None:
    """Totals and facets are kept between the pages of one result, never past a commit: ours,
    or another process's (which only changes the files under the index)."""
    backend = TantivyBackend(tmp_path / "index")
    backend.index([_doc(i) for i in range(1, 6)])
    first = backend.search(_status_query())
    assert first.total == 5

    passes: list[int] = []
    original = backend._counted_facets

    def counted(*args: object, **kwargs: object) -> tuple[int, dict[str, dict[str, int]]]:
        passes.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    backend._counted_facets = counted  # type: ignore[method-assign]
    second = backend.search(_status_query(page=2))
    assert (second.total, second.facets) == (first.total, first.facets)
    assert passes == [], "page 2 ran the counting pass again"

    backend.index([IndexDocument(id=6, title="合同6", text=TEXT, principals=("all",), status="in_force")])
    after_ours = backend.search(_status_query())
    assert after_ours.total == 6
    assert ("in_force", 1) in [(f.value, f.count) for f in after_ours.facets["status"]]

    other = _child(
        f"""
        from pathlib import Path
        from indexer.search import IndexDocument
        from indexer.search.tantivy_backend import TantivyBackend
        b = TantivyBackend(Path({str(tmp_path / "index")!r}))
        b.delete([1, 2])
        print("done", flush=True)
        """
    )
    _wait_for_line(other, "done")
    other.wait(timeout=30)
    assert backend.search(_status_query()).total == 4
    backend.close()
