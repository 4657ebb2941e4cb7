"""Behaviour every BlobStore must share, run against each backend."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from storage import (
    BlobNotFound,
    BlobStore,
    BlobTooLarge,
    LocalBlobStore,
    StorageUnavailable,
    blob_key,
    open_blob_store,
)
from tests.fixtures.s3 import free_port
from tests.storage.support import (
    S3_PREFIX,
    Backend,
    GeneratedStream,
    MakeS3Store,
    MiB,
    generated_chunks,
    sha256_of,
)

CONTENT = os.urandom(10_000)
CONTENT_SHA256 = hashlib.sha256(CONTENT).hexdigest()
MISSING_KEY = blob_key("0" * 64)


def save_bytes(store: BlobStore, data: bytes = CONTENT, media_type: str = "application/pdf") -> str:
    return store.save(io.BytesIO(data), media_type).key


def read_all(store: BlobStore, key: str) -> bytes:
    with store.open(key) as stream:
        return stream.read()


# --- save / open ----------------------------------------------------------------------------


def test_save_reports_content_address_size_and_media_type(store: BlobStore) -> None:
    blob = store.save(io.BytesIO(CONTENT), "application/pdf")

    assert blob.sha256 == CONTENT_SHA256
    assert blob.key == f"sha256/{CONTENT_SHA256[:2]}/{CONTENT_SHA256[2:4]}/{CONTENT_SHA256}"
    assert blob.size == len(CONTENT)
    assert blob.media_type == "application/pdf"
    assert blob.created is True


def test_media_type_defaults_to_octet_stream(store: BlobStore) -> None:
    assert store.save(io.BytesIO(b"x")).media_type == "application/octet-stream"


def test_open_returns_the_saved_bytes_and_closes_with_the_block(store: BlobStore) -> None:
    key = save_bytes(store)

    with store.open(key) as stream:
        assert stream.read(100) == CONTENT[:100]
        assert stream.read() == CONTENT[100:]
    assert stream.closed


def test_empty_blob_round_trips(store: BlobStore) -> None:
    blob = store.save(io.BytesIO(b""))

    assert blob.sha256 == hashlib.sha256(b"").hexdigest()
    assert (blob.size, store.size(blob.key), read_all(store, blob.key)) == (0, 0, b"")


def test_saving_identical_bytes_twice_stores_them_once(backend: Backend) -> None:
    first = backend.store.save(io.BytesIO(CONTENT), "application/pdf")
    names_after_first = backend.stored_names()
    second = backend.store.save(io.BytesIO(CONTENT), "application/pdf")

    assert (first.created, second.created) == (True, False)
    assert second.key == first.key
    assert len(names_after_first) == 1
    assert backend.stored_names() == names_after_first


def test_different_bytes_get_different_keys(store: BlobStore) -> None:
    assert save_bytes(store, b"version 1") != save_bytes(store, b"version 2")


def test_save_reads_the_upload_in_bounded_chunks(store: BlobStore) -> None:
    upload = GeneratedStream(3 * MiB)

    store.save(upload)

    assert 0 < upload.largest_read <= MiB


# --- read_range -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(0, 99, id="first-bytes"),
        pytest.param(4_000, 5_999, id="middle"),
        pytest.param(len(CONTENT) - 100, len(CONTENT) - 1, id="last-bytes"),
        pytest.param(1234, 1234, id="single-byte"),
        pytest.param(0, 0, id="first-byte"),
        pytest.param(0, len(CONTENT) - 1, id="everything"),
    ],
)
def test_read_range_returns_the_inclusive_slice(store: BlobStore, start: int, end: int) -> None:
    key = save_bytes(store)

    assert b"".join(store.read_range(key, start, end)) == CONTENT[start : end + 1]


def test_read_range_clamps_an_end_past_the_blob(store: BlobStore) -> None:
    key = save_bytes(store)

    assert b"".join(store.read_range(key, len(CONTENT) - 10, len(CONTENT) + 500)) == CONTENT[-10:]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(len(CONTENT), len(CONTENT) + 10, id="start-past-end"),
        pytest.param(10, 9, id="end-before-start"),
        pytest.param(-1, 10, id="negative-start"),
    ],
)
def test_read_range_rejects_unsatisfiable_ranges(store: BlobStore, start: int, end: int) -> None:
    key = save_bytes(store)

    with pytest.raises(ValueError, match="[Rr]ange"):
        store.read_range(key, start, end)


# --- exists / size / delete / missing keys --------------------------------------------------


def test_exists_size_and_delete(store: BlobStore) -> None:
    key = save_bytes(store)
    assert store.exists(key)
    assert store.size(key) == len(CONTENT)

    store.delete(key)

    assert not store.exists(key)
    with pytest.raises(BlobNotFound):
        store.open(key)


def test_deleting_a_missing_key_is_not_an_error(store: BlobStore) -> None:
    store.delete(MISSING_KEY)

    assert not store.exists(MISSING_KEY)


@pytest.mark.parametrize("operation", ["open", "size", "read_range"])
def test_reading_a_missing_blob_raises_blob_not_found(store: BlobStore, operation: str) -> None:
    calls: dict[str, Callable[[], object]] = {
        "open": lambda: store.open(MISSING_KEY),
        "size": lambda: store.size(MISSING_KEY),
        "read_range": lambda: store.read_range(MISSING_KEY, 0, 10),
    }

    with pytest.raises(BlobNotFound):
        calls[operation]()


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("../../etc/passwd", id="path-traversal"),
        pytest.param("/etc/passwd", id="absolute-path"),
        pytest.param("sha256/00/00/" + "a" * 64, id="shards-disagree-with-digest"),
        pytest.param(blob_key("A" * 64), id="uppercase-digest"),
        pytest.param(MISSING_KEY + "/..", id="trailing-segment"),
    ],
)
def test_malformed_keys_behave_like_missing_ones(store: BlobStore, key: str) -> None:
    save_bytes(store)

    assert not store.exists(key)
    store.delete(key)
    with pytest.raises(BlobNotFound):
        store.open(key)
    with pytest.raises(BlobNotFound):
        store.size(key)


# --- limits and failures leave nothing behind -----------------------------------------------


def test_exceeding_max_size_raises_and_stores_nothing(backend: Backend) -> None:
    with pytest.raises(BlobTooLarge, match="1000 bytes"):
        backend.store.save(io.BytesIO(CONTENT), max_size=1000)

    assert backend.stored_names() == []
    assert not backend.store.exists(blob_key(CONTENT_SHA256))


def test_exceeding_max_size_stops_reading_the_upload(store: BlobStore) -> None:
    upload = GeneratedStream(50 * MiB)

    with pytest.raises(BlobTooLarge):
        store.save(upload, max_size=2 * MiB)

    assert upload.bytes_read <= 3 * MiB


def test_upload_of_exactly_max_size_is_accepted(store: BlobStore) -> None:
    blob = store.save(io.BytesIO(CONTENT), max_size=len(CONTENT))

    assert blob.size == len(CONTENT)


def test_failing_upload_stream_propagates_and_stores_nothing(backend: Backend) -> None:
    upload = GeneratedStream(5 * MiB, fail_after=2 * MiB)

    with pytest.raises(ConnectionResetError):
        backend.store.save(upload)

    assert backend.stored_names() == []


# --- large files ----------------------------------------------------------------------------


def test_large_file_round_trips_without_buffering_it_whole(backend: Backend) -> None:
    size = 20 * MiB
    expected = sha256_of(generated_chunks(size, seed=7))

    blob = backend.store.save(GeneratedStream(size, seed=7), "application/zip")

    assert (blob.sha256, blob.size) == (expected, size)
    with backend.store.open(blob.key) as stream:
        assert sha256_of(iter(lambda: stream.read(MiB), b"")) == expected


def test_large_range_is_yielded_in_bounded_chunks(store: BlobStore) -> None:
    blob = store.save(GeneratedStream(4 * MiB, seed=3))
    start, end = MiB - 10, 3 * MiB + 10
    expected = b"".join(generated_chunks(4 * MiB, seed=3))[start : end + 1]

    chunks = list(store.read_range(blob.key, start, end))

    assert b"".join(chunks) == expected
    assert len(chunks) > 1
    assert max(len(chunk) for chunk in chunks) <= MiB


# --- readiness and protocol -----------------------------------------------------------------


def test_check_passes_for_a_usable_store(store: BlobStore) -> None:
    store.check()


def test_store_conforms_to_the_protocol(store: BlobStore) -> None:
    assert isinstance(store, BlobStore)


def test_an_unrelated_object_does_not_conform() -> None:
    assert not isinstance(object(), BlobStore)


# --- local specifics ------------------------------------------------------------------------


def test_local_download_url_is_none_so_the_caller_streams(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    key = save_bytes(store)

    assert store.download_url(key, filename="合同.pdf", media_type="application/pdf") is None


def test_local_blob_files_are_read_only_and_temp_dir_is_emptied(tmp_path: Path) -> None:
    key = save_bytes(LocalBlobStore(tmp_path))

    assert stat.S_IMODE((tmp_path / key).stat().st_mode) == 0o400
    assert list((tmp_path / "tmp").iterdir()) == []


def test_local_blobs_and_their_folders_are_private_under_a_permissive_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        store = open_blob_store(f"file://{tmp_path / 'blobs'}")
        key = save_bytes(store)
    finally:
        os.umask(previous)
    root = tmp_path / "blobs"
    assert stat.S_IMODE((root / key).stat().st_mode) == 0o400
    folders = [root, root / "tmp", *[(root / key).parents[i] for i in range(3)]]
    assert {oct(stat.S_IMODE(folder.stat().st_mode)) for folder in folders} == {"0o700"}


def test_local_check_fails_when_root_is_a_file(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    root.write_text("not a directory")

    with pytest.raises(StorageUnavailable, match="not a directory"):
        LocalBlobStore(root).check()


def test_local_store_does_not_create_a_missing_root(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "unmounted")

    with pytest.raises(StorageUnavailable):
        store.check()
    with pytest.raises(StorageUnavailable):
        save_bytes(store)
    assert not (tmp_path / "unmounted").exists()


# --- S3 specifics ---------------------------------------------------------------------------


@pytest.mark.s3
def test_s3_objects_live_under_the_prefix_with_type_and_digest(make_s3_store: MakeS3Store, s3_client: Any) -> None:
    store = make_s3_store()
    blob = store.save(io.BytesIO(CONTENT), "application/pdf")

    head = s3_client.head_object(Bucket=store.bucket, Key=f"{S3_PREFIX}/{blob.key}")

    assert head["ContentType"] == "application/pdf"
    assert head["Metadata"] == {"sha256": CONTENT_SHA256}


@pytest.mark.s3
def test_s3_large_upload_is_multipart(make_s3_store: MakeS3Store, s3_client: Any) -> None:
    store = make_s3_store()
    blob = store.save(GeneratedStream(20 * MiB, seed=11))

    head = s3_client.head_object(Bucket=store.bucket, Key=f"{S3_PREFIX}/{blob.key}")

    assert re.fullmatch(r'"[0-9a-f]{32}-4"', head["ETag"]), head["ETag"]


@pytest.mark.s3
def test_s3_small_upload_is_a_single_put(make_s3_store: MakeS3Store, s3_client: Any) -> None:
    store = make_s3_store()
    blob = store.save(io.BytesIO(CONTENT))

    head = s3_client.head_object(Bucket=store.bucket, Key=f"{S3_PREFIX}/{blob.key}")

    assert head["ETag"] == f'"{hashlib.md5(CONTENT).hexdigest()}"'


@pytest.mark.s3
def test_s3_download_url_serves_bytes_under_a_chinese_file_name(make_s3_store: MakeS3Store) -> None:
    store = make_s3_store()
    key = save_bytes(store, media_type="application/octet-stream")
    filename = "采购合同 2024（终稿）.pdf"

    url = store.download_url(key, filename=filename, media_type="application/pdf", expires_in=60)

    assert url is not None
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        disposition = response.headers["Content-Disposition"]
        content_type = response.headers["Content-Type"]
    extended_name = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    assert body == CONTENT
    assert disposition.startswith("attachment;")
    assert extended_name is not None
    assert urllib.parse.unquote(extended_name.group(1)) == filename
    assert disposition.isascii()
    assert content_type == "application/pdf"


@pytest.mark.s3
def test_s3_sse_option_encrypts_objects(make_s3_store: MakeS3Store, s3_client: Any) -> None:
    plain, encrypted = make_s3_store(), make_s3_store(sse="AES256")
    plain_key = save_bytes(plain, b"plain")
    encrypted_key = save_bytes(encrypted, b"secret")

    def encryption_of(key: str) -> object:
        head = s3_client.head_object(Bucket=plain.bucket, Key=f"{S3_PREFIX}/{key}")
        return head.get("ServerSideEncryption")

    assert encryption_of(encrypted_key) == "AES256"
    assert encryption_of(plain_key) != "AES256"


@pytest.mark.s3
def test_s3_check_fails_when_nothing_listens(make_s3_store: MakeS3Store) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    store = make_s3_store(endpoint_url=endpoint, bucket="pactum")

    with pytest.raises(StorageUnavailable, match=re.escape(endpoint)):
        store.check()
    with pytest.raises(StorageUnavailable):
        save_bytes(store)


@pytest.mark.s3
def test_s3_check_fails_for_a_missing_bucket(make_s3_store: MakeS3Store) -> None:
    store = make_s3_store(bucket="pactum-no-such-bucket")

    with pytest.raises(StorageUnavailable, match="'pactum-no-such-bucket' does not exist"):
        store.check()
    with pytest.raises(StorageUnavailable):
        save_bytes(store)
