"""Comments on versions through the API: anchoring, replies, @mentions, resolving, permissions,
carrying threads over to a new version; and the clause checklist's findings."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from repo_app.notifications.models import Notification
from repo_app.review import checklist
from tests.conftest import bearer
from tests.samples import txt_bytes

TEXT = (
    "第一条 合同标的\n甲方向乙方采购服务器。\n第二条 保密\n双方应对本合同内容保密。\n"
    "第三条 违约责任\n违约方应赔偿损失。\n"
)


def _upload(client: FlaskClient, token: str, text: str, metadata: dict[str, Any] | None = None) -> int:
    data = {
        "file": (io.BytesIO(txt_bytes(text)), "contract.txt"),
        "metadata": json.dumps(metadata or {"title": "服务器采购合同"}),
    }
    response = client.post("/api/v1/contracts", data=data, headers=bearer(token), content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _new_version(client: FlaskClient, token: str, contract_id: int, text: str) -> None:
    data = {"file": (io.BytesIO(txt_bytes(text)), "contract-v2.txt")}
    response = client.post(
        f"/api/v1/contracts/{contract_id}/versions",
        data=data,
        headers=bearer(token),
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json


def _share(client: FlaskClient, token: str, contract_id: int, grants: list[dict[str, str]], **extra: Any) -> None:
    response = client.put(
        f"/api/v1/contracts/{contract_id}/access", headers=bearer(token), json={"grants": grants, **extra}
    )
    assert response.status_code == 200, response.json


def test_comment_reply_mention_resolve_and_permissions(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    owner = token_for("editor")
    commenter = token_for("viewer", email="li.na@example.com")
    reader = token_for("viewer", email="reader@example.com")
    contract_id = _upload(client, owner, TEXT)
    _share(
        client,
        owner,
        contract_id,
        [
            {"grantee_type": "user", "grantee": "li.na@example.com", "level": "comment"},
            {"grantee_type": "user", "grantee": "reader@example.com", "level": "read"},
        ],
    )
    url = f"/api/v1/contracts/{contract_id}/comments"

    # The selection from the preview's text layer has other line breaks than the extracted text.
    created = client.post(
        url,
        headers=bearer(owner),
        json={"body": "范围太宽 @li.na@example.com", "quote": "双方应对本合同\n内容保密", "page": 1},
    )
    assert created.status_code == 201, created.json
    thread = created.json
    assert thread["quote"] == "双方应对本合同内容保密"
    assert TEXT[thread["start"] : thread["end"]] == "双方应对本合同内容保密"
    assert (thread["page"], thread["version"], thread["status"]) == (1, 1, "open")

    with app.app_context():
        notes = db.session.scalars(db.select(Notification).where(Notification.kind == "review.mentioned")).all()
        assert len(notes) == 1 and notes[0].url.endswith(f"#comment-{thread['id']}")

    # A read-only user sees the thread but cannot comment, reply or resolve.
    listed = client.get(url, headers=bearer(reader)).json
    assert listed["can_comment"] is False and [item["id"] for item in listed["items"]] == [thread["id"]]
    assert client.post(url, headers=bearer(reader), json={"body": "x", "quote": "保密"}).status_code == 403
    reply_url = f"/api/v1/comments/{thread['id']}/replies"
    assert client.post(reply_url, headers=bearer(reader), json={"body": "x"}).status_code == 403

    answered = client.post(reply_url, headers=bearer(commenter), json={"body": "同意，改为“商业秘密”"})
    assert answered.status_code == 201 and answered.json["replies"][0]["body"] == "同意，改为“商业秘密”"
    resolved = client.post(
        f"/api/v1/comments/{thread['id']}/resolution", headers=bearer(commenter), json={"resolved": True}
    )
    assert resolved.json["status"] == "resolved" and resolved.json["resolved_by"]["email"] == "li.na@example.com"

    # Bad input names the field; a quote not in the text is refused, nothing stored.
    missing = client.post(url, headers=bearer(owner), json={"body": "x", "quote": "不存在的句子"})
    assert missing.status_code == 422 and "quote" in missing.json["error"]["message"]
    assert client.post(url, headers=bearer(owner), json={"quote": "保密"}).status_code == 422
    assert len(client.get(url, headers=bearer(owner)).json["items"]) == 1

    # A stranger learns nothing of the contract or its comments.
    stranger = token_for("viewer", email="stranger@example.com")
    assert client.get(url, headers=bearer(stranger)).status_code == 404
    assert client.post(reply_url, headers=bearer(stranger), json={"body": "x"}).status_code == 404

    trail = client.get(f"/api/v1/audit?contract_id={contract_id}", headers=bearer(token_for("admin")))
    actions = {event["action"] for event in trail.json["items"]}
    assert {"review.comment", "review.reply", "review.resolve"} <= actions


def test_threads_carry_over_or_become_outdated(client: FlaskClient, token_for: Callable[..., str]) -> None:
    owner = token_for("editor")
    contract_id = _upload(client, owner, TEXT)
    url = f"/api/v1/contracts/{contract_id}/comments"
    kept = client.post(url, headers=bearer(owner), json={"body": "ok", "quote": "违约方应赔偿损失"}).json
    gone = client.post(url, headers=bearer(owner), json={"body": "删掉?", "quote": "甲方向乙方采购服务器"}).json

    new_text = "前言\n" + TEXT.replace("甲方向乙方采购服务器。", "甲方向乙方租赁设备。")
    _new_version(client, owner, contract_id, new_text)

    items = {item["id"]: item for item in client.get(url, headers=bearer(owner)).json["items"]}
    assert items[kept["id"]]["version"] == 2 and items[kept["id"]]["outdated"] is False
    assert items[kept["id"]]["start"] == new_text.index("违约方应赔偿损失")
    assert items[gone["id"]]["version"] == 1 and items[gone["id"]]["outdated"] is True


def test_checklist_findings_on_each_version(app: Flask, client: FlaskClient, token_for: Callable[..., str]) -> None:
    with app.app_context():
        assert checklist.seed_defaults() == 4
        db.session.commit()
    owner = token_for("editor")
    contract_id = _upload(client, owner, TEXT)
    findings = client.get(f"/api/v1/contracts/{contract_id}/review-findings", headers=bearer(owner)).json
    assert sorted(item["clause"]["name_en"] for item in findings["items"]) == ["Dispute resolution", "Force majeure"]

    _new_version(client, owner, contract_id, TEXT + "第四条 不可抗力\n第五条 争议提交上海仲裁委员会仲裁。\n")
    findings = client.get(f"/api/v1/contracts/{contract_id}/review-findings", headers=bearer(owner)).json
    assert findings == {"version": 2, "items": []}


def test_purging_a_contract_removes_its_comments_and_findings(
    app: Flask, client: FlaskClient, token_for: Callable[..., str]
) -> None:
    from repo_app.review.models import ReviewComment, ReviewFinding

    with app.app_context():
        checklist.seed_defaults()
        db.session.commit()
    owner, admin = token_for("editor"), token_for("admin")
    contract_id = _upload(client, owner, TEXT)
    url = f"/api/v1/contracts/{contract_id}/comments"
    thread = client.post(url, headers=bearer(owner), json={"body": "看", "quote": "保密"}).json
    client.post(f"/api/v1/comments/{thread['id']}/replies", headers=bearer(owner), json={"body": "好"})
    assert client.delete(f"/api/v1/contracts/{contract_id}", headers=bearer(admin)).status_code == 204
    assert client.post(f"/api/v1/contracts/{contract_id}/purge", headers=bearer(admin)).status_code == 200
    with app.app_context():
        assert db.session.scalars(db.select(ReviewComment)).all() == []
        assert db.session.scalars(db.select(ReviewFinding)).all() == []
