"""Opening blob stores from configuration URLs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from storage import LocalBlobStore, S3BlobStore, StorageConfigError, open_blob_store
from tests.fixtures.s3 import S3_TEST_CREDENTIALS, S3_TEST_REGION


def test_absolute_file_url_opens_a_local_store_and_creates_the_directory(tmp_path: Path) -> None:
    root = tmp_path / "data dir" / "blobs"

    store = open_blob_store(f"file://{tmp_path}/data%20dir/blobs")

    assert isinstance(store, LocalBlobStore)
    assert store.root == root
    assert root.is_dir()
    assert (root / store.save(io.BytesIO(b"pdf")).key).read_bytes() == b"pdf"


def test_relative_file_url_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    store = open_blob_store("file://var/blobs")

    assert isinstance(store, LocalBlobStore)
    assert store.root == Path("var/blobs")
    assert (tmp_path / "var" / "blobs").is_dir()


def test_file_url_that_cannot_be_created_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "occupied").write_text("a file, not a directory")

    with pytest.raises(StorageConfigError, match="Cannot create the blob storage directory"):
        open_blob_store(f"file://{tmp_path}/occupied/blobs")


def test_file_url_without_a_path_is_a_config_error() -> None:
    with pytest.raises(StorageConfigError, match="needs a directory path"):
        open_blob_store("file://")


@pytest.mark.s3
def test_s3_url_and_options_configure_bucket_prefix_endpoint_and_encryption(
    s3_server: str, s3_bucket: str, s3_client: Any
) -> None:
    options = {
        "endpoint_url": s3_server,
        "region": S3_TEST_REGION,
        "access_key": S3_TEST_CREDENTIALS["access_key"],
        "secret_key": S3_TEST_CREDENTIALS["secret_key"],
        "path_style": "true",
        "sse": "AES256",
        "sse_kms_key_id": "",
    }

    store = open_blob_store(f"s3://{s3_bucket}/pactum/blobs/", options)
    assert isinstance(store, S3BlobStore)
    try:
        key = store.save(io.BytesIO(b"contract"), "application/pdf").key
    finally:
        store.close()

    head = s3_client.head_object(Bucket=s3_bucket, Key=f"pactum/blobs/{key}")
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/pdf"


def test_s3_url_without_prefix_uses_the_whole_bucket() -> None:
    store = open_blob_store("s3://pactum-blobs", {"region": "eu-west-1", "path_style": "1"})
    assert isinstance(store, S3BlobStore)
    store.close()

    assert (store.bucket, store.prefix) == ("pactum-blobs", "")


def test_unknown_scheme_names_the_supported_ones() -> None:
    with pytest.raises(StorageConfigError) as raised:
        open_blob_store("ftp://files.example.com/blobs")

    message = str(raised.value)
    assert "'ftp'" in message
    assert "file://" in message
    assert "s3://" in message


def test_url_without_scheme_is_rejected() -> None:
    with pytest.raises(StorageConfigError, match="supported schemes"):
        open_blob_store("/var/lib/pactum/blobs")


def test_unknown_option_is_rejected_to_catch_typos(tmp_path: Path) -> None:
    with pytest.raises(StorageConfigError, match="endpoint"):
        open_blob_store(f"file://{tmp_path}", {"endpoint": "http://minio:9000"})


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("s3:///prefix-only", id="no-bucket"),
        pytest.param("s3://AKIAKEY:s3cr3t@pactum/blobs", id="credentials-in-url"),
        pytest.param("s3://Bad_Bucket", id="invalid-bucket-name"),
    ],
)
def test_s3_url_needs_a_valid_bucket_and_never_echoes_it(url: str) -> None:
    with pytest.raises(StorageConfigError, match="valid bucket name") as raised:
        open_blob_store(url)

    assert "s3cr3t" not in str(raised.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"path_style": "maybe"}, "path_style", id="path-style-not-boolean"),
        pytest.param({"sse": "DES"}, "AES256, aws:kms", id="unsupported-sse"),
        pytest.param({"sse_kms_key_id": "key-1"}, "aws:kms", id="kms-key-without-kms"),
        pytest.param({"access_key": "only-half"}, "secret key", id="half-credentials"),
    ],
)
def test_invalid_s3_options_are_config_errors(options: dict[str, str], message: str) -> None:
    with pytest.raises(StorageConfigError, match=message):
        open_blob_store("s3://pactum-blobs", options)


def test_multipart_threshold_below_the_s3_part_minimum_is_a_config_error() -> None:
    with pytest.raises(StorageConfigError, match="multipart_threshold"):
        S3BlobStore("pactum-blobs", multipart_threshold=1024)
