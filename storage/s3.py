"""A blob store in an S3 (or S3-compatible) bucket, using boto3."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from ._keys import blob_key, digest_from_key
from ._streams import CHUNK_SIZE, ChunkIterator, copy_and_hash, validate_range
from .errors import BlobNotFound, StorageConfigError, StorageError, StorageUnavailable
from .headers import content_disposition
from .protocols import DEFAULT_MEDIA_TYPE, StoredBlob

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["SUPPORTED_SSE", "S3BlobStore"]

MiB = 1024 * 1024
MIN_PART_SIZE = 5 * MiB
"""S3 rejects multipart uploads whose parts (except the last) are smaller."""
SUPPORTED_SSE = ("AES256", "aws:kms")

_SPOOL_MEMORY_LIMIT = CHUNK_SIZE
_UPLOAD_CONCURRENCY = 4
_NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


class S3BlobStore:
    """Stores blobs as objects ``<prefix>/sha256/xx/yy/<digest>`` in one bucket.

    The digest (and so the key) is only known once the whole upload has been
    read, so :meth:`save` first spools the stream to a temporary file (kept in
    memory only while smaller than 1 MiB), then uploads it, in parts when it
    is larger than ``multipart_threshold``.

    A client passed in as ``client`` belongs to the caller; a client this
    store creates is released by :meth:`close`.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        path_style: bool = False,
        sse: str | None = None,
        sse_kms_key_id: str | None = None,
        multipart_threshold: int = 8 * MiB,
        client: Any = None,
    ) -> None:
        if not bucket:
            raise StorageConfigError("An S3 blob store needs a bucket name.")
        self._bucket = bucket
        self._prefix = prefix.strip("/")
        self._where = f"S3 endpoint {endpoint_url}" if endpoint_url else "AWS S3"
        self._encryption = _encryption_args(sse, sse_kms_key_id)
        self._transfer_config = _transfer_config(multipart_threshold)
        self._owns_client = client is None
        self._client: Any = (
            client if client is not None else _create_client(endpoint_url, region, access_key, secret_key, path_style)
        )

    @property
    def bucket(self) -> str:
        """The bucket holding the blobs."""
        return self._bucket

    @property
    def prefix(self) -> str:
        """The object name prefix (without slashes at either end)."""
        return self._prefix

    def save(
        self,
        stream: BinaryIO,
        media_type: str = DEFAULT_MEDIA_TYPE,
        *,
        max_size: int | None = None,
    ) -> StoredBlob:
        """Spool, hash and upload the stream; see :meth:`BlobStore.save`.

        Two concurrent saves of the same new bytes may both upload them; the
        result is the same object either way.
        """
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY_LIMIT) as spool:
            digest, size = copy_and_hash(stream, spool, max_size)
            key = blob_key(digest)
            created = not self.exists(key)
            if created:
                spool.seek(0)
                self._upload(spool, self._object_name(digest), media_type, digest)
        return StoredBlob(key, size, digest, media_type, created)

    def open(self, key: str) -> BinaryIO:
        """Return the object's body as a buffered binary stream."""
        name = self._object_name_for_key(key)
        with self._translate_errors(key):
            response = self._client.get_object(Bucket=self._bucket, Key=name)
        return _wrap_body(response["Body"])

    def read_range(self, key: str, start: int, end: int) -> ChunkIterator:
        """Fetch an inclusive byte range with an HTTP ``Range`` request."""
        validate_range(start, end)
        name = self._object_name_for_key(key)
        with self._translate_errors(key):
            response = self._client.get_object(Bucket=self._bucket, Key=name, Range=f"bytes={start}-{end}")
        return ChunkIterator(_wrap_body(response["Body"]), int(response["ContentLength"]))

    def size(self, key: str) -> int:
        """Return the object's size from its metadata."""
        return int(self._head(key)["ContentLength"])

    def exists(self, key: str) -> bool:
        """Tell whether the object exists (a missing bucket reads as ``False``)."""
        try:
            self._head(key)
        except BlobNotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        """Delete the object; S3 itself ignores missing keys."""
        digest = digest_from_key(key)
        if digest is None:
            return
        with self._translate_errors(key):
            self._client.delete_object(Bucket=self._bucket, Key=self._object_name(digest))

    def download_url(
        self,
        key: str,
        *,
        filename: str,
        media_type: str,
        expires_in: int = 300,
    ) -> str:
        """Presign a GET that downloads the object under ``filename``.

        Presigning happens offline: the URL is returned even if the object
        does not exist (S3 answers 404 when it is used).
        """
        params = {
            "Bucket": self._bucket,
            "Key": self._object_name_for_key(key),
            "ResponseContentDisposition": content_disposition(filename),
            "ResponseContentType": media_type,
        }
        with self._translate_errors(key):
            url = self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
        return str(url)

    def check(self) -> None:
        """Readiness probe: the bucket must exist and be accessible."""
        with self._translate_errors(None):
            self._client.head_bucket(Bucket=self._bucket)

    def close(self) -> None:
        """Release the HTTP connections of a client this store created."""
        if self._owns_client:
            self._client.close()

    def _object_name(self, digest: str) -> str:
        key = blob_key(digest)
        return f"{self._prefix}/{key}" if self._prefix else key

    def _object_name_for_key(self, key: str) -> str:
        digest = digest_from_key(key)
        if digest is None:
            raise BlobNotFound(f"{key!r} is not a valid blob key.")
        return self._object_name(digest)

    def _head(self, key: str) -> dict[str, Any]:
        name = self._object_name_for_key(key)
        with self._translate_errors(key):
            response: dict[str, Any] = self._client.head_object(Bucket=self._bucket, Key=name)
        return response

    def _upload(self, body: IO[bytes], name: str, media_type: str, digest: str) -> None:
        extra_args = {"ContentType": media_type, "Metadata": {"sha256": digest}, **self._encryption}
        with self._translate_errors(None):
            self._client.upload_fileobj(
                Fileobj=body,
                Bucket=self._bucket,
                Key=name,
                ExtraArgs=extra_args,
                Config=self._transfer_config,
            )

    @contextmanager
    def _translate_errors(self, key: str | None) -> Iterator[None]:
        """Turn botocore/boto3 failures into :mod:`storage.errors` exceptions.

        ``key`` is the blob the request is about, or ``None`` for requests on
        the bucket itself, where a 404 means the bucket is missing.
        """
        try:
            yield
        except ClientError as error:
            raise self._translate_client_error(error, key) from error
        except (BotoCoreError, S3UploadFailedError) as error:
            raise StorageUnavailable(f"Cannot use {self._where} (bucket {self._bucket!r}): {error}") from error

    def _translate_client_error(self, error: ClientError, key: str | None) -> Exception:
        details: dict[str, Any] = error.response.get("Error", {})
        code = str(details.get("Code", ""))
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        if code == "NoSuchBucket" or (key is None and status == 404):
            return StorageUnavailable(f"The bucket {self._bucket!r} does not exist at {self._where}.")
        if code in _NOT_FOUND_CODES or status == 404:
            return BlobNotFound(f"No blob is stored under {key!r}.")
        if code == "InvalidRange":
            return ValueError(f"The requested range is outside blob {key!r}.")
        if status in (401, 403):
            return StorageUnavailable(
                f"{self._where} refused access to bucket {self._bucket!r} ({code}); "
                "check the credentials and the bucket policy."
            )
        if status >= 500:
            return StorageUnavailable(f"{self._where} failed with {code or status}; try again later.")
        return StorageError(f"S3 request failed with {code}: {details.get('Message', '')}")


