"""Library errors reach the user as the error table says: a status, a code and a translated
message naming the reason, as JSON for the API (never a bare 500)."""

from __future__ import annotations

import io
import socket
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from indexer import FormatRejected, RejectionReason
from indexer.extract import ExtractionFailed, FailureReason
from indexer.search.errors import IndexLocked, QuerySyntaxError, QueryTooComplex, SearchError, SearchUnavailable
from repo_app import create_app
from repo_app.contracts.models import ContractVersion
from repo_app.core.errors import LIBRARY_ERRORS, library_error_answer
from repo_app.core.extensions import db
from signer.errors import KeyUnavailable, SignerError, SigningRefused
from signer.errors import ValidationError as SignerValidationError
from storage import BlobNotFound, BlobTooLarge, StorageError, StorageUnavailable
from tests.conftest import bearer
from tests.samples import docx_bytes, pdf_bytes

#: One instance of every library exception the table answers, with the answer expected.
CASES: list[tuple[Exception, int, str]] = [
    (StorageError("disk full"), 503, "storage_error"),
    (BlobNotFound("sha256/ab/cd/abcd"), 503, "blob_missing"),
    (StorageUnavailable("s3://bucket at 127.0.0.1:1 refused the connection"), 503, "storage_unavailable"),
    (BlobTooLarge(10), 413, "too_large"),
    (SearchError("engine answered 500"), 503, "search_error"),
    (SearchUnavailable("the index is locked by an older version"), 503, "unavailable"),
    (IndexLocked("writer busy"), 503, "index_busy"),
    (QuerySyntaxError("unbalanced parenthesis", 3), 400, "bad_query"),
    (QueryTooComplex("nested 40 deep", "depth", 32, 0), 400, "bad_query"),
    (SignerError("pyHanko failed"), 422, "signer_error"),
    (SigningRefused("B-T needs a timestamp authority"), 422, "signing_failed"),
    (KeyUnavailable("wrong passphrase"), 503, "key_unavailable"),
    (SignerValidationError("not a PDF"), 422, "unreadable_pdf"),
    (FormatRejected(RejectionReason.TRUNCATED, "the file ends early"), 415, "unsupported_type"),
    (ExtractionFailed(FailureReason.MALFORMED, "no pages"), 422, "extraction_failed"),
]


def test_every_row_of_the_table_is_exercised() -> None:
    assert {type(error) for error, _status, _code in CASES} == {row.exception for row in LIBRARY_ERRORS}


def test_a_subclass_not_listed_is_answered_as_its_nearest_base() -> None:
    class ShardDown(SearchUnavailable):
        pass

    assert library_error_answer(ShardDown("x")).code == "unavailable"


@pytest.fixture
def raising_client(app: Flask, admin_token: str) -> Callable[..., Any]:
    raised: dict[str, Exception] = {}

    def boom() -> Any:
        raise raised["error"]

    app.add_url_rule("/api/v1/test-raise", "test_raise", boom)

    def call(error: Exception, language: str = "en") -> Any:
        raised["error"] = error
        headers = {**bearer(admin_token), "Accept-Language": language}
        return app.test_client().get("/api/v1/test-raise", headers=headers)

    return call


@pytest.mark.parametrize(("error", "status", "code"), CASES, ids=lambda value: type(value).__name__)
def test_a_library_error_answers_its_row(
    raising_client: Callable[..., Any], error: Exception, status: int, code: str
) -> None:
    response = raising_client(error)
    assert response.status_code == status
    body = response.get_json()["error"]
    assert body["code"] == code
    # a query too complex is said wholly in the user's language, naming the limit
    reason = str(error.maximum) if isinstance(error, QueryTooComplex) else str(error)
    assert reason in body["message"] or status == 413


def test_messages_are_translated(raising_client: Callable[..., Any]) -> None:
    answer = raising_client(StorageUnavailable("connection refused"), "zh-CN")
    message = answer.get_json()["error"]["message"]
    assert "connection refused" in message
    assert any("\u4e00" <= char <= "\u9fff" for char in message), message


def test_a_blob_missing_from_storage_answers_503_with_the_reason(
    app: Flask, client: FlaskClient, admin_token: str
) -> None:
    created = client.post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(pdf_bytes("blob goes missing")), "gone.pdf")},
        headers=bearer(admin_token),
    )
    assert created.status_code == 201
    contract_id = created.get_json()["id"]
    with app.app_context():
        version = db.session.scalars(select(ContractVersion).where(ContractVersion.contract_id == contract_id)).one()
        app.extensions["pactum.storage"].delete(version.blob_key)
    response = client.get(f"/api/v1/contracts/{contract_id}/versions/1/file", headers=bearer(admin_token))
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "blob_missing"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_s3_answers_503_and_stores_nothing(app_config: dict[str, Any], admin_token: str) -> None:
    config = dict(app_config)
    config.update(
        storage_url="s3://pactum-unreachable",
        s3_endpoint_url=f"http://127.0.0.1:{_closed_port()}",
        s3_access_key_id="test",
        s3_secret_access_key="test",
        s3_region="us-east-1",
        s3_path_style=True,
    )
    unreachable = create_app(config)
    response = unreachable.test_client().post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(pdf_bytes("s3 is down")), "down.pdf")},
        headers=bearer(admin_token),
    )
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "storage_unavailable"
    assert "127.0.0.1" in error["message"]
    listed = unreachable.test_client().get("/api/v1/contracts", headers=bearer(admin_token))
    assert listed.get_json()["total"] == 0


def test_a_signature_report_pdf_of_a_word_version_is_refused_not_a_500(client: FlaskClient, admin_token: str) -> None:
    created = client.post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(docx_bytes("word contract")), "contract.docx")},
        headers=bearer(admin_token),
    )
    assert created.status_code == 201
    contract_id = created.get_json()["id"]
    response = client.get(
        f"/api/v1/contracts/{contract_id}/versions/1/signatures?format=pdf", headers=bearer(admin_token)
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unreadable_pdf"
