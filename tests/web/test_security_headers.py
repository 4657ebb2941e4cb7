"""Security headers on every answer: a nonce-based Content-Security-Policy, no framing, no
sniffing, a same-origin referrer, HSTS only over TLS; and `pactum serve` does not name
gunicorn."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app import create_app
from tests.conftest import bearer, csrf_token_from
from tests.samples import txt_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "ui" / "templates"


def policy_of(response: object) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def assert_protected(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = policy_of(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers


def test_every_kind_of_answer_carries_the_headers(
    client: FlaskClient, login: Callable[..., FlaskClient], admin_token: str
) -> None:
    browser = login("editor")
    answers = [
        client.get("/login"),  # a page
        browser.get("/contracts"),
        browser.get("/contracts/999999"),  # an error page
        client.get("/api/v1/contracts", headers=bearer(admin_token)),  # JSON
        client.get("/api/v1/contracts"),  # 401
        client.get("/static/js/page-actions.js"),  # a static file
    ]
    for response in answers:
        assert_protected(response)
    assert answers[2].status_code == 404


def test_each_page_has_its_own_nonce_and_every_script_carries_it(login: Callable[..., FlaskClient]) -> None:
    browser = login("editor")
    nonces = []
    for _ in range(2):
        response = browser.get("/contracts/upload")
        nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)' 'wasm-unsafe-eval'", policy_of(response)["script-src"])
        assert nonce, policy_of(response)["script-src"]
        html = response.get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert len(scripts) >= 3
        assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts), scripts
        nonces.append(nonce.group(1))
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16


def test_no_template_uses_inline_event_handlers_or_javascript_urls() -> None:
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"\son[a-z]+\s*=|javascript:|<script(?![^>]*\bnonce=)[^>]*>", text, re.IGNORECASE):
            offending.append(f"{template.relative_to(TEMPLATES)}: {match.group()}")
    assert offending == []


def test_hsts_only_when_the_request_came_over_tls(app: Flask, client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://pactum.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_can_be_turned_off(tmp_path: Path) -> None:
    app = create_app({"data_dir": tmp_path, "hsts_max_age": 0, "check_schema": False, "testing": True})
    assert "Strict-Transport-Security" not in app.test_client().get("/login", base_url="https://x").headers


def test_search_snippets_show_markup_in_contract_text_as_text(login: Callable[..., FlaskClient]) -> None:
    browser = login("editor")
    token = csrf_token_from(browser.get("/contracts/upload").get_data(as_text=True))
    text = '保密条款 <img src=x onerror="alert(1)"> <script>alert(2)</script> 保密义务'
    created = browser.post(
        "/api/v1/contracts",
        data={"file": (io.BytesIO(txt_bytes(text)), "xss.txt")},
        headers={"X-CSRFToken": token},
    )
    assert created.status_code == 201
    page = browser.get("/search", query_string={"q": "保密"}).get_data(as_text=True)
    snippet = re.search(r'<p class="small mb-1 search-snippet">(.*?)</p>', page, re.DOTALL)
    assert snippet, page
    assert "&lt;img src=x onerror=" in snippet.group(1) and "&lt;script&gt;alert(2)" in snippet.group(1)
    assert "<img" not in snippet.group(1) and "<script" not in snippet.group(1)
    assert "<mark>保密</mark>" in snippet.group(1)


# --- the real server -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """`pactum serve` in a process of its own, on a copy of the migrated test database."""
    database = tmp_path / "pactum.sqlite3"
    shutil.copyfile(sqlite_template, database)
    port = _free_port()
    env = {
        **os.environ,
        "PACTUM_DATA_DIR": str(tmp_path / "var"),
        "PACTUM_DATABASE_URL": f"sqlite:///{database}",
        "PACTUM_SECRET_KEY": "test",
    }
    command = [sys.executable, "-m", "repo_app.cli", "serve", "--port", str(port), "--workers", "1", "--no-worker"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "serve stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("pactum serve did not start within a minute")


def test_pactum_serve_does_not_name_gunicorn(served: str) -> None:
    with urllib.request.urlopen(f"{served}/login") as response:
        assert response.status == 200
        assert "gunicorn" not in (response.headers.get("Server") or "").lower()
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
