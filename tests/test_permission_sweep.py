"""A permission sweep that cannot go stale: every GET route about one contract, taken from the
app's ``url_map`` at test time, asked by users who may not read the contract (each must answer
404, exactly as for a contract that does not exist) and by users who may (each must work).

A new route with ``<int:contract_id>`` in its path is swept the day it is added. A new kind of
path argument fails the sweep until ``PATH_VALUES`` says what to put there.
"""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from repo_app.auth.roles import Permission, role_allows
from repo_app.core.extensions import db
from tests.conftest import bearer, ensure_department, log_in
from tests.samples import pdf_bytes

API_PREFIX = "/api/v1"
MISSING = 999_999
#: What to put in path arguments besides the contract id: the swept contracts have two versions.
PATH_VALUES = {"number": "1", "old": "1", "new": "2", "payment_id": "1", "invoice_id": "1"}
#: Query strings worth a request of their own (endpoint → variants; "" is the plain request).
VARIANTS: dict[str, tuple[str, ...]] = {
    "api.version_file": ("", "inline=1"),  # download and preview
    "api.signatures": ("", "format=pdf", "refresh=1"),  # JSON report, PDF report, re-validation
    "contracts.compare": ("", "a=1&b=2", "view=side"),
    "contracts.compare_pdf": ("", "a=2&b=1"),
}
#: Routes about one contract that take its id as the query parameter ``contract_id`` (the
#: contract's own audit history and its exports). They are for the audit role; the sweep
#: checks that they never show a contract's events to an auditor who may not read it.
QUERY_SCOPED = ("api.audit_events", "audit.trail", "audit.export_csv", "audit.export_pdf")
#: Routes that need more than reading: a reader whose *role* lacks the permission may get 403
#: there (and only there). Keep it to what the route's own access check asks for.
NEEDS_MORE_THAN_READ: dict[str, Permission] = {
    "contracts.edit": Permission.CONTRACT_EDIT,
    "signing.sign_page": Permission.CONTRACT_SIGN,
    "drafting.save_as_template": Permission.TEMPLATE_MANAGE,
    **{endpoint: Permission.AUDIT_READ for endpoint in QUERY_SCOPED},
}
#: Routes a reader may see answer 4xx because they need something the sweep cannot supply
#: (endpoint → (status, why)). Keep this short; every entry needs its reason.
READER_ALLOWED_4XX: dict[str, tuple[int, str]] = {
    "api.payment_receipt": (404, "the swept contracts have no payments, so no receipt"),
    "money.receipt": (404, "the swept contracts have no payments, so no receipt"),
    "api.get_invoice": (404, "the swept contracts have no invoices"),
    "api.invoice_file": (404, "the swept contracts have no invoices, so no invoice file"),
    "invoices.file": (404, "the swept contracts have no invoices, so no invoice file"),
    "api.version_preview": (
        404,
        "the sweep's versions are PDFs: only Word, ODT, RTF and DOC versions have a rendition",
    ),
    "api.mention_candidates": (
        403,
        "the people one may @mention are for those who may comment (an auditor only reads)",
    ),
}

# Organisation: 集团 ⊃ 华东区 ⊃ 上海分公司; 华南区 separately.
USERS = {
    "owner": ("editor", "上海分公司"),
    "outsider": ("editor", "华南区"),
    "manager": ("manager", "华东区"),  # manages everything of 上海分公司
    "auditor": ("auditor", None),
    "granted_auditor": ("auditor", None),  # reads the confidential contract through a grant
    "admin": ("admin", None),
}
TITLES = {
    "plain": "普通采购合同 sweep-plain",
    "confidential": "机密并购协议 sweep-secret",
    "trashed": "已删除合同 sweep-trashed",
}
#: (user, contract) pairs where the user may not read the contract.
OUTSIDERS = [("outsider", "plain"), ("auditor", "confidential"), ("manager", "confidential"), ("owner", "trashed")]
#: (user, contract) pairs where the user may read the contract.
#: (Admins see a trashed contract on its page only, to restore it; the trash is not swept as readable.)
READERS = [
    ("manager", "plain"),
    ("auditor", "plain"),
    ("owner", "confidential"),
    ("granted_auditor", "confidential"),
    ("admin", "confidential"),
]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "ca_key_type": "ec-p256"}  # fast keys for the signature report's signing


@dataclass(frozen=True)
class Swept:
    endpoint: str
    rule: Rule
    query: str = ""  # with {id} where the contract id goes

    @property
    def api(self) -> bool:
        return self.rule.rule.startswith(API_PREFIX + "/")

    def url(self, contract_id: int) -> str:
        values = {name: PATH_VALUES[name] for name in self.rule.arguments if name != "contract_id"}
        if "contract_id" in self.rule.arguments:
            values["contract_id"] = str(contract_id)
        built = self.rule.build(values, append_unknown=False)
        assert built is not None, f"{self.rule.rule} cannot be built from {values}"
        path = built[1]
        return f"{path}?{self.query.format(id=contract_id)}" if self.query else path


