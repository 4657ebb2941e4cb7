"""Engine fixtures for the conformance suite: every engine gets the same
documents; Elasticsearch joins when PACTUM_TEST_ELASTICSEARCH_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.search import BaseBackend, IndexDocument, open_search_backend

from .corpus import all_docs

ES_URL = os.environ.get("PACTUM_TEST_ELASTICSEARCH_URL", "")
ENGINES = ["tantivy", "whoosh", "elasticsearch"]


def open_engine(name: str, tmp: Path) -> BaseBackend:
    if name == "elasticsearch":
        if not ES_URL:
            pytest.skip("Elasticsearch conformance runs only when PACTUM_TEST_ELASTICSEARCH_URL is set")
        return open_search_backend(
            ES_URL, data_dir=tmp, options={"index_prefix": f"pactum-test-{uuid.uuid4().hex[:8]}"}
        )
    return open_search_backend(f"{name}://{tmp / name}", data_dir=tmp)


def _drop(backend: BaseBackend) -> None:
    client = getattr(backend, "client", None)
    if client is not None:  # Elasticsearch: remove the test indices
        client.options(ignore_status=404).indices.delete(index=f"{backend.alias}-*")  # type: ignore[attr-defined]
    backend.close()


@pytest.fixture(scope="session")
def documents() -> list[IndexDocument]:
    return all_docs()


@pytest.fixture(scope="session", params=ENGINES)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, documents: list[IndexDocument]
) -> Iterator[BaseBackend]:
    backend = open_engine(request.param, tmp_path_factory.mktemp(request.param))
    backend.index(documents)
    yield backend
    _drop(backend)


@pytest.fixture(params=ENGINES)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BaseBackend]:
    backend = open_engine(request.param, tmp_path)
    yield backend
    _drop(backend)
