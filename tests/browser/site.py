"""A small, realistic Pactum for the layout guard and the guide's screenshots: the workflow test
organisation (departments, managers, approval workflows), an auditor and a signer, contracts with
PDFs in Chinese, one of them awaiting approval, and the list of the main pages to visit."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.services import create_token
from repo_app.contracts import custom_fields
from repo_app.core.extensions import db
from repo_app.drafting.models import Template
from repo_app.drafting.starter import load_starter
from repo_app.workflows import services as approvals
from repo_app.workflows.models import Workflow, WorkflowLevel
from tests.conftest import PASSWORD, bearer
from tests.lifecycle.conftest import contract, user
from tests.lifecycle.helpers import organisation
from tests.signer.support import make_contract_pdf


@dataclass(frozen=True)
class Page:
    """A main page: its name (also the guide's screenshot name), its path, who looks at it."""

    name: str
    path: str
    email: str | None = "admin@example.com"  # None: logged out
    #: Waits for this selector before measuring (a page that renders in the browser).
    ready: str | None = None
    #: What must start on the first screen, without scrolling (the page's main content).
    first_screen: str | None = None


@dataclass
class Site:
    contract_id: int
    approval_id: int
    workflow_id: int
    counterparty_id: int = 0
    template_id: int = 0
    pages: list[Page] = field(default_factory=list)


CONTRACTS = (
    # title, counterparties, amount, currency, type, tags
    (
        "上海浦江机电设备采购框架合同",
        ["上海浦江机电有限公司", "杭州西湖设备有限公司"],
        "1280000",
        "CNY",
        "purchase",
        ["采购", "框架"],
    ),
    (
        "Warehouse lease agreement (Pudong logistics park)",
        ["Pudong Logistics Park Co., Ltd."],
        "96000",
        "USD",
        "lease",
        ["lease"],
    ),
    ("技术保密协议", ["北京示例科技有限公司"], None, "CNY", "nda", ["保密"]),
)

LEVEL_NAMES = {"Department": "部门负责人审核（含分管副总经理会签）", "Legal": "法务合规审查"}


def build(app: Flask, client: FlaskClient, make_user: Any) -> Site:
    """Fill the app with the organisation and contracts; answer the ids the pages need."""
    with app.app_context():
        organisation(make_user)
        make_user("auditor", email="auditor@example.com", department="法务部")
        make_user("signer", email="signer@example.com", department="法务部")
        make_user("viewer", email="viewer@example.com", department="上海分公司")
        # A long name, as people have: the menu must still fit on one line.
        user("admin@example.com").display_name = "Administrator Wang Xiaoming (IT)"
        token = create_token(user("owner@example.com"), "site")[1]
        custom_fields.save_field(
            user("admin@example.com"),
            "region",
            {
                "kind": "select",
                "label_zh": "所属区域",
                "label_en": "Region",
                "options": ["华东", "华北", "华南"],
                "filterable": True,
                "help_zh": "合同履行的主要区域",
                "help_en": "Where the contract is mainly performed",
            },
        )
        db.session.commit()
    ids = [_upload(client, token, number, *row) for number, row in enumerate(CONTRACTS, start=1)]
    _comment(client, token, ids[0], CONTRACTS[0][0])
    with app.app_context():
        # Level names as people write them: long, in Chinese (they must not squeeze into a column).
        for level in db.session.scalars(sa.select(WorkflowLevel).join(Workflow).where(Workflow.name == "Standard")):
            level.name = LEVEL_NAMES.get(level.name, level.name)
        db.session.commit()
        approval = approvals.submit(user("owner@example.com"), contract(ids[0]), "请审批采购框架合同")
        db.session.commit()
        workflow_id = db.session.scalar(sa.select(Workflow.id).where(Workflow.name == "Standard"))
        approval_id = approval.id
    with app.app_context():
        load_starter(user("admin@example.com"))
        db.session.commit()
        template_id = db.session.scalar(sa.select(Template.id).where(Template.starter_key == "purchase_zh"))
    site = Site(contract_id=ids[0], approval_id=approval_id, workflow_id=workflow_id, template_id=template_id)
    with app.app_context():
        site.counterparty_id = _money(ids[0])
        db.session.commit()
    site.pages = main_pages(site)
    return site


def _upload(
    client: FlaskClient,
    token: str,
    number: int,
    title: str,
    parties: list[str],
    amount: str | None,
    currency: str,
    kind: str,
    tags: list[str],
) -> int:
    metadata = {
        "title": title,
        "contract_number": f"HT-2025-{number:04d}",
        "counterparties": parties,
        "amount": amount,
        "currency": currency,
        "contract_type": kind,
        "tags": tags,
        "signed_date": date(2025, 3, number).isoformat(),
        "effective_date": date(2025, 4, 1).isoformat(),
        "expiry_date": date(2027, 3, 31).isoformat(),
    }
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={
            "file": (io.BytesIO(make_contract_pdf(3, title=title)), f"{title}.pdf"),
            "metadata": json.dumps({k: v for k, v in metadata.items() if v is not None}, ensure_ascii=False),
        },
    )
    assert response.status_code == 201, response.json
    contract_id: int = response.json["id"]
    return contract_id


