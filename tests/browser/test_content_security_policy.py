"""The pages work under the Content-Security-Policy: no page reports a violation, the PDF
viewer still renders, confirmations and the sort menu still work without inline handlers,
and markup in a contract's text shows as text in search snippets."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.browser.test_upload_flow import log_in
from tests.conftest import bearer
from tests.samples import pdf_bytes

pytestmark = pytest.mark.browser

#: Marks a violation the page itself saw (inline script, handler, eval, framing of a resource…).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
PAYLOAD = 'Secret clause <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> confidential'


@pytest.fixture
def watched(page: Any) -> Iterator[tuple[Any, list[str]]]:
    """The tab, and every console error or CSP report it (or its workers) produced."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: problems.append(response.url) if response.status >= 400 else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page, problems


def _upload(client: FlaskClient, token: str, content: bytes, title: str) -> int:
    data = {"file": (io.BytesIO(content), "c.pdf"), "metadata": f'{{"title": "{title}"}}'}
    response = client.post("/api/v1/contracts", data=data, headers=bearer(token))
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _visit(page: Any, url: str, problems: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert violations == [] and problems == [], (url, violations, problems)


def test_main_pages_run_without_a_policy_violation(
    watched: tuple[Any, list[str]], live_server: str, client: FlaskClient, admin_token: str
) -> None:
    page, problems = watched
    contract_id = _upload(client, admin_token, pdf_bytes("Lease agreement under CSP"), "CSP 合同")
    log_in(page, live_server, "admin@example.com")
    pages = [
        "/tasks",
        "/contracts",
        "/contracts/upload",
        "/search?q=lease",
        "/audit",
        "/signatures/validate",
        "/admin/users",
        "/admin/webhooks",
        "/notifications",
        "/account/authenticator",
        "/api/v1/docs",
    ]
    for path in pages:
        _visit(page, f"{live_server}{path}", problems)
    _visit(page, f"{live_server}/contracts/{contract_id}", problems)
    page.wait_for_selector("[data-pdf-preview] canvas")  # pdf.js and its worker still run
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == [] and problems == []
    page.goto(f"{live_server}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info")  # Swagger UI still renders


def test_confirmations_and_the_sort_menu_work_without_inline_handlers(
    watched: tuple[Any, list[str]], live_server: str, client: FlaskClient, admin_token: str
) -> None:
    page, problems = watched
    contract_id = _upload(client, admin_token, pdf_bytes("Trash me later"), "待删除合同")
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/contracts/{contract_id}")
    delete = page.locator("form[data-confirm] button[type=submit]").first
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/contracts/{contract_id}")
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.wait_for_url(lambda url: not url.endswith(f"/contracts/{contract_id}"))
    assert client.get(f"/api/v1/contracts/{contract_id}", headers=bearer(admin_token)).status_code == 404

    page.goto(f"{live_server}/search?q=合同")
    page.select_option("select[data-autosubmit]", "-created")
    page.wait_for_url("**sort=-created**")
    assert page.evaluate("window.__cspViolations") == [] and problems == []


def test_markup_in_a_contracts_text_shows_as_text_in_search_snippets(
    watched: tuple[Any, list[str]], live_server: str, client: FlaskClient, admin_token: str
) -> None:
    page, _problems = watched
    _upload(client, admin_token, pdf_bytes(PAYLOAD), "XSS 合同")
    log_in(page, live_server, "admin@example.com")
    page.goto(f"{live_server}/search?q=confidential")
    snippet = page.locator(".search-snippet").first
    snippet.wait_for()
    assert '<img src=x onerror="window.__xss=1">' in snippet.inner_text()
    assert "<script>window.__xss=2</script>" in snippet.inner_text()
    assert snippet.locator("img, script").count() == 0
    assert snippet.locator("mark").count() >= 1
    assert page.evaluate("window.__xss") is None