class _StreamingBodyReader(io.RawIOBase):
    """Adapts botocore's ``StreamingBody`` to the :mod:`io` stack.

    Wrapped in :class:`io.BufferedReader`, the body becomes a genuine binary
    file object (``read``, ``readline``, iteration, context manager), and a
    connection dropped mid-read surfaces as :class:`StorageUnavailable`.
    """

    def __init__(self, body: Any) -> None:
        super().__init__()
        self._body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data: bytes = self._body.read(len(view))
        except BotoCoreError as error:
            raise StorageUnavailable(f"Reading a blob from S3 failed: {error}") from error
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


def _wrap_body(body: Any) -> BinaryIO:
    return io.BufferedReader(_StreamingBodyReader(body), buffer_size=64 * 1024)


def _create_client(
    endpoint_url: str | None,
    region: str | None,
    access_key: str | None,
    secret_key: str | None,
    path_style: bool,
) -> Any:
    """Build a client with short connect timeouts so outages are reported quickly."""
    if (access_key is None) != (secret_key is None):
        raise StorageConfigError(
            "Give both an S3 access key and secret key, or neither to use the default AWS credential chain."
        )
    config = Config(
        s3={"addressing_style": "path" if path_style else "auto"},
        signature_version="s3v4",
        connect_timeout=5,
        read_timeout=60,
        retries={"mode": "standard", "max_attempts": 2},
    )
    try:
        # A private session: boto3's default session is not thread safe.
        return boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=config,
        )
    except (ValueError, BotoCoreError) as error:
        raise StorageConfigError(f"Cannot configure the S3 client: {error}") from error


def _encryption_args(sse: str | None, kms_key_id: str | None) -> dict[str, str]:
    """Return the upload arguments requesting server-side encryption."""
    if sse is not None and sse not in SUPPORTED_SSE:
        raise StorageConfigError(
            f"Unsupported S3 server-side encryption {sse!r}; use one of {', '.join(SUPPORTED_SSE)}."
        )
    if kms_key_id and sse != "aws:kms":
        raise StorageConfigError("An SSE KMS key id only applies with sse='aws:kms'.")
    args = {"ServerSideEncryption": sse} if sse else {}
    if kms_key_id:
        args["SSEKMSKeyId"] = kms_key_id
    return args


def _transfer_config(multipart_threshold: int) -> TransferConfig:
    if multipart_threshold < MIN_PART_SIZE:
        raise StorageConfigError(
            f"multipart_threshold must be at least {MIN_PART_SIZE} bytes, the smallest part size S3 accepts."
        )
    return TransferConfig(
        multipart_threshold=multipart_threshold,
        multipart_chunksize=multipart_threshold,
        max_concurrency=_UPLOAD_CONCURRENCY,
    )
