"""A small archive for the reports tests: three contracts, one of them confidential, one
outside the sales department; statuses set as the lifecycle would have moved them."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core import clock
from repo_app.core.extensions import db
from tests.conftest import bearer, ensure_department
from tests.samples import pdf_bytes

PURCHASE_TITLE = "办公设备采购合同"
SALES_TITLE = "华东区销售框架合同（保密）"
LEASE_TITLE = "浦东办公室租赁合同"


def _upload(client: FlaskClient, token: str, text: str, metadata: dict[str, Any]) -> int:
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(pdf_bytes(text)), "c.pdf"), "metadata": json.dumps(metadata, ensure_ascii=False)},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return int(response.json["id"])


def set_status(app: Flask, contract_id: int, status: str) -> None:
    """Put a contract in ``status`` directly (as the lifecycle would) and refresh its index entry."""
    from repo_app.contracts.models import Contract
    from repo_app.search.indexing import refresh_contract

    with app.app_context():
        db.session.get(Contract, contract_id).status = status
        db.session.commit()
        refresh_contract(contract_id)


@pytest.fixture
def archive(app: Flask, client: FlaskClient, admin_token: str) -> dict[str, int]:
    with app.app_context():
        ensure_department("销售部")
        db.session.commit()
        today = clock.today()
    ids = {
        "purchase": _upload(
            client,
            admin_token,
            "office equipment purchase",
            {
                "title": PURCHASE_TITLE,
                "contract_number": "CG-2025-001",
                "contract_type": "purchase",
                "department": "销售部",
                "amount": "12345.67",
                "currency": "CNY",
                "signed_date": today.isoformat(),
                "effective_date": today.isoformat(),
                "expiry_date": (today + timedelta(days=20)).isoformat(),
                "counterparties": ["北京华为科技有限公司", "Acme Ltd."],
                "tags": ["年度"],
            },
        ),
        "sales": _upload(
            client,
            admin_token,
            "sales framework",
            {
                "title": SALES_TITLE,
                "contract_type": "sales",
                "department": "销售部",
                "amount": "500000",
                "currency": "CNY",
            },
        ),
        "lease": _upload(
            client,
            admin_token,
            "office lease",
            {"title": LEASE_TITLE, "contract_type": "lease", "amount": "80000", "currency": "USD"},
        ),
    }
    secret = client.put(
        f"/api/v1/contracts/{ids['sales']}/access",
        headers=bearer(admin_token),
        json={"confidential": True, "grants": []},
    )
    assert secret.status_code == 200, secret.get_data(as_text=True)
    set_status(app, ids["purchase"], "in_force")
    return ids


@pytest.fixture
def sales_clerk(login: Callable[..., FlaskClient]) -> FlaskClient:
    """A member of the sales department: reads its contracts, except the confidential one."""
    return login("editor", department="销售部")


def fetch_result(client: FlaskClient, url: str) -> Any:
    """An export is written by a job: the first answer waits for it (202 and the state URL);
    the test queue runs jobs at once, so the state is done and the same URL gives the file."""
    first = client.get(url)
    if first.status_code != 202:
        return first
    status_url = re.search(r'data-status-url="([^"]+)"', first.get_data(as_text=True))
    assert status_url is not None
    state = client.get(html.unescape(status_url.group(1)))
    assert state.status_code == 200 and state.json["status"] == "done", state.json
    return client.get(url)