@dataclass
class World:
    tokens: dict[str, str]
    browsers: dict[str, FlaskClient]
    ids: dict[str, int]
    roles: dict[str, str]

    def get(self, who: str, swept: Swept, contract_id: int) -> Any:
        if swept.api:
            return self.browsers["anonymous"].get(swept.url(contract_id), headers=bearer(self.tokens[who]))
        return self.browsers[who].get(swept.url(contract_id))


def _check_fillable(rule: Rule) -> None:
    unknown = set(rule.arguments) - {"contract_id"} - set(PATH_VALUES)
    assert not unknown, f"{rule.rule}: the sweep does not know what to put in {sorted(unknown)}; add it to PATH_VALUES"


def contract_routes(app: Flask) -> list[Swept]:
    """Every GET route whose path names a contract, with its query variants."""
    swept = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or "contract_id" not in rule.arguments:
            continue
        _check_fillable(rule)
        swept.extend(Swept(rule.endpoint, rule, query) for query in VARIANTS.get(rule.endpoint, ("",)))
    return sorted(swept, key=lambda item: (item.rule.rule, item.query))


def query_scoped_routes(app: Flask) -> list[Swept]:
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    missing = [endpoint for endpoint in QUERY_SCOPED if endpoint not in rules]
    assert not missing, f"QUERY_SCOPED names routes that do not exist: {missing}"
    return [Swept(endpoint, rules[endpoint], "contract_id={id}") for endpoint in QUERY_SCOPED]


@pytest.fixture
def world(app: Flask, client: FlaskClient, make_user: Callable[..., Any]) -> World:
    from repo_app.auth.services import create_token
    from repo_app.signing.keys import init_ca

    with app.app_context():
        ensure_department("集团")
        ensure_department("华东区", parent="集团")
        ensure_department("上海分公司", parent="华东区")
        ensure_department("华南区", parent="集团")
        init_ca()  # the signature report PDF is signed with the organisation's key
        db.session.commit()
    tokens, browsers = {}, {"anonymous": client}
    for name, (role, department) in USERS.items():
        user = make_user(role, email=f"{name}@example.com", department=department)
        with app.app_context():
            tokens[name] = create_token(db.session.merge(user), "sweep")[1]
            db.session.commit()
        browsers[name] = app.test_client()
        assert log_in(browsers[name], user.email).status_code == 302
    ids = {key: _contract_with_two_versions(client, tokens["owner"], key) for key in TITLES}
    confidential = client.put(
        f"/api/v1/contracts/{ids['confidential']}/access",
        headers=bearer(tokens["owner"]),
        json={
            "confidential": True,
            "grants": [{"grantee_type": "user", "grantee": "granted_auditor@example.com", "level": "read"}],
        },
    )
    assert confidential.status_code == 200, confidential.json
    assert client.delete(f"/api/v1/contracts/{ids['trashed']}", headers=bearer(tokens["manager"])).status_code == 204
    return World(tokens, browsers, ids, {name: role for name, (role, _dept) in USERS.items()})


def _contract_with_two_versions(client: FlaskClient, owner_token: str, key: str) -> int:
    created = client.post(
        "/api/v1/contracts",
        headers=bearer(owner_token),
        data={
            "file": (io.BytesIO(pdf_bytes(f"sweep {key} version one")), f"{key}-1.pdf"),
            "metadata": json.dumps({"title": TITLES[key]}),
        },
    )
    assert created.status_code == 201, created.json
    contract_id: int = created.json["id"]
    second = client.post(
        f"/api/v1/contracts/{contract_id}/versions",
        headers=bearer(owner_token),
        data={"file": (io.BytesIO(pdf_bytes(f"sweep {key} version two, changed")), f"{key}-2.pdf")},
    )
    assert second.status_code == 201, second.json
    return contract_id


def _status(world: World, who: str, swept: Swept, contract_id: int) -> tuple[int, Any]:
    """The status code, or 500 with the exception when the route raised (testing propagates it)."""
    try:
        response = world.get(who, swept, contract_id)
    except Exception as error:  # noqa: BLE001 - a crash is what the sweep reports, not a test error
        return 500, error
    return response.status_code, response


def _text_of(response: Any) -> str:
    if response.mimetype == "application/pdf":
        return subprocess.run(
            ["pdftotext", "-", "-"], input=response.get_data(), capture_output=True, check=True
        ).stdout.decode()
    return response.get_data(as_text=True)


def test_the_sweep_finds_the_routes_it_should(app: Flask) -> None:
    """A guard against a sweep that silently sweeps nothing (e.g. a renamed converter)."""
    endpoints = {swept.endpoint for swept in contract_routes(app)}
    assert {
        "api.get_contract",
        "api.version_file",
        "api.compare_versions",
        "api.contract_lineage",
        "api.signatures",
        "api.similar",
        "api.approval_state",
        "api.contract_access",
        "contracts.detail",
        "contracts.compare",
        "contracts.compare_pdf",
        "contracts.lineage_page",
        "signing.sign_page",
    } <= endpoints


