"""The segmenter is an explicit option: chosen by name, passed when the search backend is opened,
and handed to the worker processes that segment for a rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.search import open_search_backend
from indexer.search.parallel import segmenting_pool
from indexer.text.segment import DEFAULT_SEGMENTER, SEGMENTERS, segmenter_name, use_segmenter


@pytest.fixture(autouse=True)
def keep_the_process_choice() -> Iterator[None]:
    chosen = segmenter_name()
    yield
    use_segmenter(chosen)


def test_rjieba_is_the_default_and_jieba_the_alternative() -> None:
    assert DEFAULT_SEGMENTER == "rjieba" and SEGMENTERS == ("rjieba", "jieba")


def test_an_unknown_segmenter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segmenter 'thulac': choose one of rjieba, jieba"):
        use_segmenter("thulac")


def test_the_backend_option_chooses_the_segmenter(tmp_path: Path) -> None:
    open_search_backend("whoosh://", data_dir=tmp_path, options={"segmenter": "jieba"})
    assert segmenter_name() == "jieba"
    open_search_backend("whoosh://", data_dir=tmp_path, options={"lock_timeout": "5"})
    assert segmenter_name() == "jieba"  # without the option the process keeps its choice
    open_search_backend("whoosh://", data_dir=tmp_path, options={"segmenter": "rjieba"})
    assert segmenter_name() == "rjieba"


def test_worker_processes_segment_with_the_parent_choice() -> None:
    use_segmenter("jieba")
    with segmenting_pool(1) as pool:
        assert pool.submit(segmenter_name).result() == "jieba"
