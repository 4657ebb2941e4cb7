"""``open_search_backend(url)``: choose and open an engine from a URL.

=====================================  =========================================
``""`` (default)                       Tantivy in ``data_dir/index/tantivy``
``tantivy:///abs/path``                Tantivy at that path (``tantivy://`` = default path)
``whoosh:///abs/path``                 Whoosh at that path (``whoosh://`` = ``data_dir/index/whoosh``)
``http(s)://host:9200[/prefix]``       Elasticsearch 8/9; options: username, password, api_key,
                                       ca_certs, verify_certs, index_prefix (default ``pactum``)
=====================================  =========================================

Every engine takes the option ``segmenter`` (``rjieba``, the default, or ``jieba``): the
Chinese segmenter of this process, which indexing and queries share
(:func:`indexer.text.segment.use_segmenter`). Without it the process keeps its choice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from indexer.text.segment import use_segmenter

from .base import BaseBackend
from .errors import SearchUnavailable

__all__ = ["open_search_backend", "BACKENDS"]

Builder = Callable[[str, Path, Mapping[str, str]], BaseBackend]


def _local_path(url: str, data_dir: Path, default: str) -> Path:
    parts = urlsplit(url)
    path = unquote(parts.netloc + parts.path)
    if not path:
        return data_dir / "index" / default
    candidate = Path(path)
    return candidate if candidate.is_absolute() else data_dir / candidate


def _timeout(options: Mapping[str, str]) -> float:
    return float(options.get("lock_timeout", "10"))


def _tantivy(url: str, data_dir: Path, options: Mapping[str, str]) -> BaseBackend:
    from .tantivy_backend import TantivyBackend

    return TantivyBackend(_local_path(url, data_dir, "tantivy"), lock_timeout=_timeout(options))


def _whoosh(url: str, data_dir: Path, options: Mapping[str, str]) -> BaseBackend:
    from .whoosh_backend import WhooshBackend

    return WhooshBackend(_local_path(url, data_dir, "whoosh"), lock_timeout=_timeout(options))


def _elasticsearch(url: str, data_dir: Path, options: Mapping[str, str]) -> BaseBackend:
    from .elasticsearch_backend import ElasticsearchBackend

    return ElasticsearchBackend.from_url(url, options)


#: URL scheme → builder. Register more engines here.
BACKENDS: dict[str, Builder] = {
    "": _tantivy,
    "tantivy": _tantivy,
    "whoosh": _whoosh,
    "http": _elasticsearch,
    "https": _elasticsearch,
}


def open_search_backend(url: str, *, data_dir: Path, options: Mapping[str, str] | None = None) -> BaseBackend:
    engine_options = dict(options or {})
    segmenter = engine_options.pop("segmenter", None)
    scheme = urlsplit(url).scheme.lower() if url else ""
    builder = BACKENDS.get(scheme)
    if builder is None:
        raise SearchUnavailable(
            f"Unknown search backend URL scheme {scheme!r} in {url!r}; use one of: "
            + ", ".join(repr(s + "://") for s in BACKENDS if s)
            + " or an empty URL for the default."
        )
    if segmenter is not None:
        use_segmenter(segmenter)
    return builder(url, Path(data_dir), engine_options)
