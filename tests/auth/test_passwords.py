"""Passwords: the policy, changing one's own, an administrator's reset, and reset by e-mail link."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import ApiToken, User
from repo_app.core import clock
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, bearer, csrf_token_from, log_in
from tests.lifecycle.conftest import Mailbox, smtp_server  # noqa: F401  (the SMTP server fixture)

NEW_PASSWORD = "plum tree in winter 7"


def _csrf(client: FlaskClient, page: str = "/login") -> str:
    return csrf_token_from(client.get(page).get_data(as_text=True))


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return [event.action for event in db.session.query(AuditEvent).order_by(AuditEvent.id)]


# --- policy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("          ", "only spaces"),
        ("short1!", "at least 10 characters"),
        ("aaaaaaaaaa", "repeated"),
        ("abcabcabcabc", "repeated"),
        ("1234567890", "run of letters"),
        ("0987654321", "run of letters"),
        ("qwertyuiop", "run of letters"),
        ("Password123!", "most common"),
        ("p@ssw0rd2024", "most common"),
        ("woaini5201314", "most common"),
        ("abcd1234!!", "most common"),
        ("newcomer-2026-x", "name of your e-mail address"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    login: Callable[[str], FlaskClient], password: str, reason: str
) -> None:
    admin = login("admin")
    response = admin.post(
        "/admin/users",
        data={
            "email": "newcomer@example.com",
            "role": "viewer",
            "password": password,
            "csrf_token": _csrf(admin, "/admin/users"),
        },
    )
    assert reason in response.get_data(as_text=True)
    assert "newcomer@example.com created" not in response.get_data(as_text=True)


def test_the_policy_speaks_chinese(login: Callable[[str], FlaskClient]) -> None:
    viewer = login("viewer")
    viewer.get("/language/zh_CN")
    response = viewer.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "1234567890",
            "new_password_again": "1234567890",
            "csrf_token": _csrf(viewer, "/account/password"),
        },
    )
    assert response.status_code == 422
    assert "连续" in response.get_data(as_text=True)


def test_the_minimum_length_is_a_setting(app_config: dict[str, Any]) -> None:
    from repo_app import create_app
    from repo_app.auth import password_policy

    app_config["password_min_length"] = 16
    app = create_app(app_config)
    with app.test_request_context():
        assert password_policy.problems("plum tree 7 x") == ["The password must have at least 16 characters."]
        assert password_policy.problems("plum tree in winter 7") == []
    with app.app_context():
        db.engine.dispose()


# --- change ------------------------------------------------------------------------------------


def _change(client: FlaskClient, current: str, new: str, again: str | None = None) -> Any:
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_again": new if again is None else again,
            "csrf_token": _csrf(client, "/account/password"),
        },
    )


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    app: Flask, make_user: Callable[..., User], token_for: Callable[[str], str]
) -> None:
    make_user("viewer")
    here, there = app.test_client(), app.test_client()
    log_in(here, "viewer@example.com")
    log_in(there, "viewer@example.com")
    response = _change(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert here.get("/contracts").status_code == 200
    assert there.get("/contracts").status_code == 302
    assert log_in(app.test_client(), "viewer@example.com", PASSWORD).status_code == 401
    assert log_in(app.test_client(), "viewer@example.com", NEW_PASSWORD).status_code == 302
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="auth.password_change").one()
        assert event.actor_email == "viewer@example.com" and event.details["sessions_ended"] == 1


def test_api_tokens_survive_the_users_own_password_change(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    from repo_app.auth.services import create_token

    user = make_user("viewer")
    with app.app_context():
        _row, secret = create_token(db.session.merge(user), "ERP")
        db.session.commit()
    log_in(client, "viewer@example.com")
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 302
    assert client.get("/api/v1/contracts", headers=bearer(secret)).status_code == 200


def test_a_wrong_current_password_is_refused_audited_and_counted(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    log_in(client, "viewer@example.com")
    refused = _change(client, "not my password", NEW_PASSWORD)
    assert refused.status_code == 422 and "current password is wrong" in refused.get_data(as_text=True)
    assert "auth.password_change_refused" in _actions(app)
    for _ in range(app.extensions["pactum.settings"].login_max_failures - 1):
        _change(client, "not my password", NEW_PASSWORD)
    assert _change(client, PASSWORD, NEW_PASSWORD).status_code == 429  # no guessing through this form
    assert "auth.password_change" not in _actions(app)


def test_new_passwords_that_differ_or_break_the_policy_change_nothing(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    log_in(client, "viewer@example.com")
    assert _change(client, PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x").status_code == 422
    weak = _change(client, PASSWORD, "aaaaaaaaaaaa")
    assert weak.status_code == 422 and "repeated" in weak.get_data(as_text=True)
    assert "auth.password_change" not in _actions(app)
    assert log_in(app.test_client(), "viewer@example.com", PASSWORD).status_code == 302


def test_the_account_menu_and_the_log_in_page_link_the_password_pages(
    client: FlaskClient, login: Callable[[str], FlaskClient]
) -> None:
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
    assert 'href="/account/password"' in login("viewer").get("/contracts").get_data(as_text=True)


# --- administrator's reset ---------------------------------------------------------------------


def _user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return int(db.session.query(User.id).filter_by(email=email).scalar())


def test_an_admin_sets_a_temporary_password(
    app: Flask, login: Callable[[str], FlaskClient], token_for: Callable[[str], str]
) -> None:
    secret = token_for("viewer")
    victim = app.test_client()
    log_in(victim, "viewer@example.com")
    admin = login("admin")
    user_id = _user_id(app, "viewer@example.com")
    done = admin.post(
        f"/admin/users/{user_id}/password",
        data={"new_password": "temporary plum 42", "csrf_token": _csrf(admin, "/admin/users")},
        follow_redirects=True,
    )
    assert "password of viewer@example.com is set" in done.get_data(as_text=True)
    assert victim.get("/contracts").status_code == 302  # the sessions ended
    assert app.test_client().get("/api/v1/contracts", headers=bearer(secret)).status_code == 401  # tokens revoked
    assert log_in(app.test_client(), "viewer@example.com", "temporary plum 42").status_code == 302
    with app.app_context():
        assert db.session.query(ApiToken).one().revoked_at is not None
        event = db.session.query(AuditEvent).filter_by(action="user.password_reset").one()
        assert event.actor_email == "admin@example.com" and event.details["target_user"] == user_id


def test_only_admins_reset_passwords_and_the_policy_applies(
    app: Flask, login: Callable[[str], FlaskClient], make_user: Callable[..., User]
) -> None:
    make_user("editor")
    user_id = _user_id(app, "editor@example.com")
    manager = login("manager")
    refused = manager.post(
        f"/admin/users/{user_id}/password",
        data={"new_password": "temporary plum 42", "csrf_token": _csrf(manager, "/contracts")},
    )
    assert refused.status_code == 403
    admin = login("admin")
    weak = admin.post(
        f"/admin/users/{user_id}/password",
        data={"new_password": "1234567890", "csrf_token": _csrf(admin, "/admin/users")},
        follow_redirects=True,
    )
    assert "run of letters" in weak.get_data(as_text=True)
    assert log_in(app.test_client(), "editor@example.com", PASSWORD).status_code == 302


# --- reset by e-mail ---------------------------------------------------------------------------


@pytest.fixture
def mail(app_config: dict[str, Any], smtp_server: Mailbox) -> Mailbox:  # noqa: F811
    app_config.update(smtp_url=smtp_server.url, base_url="https://pactum.example.com")
    return smtp_server


def _ask_for_link(client: FlaskClient, email: str) -> Any:
    return client.post("/password/forgot", data={"email": email, "csrf_token": _csrf(client, "/password/forgot")})


def _link_in(message: Any) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https://pactum\.example\.com(/password/reset/\S+)", text)
    assert match, text
    return match.group(1)


def _set_by_link(client: FlaskClient, path: str, password: str) -> Any:
    token = _csrf(client)
    return client.post(path, data={"new_password": password, "new_password_again": password, "csrf_token": token})


def test_a_reset_link_sets_a_new_password_once(
    mail: Mailbox, app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    logged_in = app.test_client()
    log_in(logged_in, "viewer@example.com")
    answer = _ask_for_link(client, "Viewer@example.com")
    assert answer.status_code == 302
    assert len(mail.messages) == 1 and mail.messages[0]["To"].addresses[0].addr_spec == "viewer@example.com"
    path = _link_in(mail.messages[0])
    assert client.get(path).status_code == 200
    assert _set_by_link(client, path, NEW_PASSWORD).status_code == 302
    assert logged_in.get("/contracts").status_code == 302  # every session ended
    assert log_in(app.test_client(), "viewer@example.com", NEW_PASSWORD).status_code == 302
    used = _set_by_link(app.test_client(), path, "another plum tree 8")
    assert used.status_code == 400 and "invalid, used or expired" in used.get_data(as_text=True)
    assert {"auth.password_reset_requested", "auth.password_reset_by_link"} <= set(_actions(app))


def test_the_answer_does_not_tell_whether_an_address_has_an_account(
    mail: Mailbox, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    known = _ask_for_link(client, "viewer@example.com")
    unknown = _ask_for_link(client, "nobody@example.com")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert "If this address belongs to an account" in client.get("/login").get_data(as_text=True)
    assert len(mail.messages) == 1


def test_a_reset_link_expires(mail: Mailbox, app: Flask, client: FlaskClient, make_user: Callable[..., User]) -> None:
    make_user("viewer")
    _ask_for_link(client, "viewer@example.com")
    path = _link_in(mail.messages[0])
    clock.set_now(app, clock.utcnow() + timedelta(minutes=app.extensions["pactum.settings"].password_reset_minutes + 1))
    assert client.get(path).status_code == 400
    assert _set_by_link(client, path, NEW_PASSWORD).status_code == 400
    assert log_in(app.test_client(), "viewer@example.com", PASSWORD).status_code == 302


def test_a_forged_link_is_refused(mail: Mailbox, client: FlaskClient, make_user: Callable[..., User]) -> None:
    make_user("viewer")
    _ask_for_link(client, "viewer@example.com")
    path = _link_in(mail.messages[0])
    assert client.get(path[:-3] + "abc").status_code == 400
    assert client.get("/password/reset/1.not-a-token").status_code == 400


def test_reset_requests_are_throttled(
    mail: Mailbox, app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    from repo_app import create_app
    from repo_app.auth.services import create_user

    app_config.update(login_max_failures=2, login_max_failures_per_address=4)
    app = create_app(app_config)
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    with app.app_context():
        create_user("viewer@example.com", PASSWORD, "viewer")
        db.session.commit()
    client = app.test_client()
    for _ in range(3):  # the third request looks the same, but sends nothing more
        assert _ask_for_link(client, "viewer@example.com").status_code == 302
    assert len(mail.messages) == 2
    _ask_for_link(client, "someone@example.com")
    assert _ask_for_link(client, "viewer@example.com").status_code == 429  # the address's limit
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_without_e_mail_the_page_says_to_ask_an_administrator(client: FlaskClient) -> None:
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "data-no-reset" in page and "administrator" in page


# --- storage -----------------------------------------------------------------------------------


@pytest.mark.production_password_cost
def test_passwords_are_stored_as_argon2id_at_the_production_cost_and_old_hashes_are_upgraded(
    client: FlaskClient, make_user: Callable[..., User], app: Flask
) -> None:
    from argon2 import PasswordHasher, profiles

    user = make_user("viewer")
    prefix = "$argon2id$v=19$m=65536,t=3,p=4$"  # RFC 9106's second recommendation: 64 MiB, 3 passes
    assert user.password_hash.startswith(prefix)
    with app.app_context():
        weak = db.session.get(User, user.id)
        assert weak is not None
        weak.password_hash = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
        db.session.commit()
    assert log_in(client, user.email).status_code == 302
    with app.app_context():
        upgraded = db.session.get(User, user.id)
        assert upgraded is not None and upgraded.password_hash.startswith(prefix)