def _money(contract_id: int) -> int:
    """A payment plan with a partial payment on the first contract, and its counterparty's
    directory details; answers that counterparty's id."""
    from repo_app.money import directory, services

    admin, found = user("admin@example.com"), contract(contract_id)
    party = found.parties[0].counterparty
    directory.save(
        admin,
        party,
        {
            "name_en": "Shanghai Pujiang Electromechanical Co., Ltd.",
            "address": "上海市闵行区浦江镇江月路 1500 号",
            "contacts": [
                {"name": "李建国", "role": "销售总监", "email": "li.jianguo@example.com", "phone": "021-5555 0101"}
            ],
            "tags": ["供应商", "机电"],
        },
    )
    advance = services.save_instalment(
        admin, found, None, {"percent": "30", "due_rule": "effective", "offset_days": 15, "condition": "预付款"}
    )
    services.save_instalment(
        admin, found, None, {"amount": "800000", "due_date": "2025-09-30", "condition": "到货验收合格后 30 日内"}
    )
    services.record_payment(
        admin, found, advance, {"amount": "200000", "paid_on": "2025-04-20", "reference": "CMB20250420001"}
    )
    return party.id


def _comment(client: FlaskClient, token: str, contract_id: int, quote: str) -> None:
    """A comment thread with a reply on the contract page, as reviewers leave them."""
    body = {"body": "请法务确认本合同的违约责任与争议解决条款是否符合公司标准文本 @auditor@example.com", "quote": quote}
    thread = client.post(f"/api/v1/contracts/{contract_id}/comments", headers=bearer(token), json=body)
    assert thread.status_code == 201, thread.json
    reply = {"body": "已核对，建议将仲裁机构改为上海国际仲裁中心。"}
    answered = client.post(f"/api/v1/comments/{thread.json['id']}/replies", headers=bearer(token), json=reply)
    assert answered.status_code == 201, answered.json


def main_pages(site: Site) -> list[Page]:
    cid = site.contract_id
    return [
        Page("login", "/login", email=None),
        Page("tasks", "/tasks", email="regional@example.com"),
        Page("approve", f"/approvals/{site.approval_id}", email="regional@example.com"),
        Page("dashboard", "/dashboard", ready="canvas[data-chart]"),
        Page(
            "reports",
            "/reports?group1=contract_type&group2=cf.region&measure=count&measure=sum:amount",
            ready="canvas[data-report-chart]",
        ),
        Page("contracts", "/contracts"),
        Page("contract", f"/contracts/{cid}", ready="[data-pdf-preview] canvas", first_screen="[data-pdf-preview]"),
        Page("search", "/search?q=合同", ready=".search-hit"),
        Page("upload", "/contracts/upload"),
        Page("counterparties", "/counterparties"),
        Page("counterparty", f"/counterparties/{site.counterparty_id}"),
        Page("balances", "/money/balances"),
        Page("statements", "/money/statements"),
        Page("instalments", "/money/instalments?open=1"),
        Page("sign", f"/contracts/{cid}/sign", email="admin@example.com", ready="[data-pdf-preview] canvas"),
        Page("audit", "/audit", email="auditor@example.com"),
        Page("users", "/admin/users"),
        Page("organisation", "/admin/organisation"),
        Page("contract-types", "/admin/contract-types"),
        Page("custom-fields", "/admin/custom-fields"),
        Page("workflows", "/admin/workflows"),
        Page("workflow", f"/admin/workflows/{site.workflow_id}"),
        Page("routing", "/admin/routing"),
        Page("review-checklist", "/admin/review-checklist"),
        Page("webhooks", "/admin/webhooks"),
        Page("account", "/account/password"),
        Page("tokens", "/account/tokens"),
        Page("notification-settings", "/account/notifications"),
        Page("help", "/help"),
        Page("templates", "/templates"),
        Page("template", f"/templates/{site.template_id}"),
        Page("draft", f"/templates/{site.template_id}/draft", email="owner@example.com"),
        Page("bulk-drafting", f"/templates/{site.template_id}/bulk", email="owner@example.com"),
        Page("clauses", "/clauses"),
    ]


def log_in(page: Any, base: str, email: str) -> None:
    """Log ``page`` in as ``email`` (its own context: cookies are per user)."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/(dashboard|tasks)$"), timeout=60_000)  # two workers, two cores
