"""Search through the app: upload → extraction → index → /api/v1/search, with the real engine."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import bearer
from tests.samples import docx_bytes, pdf_bytes


def upload(client: FlaskClient, token: str, content: bytes, filename: str, metadata: dict[str, Any]) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(content), filename), "metadata": json.dumps(metadata, ensure_ascii=False)},
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def search(client: FlaskClient, token: str, **params: Any) -> Any:
    response = client.get("/api/v1/search", headers=bearer(token), query_string=params)
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def archive(client: FlaskClient, admin_token: str) -> dict[str, int]:
    ids = {}
    ids["nda"] = upload(
        client,
        admin_token,
        docx_bytes("保密协议。甲方与乙方就技术资料的保密义务达成一致，违约责任由违约方承担。本协议具有同等法律效力。"),
        "保密协议.docx",
        {
            "title": "技术保密协议",
            "contract_type": "nda",
            "counterparties": ["深圳华科电子有限公司"],
            "tags": ["保密", "研发"],
            "signed_date": "2024-05-10",
            "expiry_date": "2026-05-09",
            "amount": "0",
        },
    )
    ids["lease"] = upload(
        client,
        admin_token,
        docx_bytes(
            "房屋租赁合同。出租方将位于上海市浦东新区的房屋出租给承租方，租金每月人民币伍万元整。"
            "增值税专用发票由出租方开具。"
        ),
        "租赁合同.docx",
        {
            "title": "办公室租赁合同",
            "contract_type": "lease",
            "counterparties": ["上海浦东置业有限公司"],
            "tags": ["行政"],
            "signed_date": "2025-01-01",
            "expiry_date": "2027-12-31",
            "amount": "600000",
            "currency": "CNY",
        },
    )
    ids["msa"] = upload(
        client,
        admin_token,
        pdf_bytes(
            "Master Services Agreement. Confidentiality obligations survive termination. Governing law: Singapore."
        ),
        "msa.pdf",
        {
            "title": "Master Services Agreement",
            "contract_type": "service",
            "counterparties": ["Acme Pte Ltd"],
            "tags": ["IT", "研发"],
            "signed_date": "2025-03-01",
            "expiry_date": "2026-02-28",
            "amount": "250000",
            "currency": "USD",
        },
    )
    return ids


def test_upload_is_processed_and_indexed(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    contract = client.get(f"/api/v1/contracts/{archive['msa']}", headers=bearer(admin_token)).json
    assert contract["versions"][0]["status"] == "indexed"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("保密协议", {"nda"}),
        ("违约责任", {"nda"}),
        ('"同等法律效力"', {"nda"}),
        ('"增值税专用发票"', {"lease"}),
        ("confidentiality", {"msa"}),
        ("Confidentiality survive", {"msa"}),
        ("NDA 保密", {"nda"}),  # NDA matches the contract type, 保密 the text
        ("租金 OR Singapore", {"lease", "msa"}),
        ("研发 -保密", {"msa"}),
        ("party:Acme", {"msa"}),
        ("tag:行政", {"lease"}),
    ],
)
def test_queries_find_what_they_should(
    client: FlaskClient, admin_token: str, archive: dict[str, int], query: str, expected: set[str]
) -> None:
    names = {value: key for key, value in archive.items()}
    found = {names[hit["id"]] for hit in search(client, admin_token, q=query)["hits"]}
    assert found == expected


def test_hits_carry_metadata_and_highlights(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    result = search(client, admin_token, q="租金")
    hit = result["hits"][0]
    assert hit["title"] == "办公室租赁合同" and hit["amount"] == "600000.00" and hit["currency"] == "CNY"
    assert any("<mark>租金</mark>" in snippet for snippet in hit["highlights"])
    assert set(result) == {"total", "page", "per_page", "hits", "facets"}


def test_filters_facets_and_sorting(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    everything = search(client, admin_token)
    assert everything["total"] == 3
    types = {item["value"]: item["count"] for item in everything["facets"]["contract_type"]}
    assert types == {"nda": 1, "lease": 1, "service": 1}
    tags = {item["value"]: item["count"] for item in everything["facets"]["tags"]}
    assert tags["研发"] == 2
    filtered = search(client, admin_token, tag="研发")
    assert filtered["total"] == 2
    assert {item["value"] for item in filtered["facets"]["contract_type"]} == {"nda", "service"}
    by_amount = search(client, admin_token, amount_min="100000", sort="-amount")
    assert [hit["id"] for hit in by_amount["hits"]] == [archive["lease"], archive["msa"]]
    expiring = search(client, admin_token, expiry_to="2026-06-30", sort="expiry_date")
    assert [hit["id"] for hit in expiring["hits"]] == [archive["msa"], archive["nda"]]


def test_metadata_change_is_searchable_at_once(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    assert search(client, admin_token, q="tag:续签")["total"] == 0
    client.patch(f"/api/v1/contracts/{archive['lease']}", headers=bearer(admin_token), json={"tags": ["续签"]})
    assert [hit["id"] for hit in search(client, admin_token, q="tag:续签")["hits"]] == [archive["lease"]]


def test_trashed_contracts_vanish_from_results_and_counts(
    client: FlaskClient, admin_token: str, archive: dict[str, int]
) -> None:
    client.delete(f"/api/v1/contracts/{archive['nda']}", headers=bearer(admin_token))
    result = search(client, admin_token, q="保密")
    assert result["total"] == 0
    facets = search(client, admin_token)["facets"]
    assert "nda" not in {item["value"] for item in facets["contract_type"]}
    client.post(f"/api/v1/contracts/{archive['nda']}/restore", headers=bearer(admin_token))
    assert search(client, admin_token, q="保密")["total"] == 1


def test_query_syntax_errors_answer_400(client: FlaskClient, admin_token: str) -> None:
    for query in ("a OR", "(a OR b", "OR"):
        response = client.get("/api/v1/search", headers=bearer(admin_token), query_string={"q": query})
        assert response.status_code == 400, query
        assert response.json["error"]["code"] == "bad_query"
    bad_sort = client.get("/api/v1/search", headers=bearer(admin_token), query_string={"sort": "colour"})
    assert bad_sort.status_code == 422


@pytest.mark.parametrize(
    "query, english, chinese",
    [
        ("(" * 200 + "保密" + ")" * 200, "nested too deeply", "嵌套过深"),
        ("NOT " * 200 + "保密", "nested too deeply", "嵌套过深"),
        ("保密 " * 1000, "too long", "过长"),
    ],
)
def test_over_deep_or_long_queries_answer_400_in_the_users_language(
    client: FlaskClient, admin_token: str, query: str, english: str, chinese: str
) -> None:
    for language, expected in (("en", english), ("zh-CN", chinese)):
        response = client.get(
            "/api/v1/search",
            headers={**bearer(admin_token), "Accept-Language": language},
            query_string={"q": query},
        )
        assert response.status_code == 400
        assert response.json["error"]["code"] == "bad_query"
        assert expected in response.json["error"]["message"]


def test_over_deep_query_on_the_search_page_is_a_400_not_a_500(login: Callable[..., FlaskClient]) -> None:
    browser = login("editor")
    page = browser.get("/search", query_string={"q": "(" * 200 + "保密" + ")" * 200})
    assert page.status_code == 400
    assert "nested too deeply" in page.get_data(as_text=True)


def test_suggestions_and_similar(client: FlaskClient, admin_token: str, archive: dict[str, int]) -> None:
    suggestions = client.get("/api/v1/search/suggest", headers=bearer(admin_token), query_string={"q": "办公"}).json[
        "suggestions"
    ]
    assert "办公室租赁合同" in suggestions
    similar = client.get(f"/api/v1/contracts/{archive['nda']}/similar", headers=bearer(admin_token)).json
    assert archive["nda"] not in [item["id"] for item in similar["items"]]


def test_failed_extraction_is_visible_and_retryable(app: Flask, client: FlaskClient, admin_token: str) -> None:
    broken = pdf_bytes("x").replace(b"/Root", b"/Rxxx")  # still looks like a PDF, cannot be parsed
    contract_id = upload(client, admin_token, broken, "broken.pdf", {"title": "损坏的文件"})
    version = client.get(f"/api/v1/contracts/{contract_id}", headers=bearer(admin_token)).json["versions"][0]
    assert version["status"] == "failed" and version["status_detail"]
    retried = client.post(f"/api/v1/contracts/{contract_id}/versions/1/reprocess", headers=bearer(admin_token))
    assert retried.status_code == 202
    # the contract itself stays findable by its metadata
    assert search(client, admin_token, q="title:损坏的文件")["total"] == 1


def test_saved_searches_personal_and_shared(login: Any, app: Flask) -> None:
    from tests.conftest import csrf_token_from

    owner = login("editor")
    page = owner.get("/search?q=保密&tag=研发")
    token = csrf_token_from(page.get_data(as_text=True))
    owner.post(
        "/search/saved",
        data={"csrf_token": token, "name": "研发保密合同", "q": "保密", "tag": "研发", "shared_with_role": "viewer"},
    )
    owner.post("/search/saved", data={"csrf_token": token, "name": "我的搜索", "q": "租金"})
    mine = owner.get("/search").get_data(as_text=True)
    assert "研发保密合同" in mine and "我的搜索" in mine and "q=%E4%BF%9D%E5%AF%86&amp;tag=%E7%A0%94%E5%8F%91" in mine
    viewer = login("viewer")
    theirs = viewer.get("/search").get_data(as_text=True)
    assert "研发保密合同" in theirs and "我的搜索" not in theirs
    auditor = login("auditor")
    assert "研发保密合同" not in auditor.get("/search").get_data(as_text=True)
