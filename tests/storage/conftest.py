"""Fixtures running every blob store test against each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage import BlobStore, LocalBlobStore, S3BlobStore
from tests.fixtures.s3 import S3_TEST_CREDENTIALS, S3_TEST_REGION
from tests.storage.support import MULTIPART_THRESHOLD, S3_PREFIX, Backend, MakeS3Store


@pytest.fixture
def make_s3_store(request: pytest.FixtureRequest) -> Iterator[MakeS3Store]:
    """Build S3 stores against the moto server; closes them after the test.

    Keyword arguments override the defaults (moto endpoint, test bucket,
    path-style addressing, a prefix and a 5 MiB multipart threshold).
    """
    created: list[S3BlobStore] = []

    def make(**overrides: Any) -> S3BlobStore:
        settings: dict[str, Any] = {
            "prefix": S3_PREFIX,
            "region": S3_TEST_REGION,
            "path_style": True,
            "multipart_threshold": MULTIPART_THRESHOLD,
            **S3_TEST_CREDENTIALS,
        }
        if "endpoint_url" not in overrides:
            settings["endpoint_url"] = request.getfixturevalue("s3_server")
        if "bucket" not in overrides:
            settings["bucket"] = request.getfixturevalue("s3_bucket")
        store = S3BlobStore(**{**settings, **overrides})
        created.append(store)
        return store

    yield make
    for store in created:
        store.close()


def _local_backend(root: Path) -> Backend:
    root.mkdir()

    def stored_names() -> list[str]:
        return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())

    return Backend("local", LocalBlobStore(root), stored_names)


def _s3_backend(store: S3BlobStore, client: Any) -> Backend:
    def stored_names() -> list[str]:
        response = client.list_objects_v2(Bucket=store.bucket)
        return sorted(item["Key"] for item in response.get("Contents", []))

    return Backend("s3", store, stored_names)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def backend(request: pytest.FixtureRequest, tmp_path: Path, make_s3_store: MakeS3Store) -> Backend:
    if request.param == "local":
        return _local_backend(tmp_path / "blobs")
    return _s3_backend(make_s3_store(), request.getfixturevalue("s3_client"))


@pytest.fixture
def store(backend: Backend) -> BlobStore:
    return backend.store
