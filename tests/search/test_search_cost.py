"""What one search request costs the database: a page of hits is read in a fixed, small number
of statements, however many hits it shows, and the token is checked in one."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from repo_app.core.extensions import db
from tests.conftest import bearer
from tests.samples import docx_bytes


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _upload(client: FlaskClient, token: str, number: int) -> int:
    metadata = {
        "title": f"采购合同 {number}",
        "contract_type": "purchase",
        "counterparties": [f"乙方公司{number}", f"甲方公司{number}"],
        "tags": ["采购", f"批次{number}"],
        "department": "采购部",
        "amount": "1000",
        "currency": "CNY",
        "expiry_date": "2027-01-31",
    }
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(docx_bytes(f"采购合同第{number}号。供货方按期交付货物。")), f"c{number}.docx"),
            "metadata": json.dumps(metadata, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_a_page_of_hits_costs_a_fixed_number_of_statements(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    uploader = token_for("editor", department="采购部")
    member = token_for("viewer", department="采购部")
    ids = [_upload(client, uploader, number) for number in range(1, 13)]
    with statements(app) as seen:
        response = client.get("/api/v1/search", headers=bearer(member), query_string={"q": "采购合同"})
    assert response.status_code == 200, response.json
    hits = response.json["hits"]
    assert sorted(hit["id"] for hit in hits) == sorted(ids)
    first = next(hit for hit in hits if hit["id"] == ids[0])
    assert first["counterparties"] == ["乙方公司1", "甲方公司1"]  # the order the uploader gave
    assert first["tags"] == sorted(["采购", "批次1"])
    assert first["amount"] == "1000.00" and first["expiry_date"] == "2027-01-31"
    reads = [statement for statement in seen if statement.lstrip().upper().startswith("SELECT")]
    # the token with its user and groups; the custom field definitions; the hits' columns; their
    # tags and counterparties
    assert len(reads) <= 4, reads


def test_the_token_is_checked_in_one_statement(app: Flask, client: FlaskClient, token_for: Callable[..., str]) -> None:
    member = token_for("viewer", department="采购部")
    client.get("/api/v1/search/suggest", headers=bearer(member), query_string={"q": "x"})  # last use recorded
    with statements(app) as seen:
        response = client.get("/api/v1/search/suggest", headers=bearer(member), query_string={"q": "采购"})
    assert response.status_code == 200
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1, seen
