"""Restore, lineage, comparison, legal hold, retention and purge."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from repo_app.contracts.models import ContractType
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer, stored_blobs
from tests.samples import docx_bytes, pdf_bytes


def upload(client: FlaskClient, token: str, content: bytes, name: str, metadata: dict[str, Any] | None = None) -> int:
    data: dict[str, Any] = {"file": (io.BytesIO(content), name)}
    if metadata:
        data["metadata"] = json.dumps(metadata, ensure_ascii=False)
    response = client.post("/api/v1/contracts", headers=bearer(token), data=data)
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def new_version(client: FlaskClient, token: str, contract_id: int, content: bytes, name: str) -> int:
    response = client.post(
        f"/api/v1/contracts/{contract_id}/versions", headers=bearer(token), data={"file": (io.BytesIO(content), name)}
    )
    assert response.status_code == 201, response.json
    return int(response.json["number"])


def test_restore_creates_a_new_version_with_the_old_bytes(client: FlaskClient, admin_token: str) -> None:
    first = pdf_bytes("first draft")
    contract = upload(client, admin_token, first, "draft.pdf")
    new_version(client, admin_token, contract, pdf_bytes("second draft"), "draft2.pdf")
    restored = client.post(f"/api/v1/contracts/{contract}/versions/1/restore", headers=bearer(admin_token))
    assert restored.status_code == 201
    assert restored.json["number"] == 3 and restored.json["origin"] == "restored"
    body = client.get(f"/api/v1/contracts/{contract}", headers=bearer(admin_token)).json
    assert [v["number"] for v in body["versions"]] == [1, 2, 3]
    assert body["versions"][2]["source_version_id"] == body["versions"][0]["id"]
    assert client.get(f"/api/v1/contracts/{contract}/versions/3/file", headers=bearer(admin_token)).data == first
    again = client.post(f"/api/v1/contracts/{contract}/versions/1/restore", headers=bearer(admin_token))
    assert again.status_code == 409  # already the latest contents


def test_compare_chinese_versions_at_word_level(client: FlaskClient, admin_token: str) -> None:
    old = "第一条 标的\n\n甲方向乙方采购数控机床十台。\n\n第二条 价款\n\n合同总价为人民币壹拾万元整。"
    new = "第一条 标的\n\n甲方向乙方采购数控机床十台。\n\n第二条 价款\n\n合同总价为人民币贰拾万元整，含增值税。"
    contract = upload(client, admin_token, docx_bytes(old), "v1.docx")
    new_version(client, admin_token, contract, docx_bytes(new), "v2.docx")
    result = client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token)).json
    changes = [(op["op"], op["old_text"], op["new_text"]) for op in result["operations"] if op["op"] != "equal"]
    assert any("贰拾" in new for _op, _old, new in changes)
    assert any("增值税" in new for _op, _old, new in changes)
    assert result["summary"]["changed_clauses"] == ["第二条"]
    page = client.get(f"/contracts/{contract}/compare?a=1&b=2", headers=bearer(admin_token))
    assert page.status_code == 200 and "diff-ins" in page.get_data(as_text=True)
    pdf = client.get(f"/contracts/{contract}/compare.pdf?a=1&b=2", headers=bearer(admin_token))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_compare_shows_a_moved_clause_where_it_stands_now_and_stood(client: FlaskClient, admin_token: str) -> None:
    payment, delivery = "第一条 付款\n\n甲方应于三十日内付款。", "第二条 交付\n\n乙方应于十日内交货。"
    secrecy = "第三条 保密\n\n双方负有保密义务，期限三年。"
    contract = upload(client, admin_token, docx_bytes(f"{payment}\n\n{delivery}\n\n{secrecy}"), "v1.docx")
    new_version(client, admin_token, contract, docx_bytes(f"{secrecy}\n\n{payment}\n\n{delivery}"), "v2.docx")
    result = client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token)).json
    assert result is not None and result["summary"]["moves"] == 2
    first = result["operations"][0]  # listed where it now stands, with where it stood
    assert (first["op"], first["new_text"], first["new_start"]) == ("move", "第三条 保密", 0) and first["old_start"] > 0
    inline = client.get(f"/contracts/{contract}/compare?a=1&b=2", headers=bearer(admin_token)).get_data(as_text=True)
    body = inline[inline.index("compare-inline") :]
    # Moved up: first where it stands now, struck out below the other clauses where it stood.
    marks = ["第三条 保密", "第一条 付款", "第二条 交付", "diff-moved-from", "第三条 保密</del>"]
    assert [body.index(mark) for mark in marks] == sorted(body.index(mark) for mark in marks)
    side = client.get(f"/contracts/{contract}/compare?a=1&b=2&view=side", headers=bearer(admin_token)).get_data(
        as_text=True
    )
    old_column, new_column = side[side.index("compare-side") :].split("col-12 col-md-6")[1:3]
    assert old_column.index("第二条 交付") < old_column.index("第三条 保密</del>")
    assert "diff-moved-from" not in new_column and new_column.index("第三条 保密") < new_column.index("第一条 付款")
    pdf = client.get(f"/contracts/{contract}/compare.pdf?a=1&b=2", headers=bearer(admin_token))
    text = "".join(pypdfium2_text(pdf.data).split())
    assert text.index("第三条保密") < text.index("第一条付款") < text.rindex("第三条保密")


def test_compare_shows_word_changes_inside_a_moved_clause(client: FlaskClient, admin_token: str) -> None:
    payment, delivery = "第一条 付款\n\n甲方应于三十日内付款。", "第二条 交付\n\n乙方应于十日内交货。"
    secrecy = "第三条 保密\n\n双方负有保密义务，保密期限为三年。"
    contract = upload(client, admin_token, docx_bytes(f"{payment}\n\n{delivery}\n\n{secrecy}"), "v1.docx")
    edited = secrecy.replace("三年", "五年")
    new_version(client, admin_token, contract, docx_bytes(f"{edited}\n\n{payment}\n\n{delivery}"), "v2.docx")
    result = client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token)).json
    assert result["summary"]["moves"] == 2 and result["summary"]["replacements"] == 1
    assert result["summary"]["changed_clauses"] == ["第三条"]
    (moved_body,) = [op for op in result["operations"] if op["op"] == "move" and op["edits"]]
    assert [(e["old_text"], e["new_text"]) for e in moved_body["edits"] if e["op"] != "equal"] == [("三年", "五年")]
    inline = client.get(f"/contracts/{contract}/compare?a=1&b=2", headers=bearer(admin_token)).get_data(as_text=True)
    body = inline[inline.index("compare-inline") :]
    marked = '<del class="diff-del">三年</del><ins class="diff-ins">五年</ins>'
    assert body.index("data-moved-edited") < body.index(marked) < body.index("第一条 付款")
    pdf = client.get(f"/contracts/{contract}/compare.pdf?a=1&b=2", headers=bearer(admin_token))
    text = "".join(pypdfium2_text(pdf.data).split())
    assert text.index("三年五年") < text.index("第一条付款")


def pypdfium2_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_compare_across_file_types(client: FlaskClient, admin_token: str) -> None:
    contract = upload(client, admin_token, docx_bytes("Payment is due within 30 days."), "draft.docx")
    new_version(client, admin_token, contract, pdf_bytes("Payment is due within 45 days."), "signed.pdf")
    result = client.get(f"/api/v1/contracts/{contract}/versions/1/compare/2", headers=bearer(admin_token)).json
    assert ("replace", "30", "45") in [(op["op"], op["old_text"], op["new_text"]) for op in result["operations"]]


def test_related_contracts_and_lineage(client: FlaskClient, admin_token: str) -> None:
    parent = upload(client, admin_token, pdf_bytes("framework"), "framework.pdf", {"title": "采购框架协议"})
    child = upload(client, admin_token, pdf_bytes("amendment"), "amendment.pdf", {"title": "补充协议一"})
    linked = client.put(
        f"/api/v1/contracts/{child}/parent",
        headers=bearer(admin_token),
        json={"parent_id": parent, "relation": "supplement"},
    )
    assert linked.status_code == 200 and linked.json["parent_id"] == parent
    cycle = client.put(
        f"/api/v1/contracts/{parent}/parent",
        headers=bearer(admin_token),
        json={"parent_id": child, "relation": "amendment"},
    )
    assert cycle.status_code == 422
    graph = client.get(f"/api/v1/contracts/{parent}/lineage", headers=bearer(admin_token)).json
    assert {"from": f"c{parent}", "to": f"c{child}", "label": "supplement"} in graph["edges"]
    page = client.get(f"/contracts/{parent}/lineage", headers=bearer(admin_token)).get_data(as_text=True)
    assert "补充协议一" in page and "data-lineage" in page and "lineage-current" in page


def test_legal_hold_blocks_delete_and_purge(app: Flask, client: FlaskClient, admin_token: str) -> None:
    contract = upload(client, admin_token, pdf_bytes("held"), "held.pdf")
    no_reason = client.post(
        f"/api/v1/contracts/{contract}/legal-hold", headers=bearer(admin_token), json={"hold": True}
    )
    assert no_reason.status_code == 422
    held = client.post(
        f"/api/v1/contracts/{contract}/legal-hold",
        headers=bearer(admin_token),
        json={"hold": True, "reason": "（2025）沪01民初123号案件"},
    )
    assert held.json["legal_hold"] is True
    refused = client.delete(f"/api/v1/contracts/{contract}", headers=bearer(admin_token))
    assert refused.status_code == 409 and "legal hold" in refused.json["error"]["message"]
    client.post(f"/api/v1/contracts/{contract}/legal-hold", headers=bearer(admin_token), json={"hold": False})
    assert client.delete(f"/api/v1/contracts/{contract}", headers=bearer(admin_token)).status_code == 204
    client.post(
        f"/api/v1/contracts/{contract}/legal-hold", headers=bearer(admin_token), json={"hold": True, "reason": "audit"}
    )
    assert client.post(f"/api/v1/contracts/{contract}/purge", headers=bearer(admin_token)).status_code == 409
    with app.app_context():
        actions = {e.action for e in db.session.query(AuditEvent)}
    assert {"contract.legal_hold", "contract.legal_hold_release"} <= actions


def test_purge_respects_retention_and_shared_blobs(app: Flask, client: FlaskClient, admin_token: str) -> None:
    with app.app_context():
        db.session.get(ContractType, "lease").retention_years = 5
        db.session.commit()
    kept = upload(
        client,
        admin_token,
        pdf_bytes("kept lease"),
        "lease.pdf",
        {"contract_type": "lease", "expiry_date": "2030-12-31"},
    )
    client.delete(f"/api/v1/contracts/{kept}", headers=bearer(admin_token))
    refused = client.post(f"/api/v1/contracts/{kept}/purge", headers=bearer(admin_token))
    assert refused.status_code == 409 and "2035-12-31" in refused.json["error"]["message"]

    # v1 and a restored v3 share one blob; v2 has its own
    contract = upload(client, admin_token, pdf_bytes("shared v1"), "a.pdf")
    new_version(client, admin_token, contract, pdf_bytes("v2"), "b.pdf")
    client.post(f"/api/v1/contracts/{contract}/versions/1/restore", headers=bearer(admin_token))
    other = upload(client, admin_token, pdf_bytes("another contract"), "c.pdf")
    sha = {
        v["number"]: v["sha256"]
        for v in client.get(f"/api/v1/contracts/{contract}", headers=bearer(admin_token)).json["versions"]
    }
    other_sha = client.get(f"/api/v1/contracts/{other}", headers=bearer(admin_token)).json["versions"][0]["sha256"]
    assert {sha[1], sha[2], other_sha} <= stored_blobs(app)
    assert client.post(f"/api/v1/contracts/{contract}/purge", headers=bearer(admin_token)).status_code == 409
    client.delete(f"/api/v1/contracts/{contract}", headers=bearer(admin_token))
    purged = client.post(f"/api/v1/contracts/{contract}/purge", headers=bearer(admin_token))
    assert purged.status_code == 200 and purged.json["blobs_removed"] == 2
    assert client.get(f"/api/v1/contracts/{contract}", headers=bearer(admin_token)).status_code == 404
    assert stored_blobs(app) & {sha[1], sha[2]} == set() and other_sha in stored_blobs(app)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="contract.purge", contract_id=contract).count() == 1