def test_a_contract_one_may_not_read_is_not_found_everywhere(app: Flask, world: World) -> None:
    """Every (user, contract) pair of OUTSIDERS, in one world (built once: it is the slow part)."""
    wrong = []
    for who, key in OUTSIDERS:
        contract_id = world.ids[key]
        for swept in contract_routes(app):
            status, detail = _status(world, who, swept, contract_id)
            missing_status, _missing = _status(world, who, swept, MISSING)
            if status != 404 or missing_status != 404:
                wrong.append(
                    f"{who} on {key}: {swept.url(contract_id)}: {status} (missing id: {missing_status}) {detail!r:.200}"
                )
    assert wrong == [], "\n".join(wrong)


AUDIT_PAIRS = [pair for pair in OUTSIDERS + READERS if role_allows(USERS[pair[0]][0], Permission.AUDIT_READ)]


def test_audit_history_of_a_contract_shows_only_what_one_may_read(app: Flask, world: World) -> None:
    """The contract's own audit trail (page, API, CSV, PDF): its events for readers; for others
    the same answer as for a contract id that does not exist — no events, no title."""
    for who, key in AUDIT_PAIRS:
        _check_audit_history(app, world, who, key)


def _check_audit_history(app: Flask, world: World, who: str, key: str) -> None:
    contract_id, readable = world.ids[key], (who, key) in READERS
    for swept in query_scoped_routes(app):
        status, response = _status(world, who, swept, contract_id)
        if status == 202:  # the PDF is made by a job (the test queue runs it at once): ask again
            status, response = _status(world, who, swept, contract_id)
        assert status == 200, f"{swept.url(contract_id)}: {status} {response!r:.300}"
        text = "".join(_text_of(response).split())  # a PDF table cell may break the title anywhere
        assert ("".join(TITLES[key].split()) in text) is readable, f"{swept.url(contract_id)} as {who}"
        if swept.api:
            assert (response.json["total"] > 0) is readable
            assert all(item["contract_id"] == contract_id for item in response.json["items"])


def test_audit_history_is_for_the_audit_role_whatever_the_contract(app: Flask, world: World) -> None:
    """Without the audit role the answer is 403 for every id, so it tells nothing about the contract."""
    for swept in query_scoped_routes(app):
        assert _status(world, "manager", swept, world.ids["plain"])[0] == 403
        assert _status(world, "manager", swept, MISSING)[0] == 403


def test_a_contract_one_may_read_answers_everywhere(app: Flask, world: World) -> None:
    """Every (user, contract) pair of READERS, in one world."""
    wrong = []
    for who, key in READERS:
        wrong.extend(f"{who} on {key}: {line}" for line in _refused_reads(app, world, who, key))
    assert wrong == [], "\n".join(wrong)


def _refused_reads(app: Flask, world: World, who: str, key: str) -> list[str]:
    contract_id, role = world.ids[key], world.roles[who]
    wrong = []
    for swept in contract_routes(app):
        status, detail = _status(world, who, swept, contract_id)
        if 200 <= status < 400:
            location = getattr(detail, "location", None) or ""
            if "/login" not in location:
                continue
        needed = NEEDS_MORE_THAN_READ.get(swept.endpoint)
        if status == 403 and needed is not None and not role_allows(role, needed):
            continue  # the role, not the contract, says no
        if READER_ALLOWED_4XX.get(swept.endpoint, (None,))[0] == status:
            continue
        wrong.append(f"{swept.url(contract_id)}: {status} {_describe(detail)}")
    return wrong


def _describe(detail: Any) -> str:
    if isinstance(detail, Exception):
        return repr(detail)[:300]
    return detail.get_data(as_text=True)[:300].replace("\n", " ")


def test_a_purged_contract_keeps_its_trail_and_a_confidential_one_for_admins_only(world: World) -> None:
    api, admin = world.browsers["anonymous"], bearer(world.tokens["admin"])
    for key in ("plain", "confidential"):
        contract_id = world.ids[key]
        assert api.delete(f"/api/v1/contracts/{contract_id}", headers=admin).status_code == 204
        assert api.post(f"/api/v1/contracts/{contract_id}/purge", headers=admin).status_code == 200

    def trail(who: str, contract_id: int) -> list[str]:
        answer = api.get(
            "/api/v1/audit",
            headers=bearer(world.tokens[who]),
            query_string={"contract_id": contract_id, "per_page": 100},
        )
        assert answer.status_code == 200
        return [item["action"] for item in answer.json["items"]]

    assert "contract.purge" in trail("auditor", world.ids["plain"])  # nothing left to hide
    for who in ("auditor", "granted_auditor"):  # the access list went with the contract
        assert trail(who, world.ids["confidential"]) == []
        everything = api.get("/api/v1/audit", headers=bearer(world.tokens[who]), query_string={"per_page": 100})
        assert TITLES["confidential"] not in everything.get_data(as_text=True)
    assert "contract.purge" in trail("admin", world.ids["confidential"])
