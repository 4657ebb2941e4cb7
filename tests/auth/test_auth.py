from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import ApiToken, User
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, bearer, csrf_token_from, log_in


def test_login_and_logout(client: FlaskClient, make_user: Callable[..., User], app: Flask) -> None:
    make_user("viewer")
    response = log_in(client, "Viewer@Example.com")  # e-mail is case-insensitive
    assert response.status_code == 302
    page = client.get("/contracts")
    assert page.status_code == 200 and "Viewer User" in page.get_data(as_text=True)
    token = csrf_token_from(page.get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/contracts").status_code == 302
    with app.app_context():
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_wrong_password_is_refused_and_audited(client: FlaskClient, make_user: Callable[..., User], app: Flask) -> None:
    make_user("viewer")
    response = log_in(client, "viewer@example.com", "not the password")
    assert response.status_code == 401
    assert client.get("/contracts").status_code == 302
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="auth.login_failed").count() == 1


def test_login_is_throttled_after_repeated_failures(
    app_config: dict, make_user: Callable[..., User], app: Flask
) -> None:
    make_user("viewer")
    client = app.test_client()
    limit = app.extensions["pactum.settings"].login_max_failures
    for _ in range(limit):
        assert log_in(client, "viewer@example.com", "wrong password!").status_code == 401
    # Even the right password is refused while throttled, so guessing gains nothing.
    blocked = log_in(client, "viewer@example.com", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many" in blocked.get_data(as_text=True) or "次数过多" in blocked.get_data(as_text=True)


def test_open_redirect_after_login_is_refused(client: FlaskClient, make_user: Callable[..., User]) -> None:
    make_user("viewer")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": "viewer@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"  # the home page after log-in (dashboard or tasks, by role)


def test_forms_without_csrf_token_are_refused(login: Callable[[str], FlaskClient]) -> None:
    browser = login("admin")
    response = browser.post(
        "/admin/users", data={"email": "x@example.com", "role": "viewer", "password": "0123456789abc"}
    )
    assert response.status_code == 400
    api = browser.post("/api/v1/contracts", data={})  # session cookie, no CSRF header
    assert api.status_code == 400 and api.json["error"]["code"] == "csrf_failed"


def test_session_api_calls_work_with_the_csrf_header(login: Callable[[str], FlaskClient]) -> None:
    import io

    from tests.samples import pdf_bytes

    browser = login("editor")
    token = csrf_token_from(browser.get("/contracts/upload").get_data(as_text=True))
    response = browser.post(
        "/api/v1/contracts", headers={"X-CSRFToken": token}, data={"file": (io.BytesIO(pdf_bytes("via ui")), "ui.pdf")}
    )
    assert response.status_code == 201


def test_api_token_lifecycle(login: Callable[[str], FlaskClient], client: FlaskClient, app: Flask) -> None:
    browser = login("viewer")
    page = browser.get("/account/tokens")
    token = csrf_token_from(page.get_data(as_text=True))
    created = browser.post("/account/tokens", data={"name": "ERP", "csrf_token": token})
    html = created.get_data(as_text=True)
    import re

    secret = re.search(r"data-new-token>(pt_[^<]+)<", html).group(1)  # type: ignore[union-attr]
    # shown once: the list page afterwards has only the prefix
    assert secret not in browser.get("/account/tokens").get_data(as_text=True)
    with app.app_context():
        stored = db.session.query(ApiToken).one()
        assert secret not in (stored.token_hash, stored.prefix) and secret.startswith(stored.prefix)
        token_id = stored.id
    assert client.get("/api/v1/contracts", headers=bearer(secret)).status_code == 200
    browser.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
    revoked = client.get("/api/v1/contracts", headers=bearer(secret))
    assert revoked.status_code == 401 and revoked.json["error"]["code"] == "invalid_token"


def test_token_is_not_overridden_by_a_session(
    login: Callable[[str], FlaskClient], token_for: Callable[[str], str]
) -> None:
    """A request with a bearer token acts as the token's user, whatever cookie comes with it."""
    import io

    from tests.samples import pdf_bytes

    browser = login("admin")
    viewer_token = token_for("viewer")
    response = browser.post(
        "/api/v1/contracts", headers=bearer(viewer_token), data={"file": (io.BytesIO(pdf_bytes("x")), "x.pdf")}
    )
    assert response.status_code == 403


def test_bad_tokens_get_401(client: FlaskClient) -> None:
    for header in ("Bearer pt_nonsense", "Bearer something-else"):
        response = client.get("/api/v1/contracts", headers={"Authorization": header})
        assert response.status_code == 401
    assert client.get("/api/v1/contracts").json["error"]["code"] == "unauthenticated"


def test_language_switch_and_chinese_default(client: FlaskClient, make_user: Callable[..., User]) -> None:
    make_user("viewer")
    log_in(client, "viewer@example.com")
    chinese = client.get("/contracts", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert 'lang="zh-CN"' in chinese.get_data(as_text=True)
    client.get("/language/en?next=/contracts")
    english = client.get("/contracts", headers={"Accept-Language": "zh-CN"})
    assert 'lang="en"' in english.get_data(as_text=True)
    assert "Contracts" in english.get_data(as_text=True)


def test_admin_creates_and_deactivates_users(login: Callable[[str], FlaskClient], app: Flask) -> None:
    admin = login("admin")
    token = csrf_token_from(admin.get("/admin/users").get_data(as_text=True))
    admin.post(
        "/admin/users",
        data={
            "email": "new@example.com",
            "display_name": "新同事",
            "role": "signer",
            "password": "long enough pw",
            "csrf_token": token,
        },
    )
    with app.app_context():
        user = db.session.query(User).filter_by(email="new@example.com").one()
        assert user.role == "signer"
        user_id = user.id
        admin_id = db.session.query(User).filter_by(email="admin@example.com").one().id
    admin.post(f"/admin/users/{user_id}", data={"role": "viewer", "csrf_token": token})
    admin.post(f"/admin/users/{user_id}", data={"active": "0", "csrf_token": token})
    # the last administrator cannot remove themselves
    refused = admin.post(
        f"/admin/users/{admin_id}", data={"role": "viewer", "csrf_token": token}, follow_redirects=True
    )
    assert "at least one active administrator" in refused.get_data(as_text=True) or "至少" in refused.get_data(
        as_text=True
    )
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.role, user.active) == ("viewer", False)
        assert db.session.get(User, admin_id).role == "admin"
        actions = {e.action for e in db.session.query(AuditEvent)}
    assert {"user.create", "user.role_change", "user.deactivate"} <= actions
