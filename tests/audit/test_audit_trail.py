from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from repo_app.cli import main
from repo_app.core.audit.chain import verify
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import bearer
from tests.samples import pdf_bytes


@pytest.fixture
def trail(client: FlaskClient, admin_token: str) -> int:
    """A few real events: uploads, a metadata change, a download, a deletion."""
    ids = []
    for n in range(3):
        response = client.post(
            "/api/v1/contracts",
            headers=bearer(admin_token),
            data={"file": (io.BytesIO(pdf_bytes(f"audit {n}")), f"{n}.pdf")},
        )
        ids.append(response.json["id"])
    client.patch(f"/api/v1/contracts/{ids[0]}", headers=bearer(admin_token), json={"title": "改过的标题"})
    client.get(f"/api/v1/contracts/{ids[1]}/versions/1/file", headers=bearer(admin_token))
    client.delete(f"/api/v1/contracts/{ids[2]}", headers=bearer(admin_token))
    return ids[0]


def _verify(app: Flask) -> tuple[int, object]:
    with app.app_context():
        return verify()


def _execute(app: Flask, statement: str, **params: object) -> None:
    with app.app_context():
        db.session.execute(sa.text(statement), params)
        db.session.commit()


def test_clean_trail_verifies(app: Flask, trail: int) -> None:
    checked, problem = _verify(app)
    assert problem is None and checked >= 8


def test_edited_event_is_detected(app: Flask, trail: int) -> None:
    _execute(app, "UPDATE audit_events SET actor_email = 'someone@else' WHERE seq = 4")
    checked, problem = _verify(app)
    assert checked == 3 and "#4" in problem.message and "changed" in problem.message


def test_edited_details_are_detected(app: Flask, trail: int) -> None:
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "contract.update")).one()
        details = dict(event.details)
        details["changes"] = {"title": {"old": "x", "new": "y"}}
        event.details = details
        db.session.commit()
        seq = event.seq
    _checked, problem = _verify(app)
    assert f"#{seq}" in problem.message


def test_deleted_event_is_detected(app: Flask, trail: int) -> None:
    _execute(app, "DELETE FROM audit_events WHERE seq = 5")
    _checked, problem = _verify(app)
    assert "#5 is missing" in problem.message


def test_swapped_events_are_detected(app: Flask, trail: int) -> None:
    # swap the content of two rows, hashes included: each row is self-consistent, the order is not
    _execute(app, "UPDATE audit_events SET seq = -1 WHERE seq = 3")
    _execute(app, "UPDATE audit_events SET seq = 3 WHERE seq = 4")
    _execute(app, "UPDATE audit_events SET seq = 4 WHERE seq = -1")
    _checked, problem = _verify(app)
    assert problem is not None and "#3" in problem.message


def test_removed_tail_is_detected(app: Flask, trail: int) -> None:
    _execute(app, "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
    _checked, problem = _verify(app)
    assert "removed from the end" in problem.message


def test_cli_verify_exit_codes(app: Flask, trail: int, app_config: dict, tmp_path: Path) -> None:
    env = {
        "LANG": "C.UTF-8",
        "PACTUM_DATA_DIR": str(app_config["data_dir"]),
        "PACTUM_DATABASE_URL": app_config["database_url"],
        "PACTUM_STORAGE_URL": app_config["storage_url"],
    }
    ok = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert ok.exit_code == 0 and "chain intact" in ok.output
    _execute(app, "UPDATE audit_events SET ip = '6.6.6.6' WHERE seq = 2")
    broken = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert broken.exit_code == 1 and "#2" in broken.output


def test_auditor_reads_but_cannot_change(client: FlaskClient, token_for: Callable[[str], str], trail: int) -> None:
    auditor = token_for("auditor")
    events = client.get("/api/v1/audit", headers=bearer(auditor), query_string={"contract_id": trail}).json
    actions = [item["action"] for item in events["items"]]
    assert "contract.update" in actions and "contract.create" in actions
    update = next(item for item in events["items"] if item["action"] == "contract.update")
    assert update["details"]["changes"]["title"]["new"] == "改过的标题"
    assert update["actor"] == "admin@example.com" and update["ip"]
    filtered = client.get("/api/v1/audit", headers=bearer(auditor), query_string={"action": "version.download"}).json
    assert filtered["total"] == 1
    assert client.patch(f"/api/v1/contracts/{trail}", headers=bearer(auditor), json={"title": "x"}).status_code == 403
    viewer = token_for("viewer")
    assert client.get("/api/v1/audit", headers=bearer(viewer)).status_code == 403
    bad = client.get("/api/v1/audit", headers=bearer(auditor), query_string={"from": "yesterday"})
    assert bad.status_code == 422


def test_csv_export_and_verify_page(login: Callable[[str], FlaskClient], trail: int) -> None:
    browser = login("auditor")
    page = browser.get("/audit").get_data(as_text=True)
    assert "contract.update" in page
    export = browser.get("/audit/export.csv?action=contract.")
    text = export.get_data(as_text=True)
    assert export.mimetype == "text/csv" and text.startswith("\ufeffseq,at,actor")
    assert "改过的标题" in text and "auth.login" not in text
    assert 'data-chain="intact"' in browser.get("/audit/verify").get_data(as_text=True)
