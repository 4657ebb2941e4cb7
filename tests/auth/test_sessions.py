"""Log-in sessions end on the server: a copy of the cookies taken before log-out, "log out
everywhere" or a password change no longer logs anybody in; the remember cookie is bounded,
SameSite=Lax, HttpOnly, Secure over HTTPS, and cleared on log-out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from repo_app.auth.models import User
from repo_app.core import clock
from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from tests.conftest import PASSWORD, csrf_token_from

SESSION = "session"
REMEMBER = "remember_token"


def _log_in(client: FlaskClient, email: str, remember: bool = False) -> Any:
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return response


def _post(client: FlaskClient, path: str, **data: str) -> Any:
    token = csrf_token_from(client.get("/contracts").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def _replay(app: Flask, cookies: dict[str, str]) -> FlaskClient:
    """A new browser holding copies of cookies taken earlier."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def _copy(client: FlaskClient, *names: str) -> dict[str, str]:
    copied = {}
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        copied[name] = cookie.value
    return copied


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/contracts").status_code == 200


def test_a_session_cookie_copied_before_log_out_no_longer_works(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    _log_in(client, "viewer@example.com")
    copied = _copy(client, SESSION)
    assert _post(client, "/logout").status_code == 302
    assert not _logged_in(client)
    assert not _logged_in(_replay(app, copied))


def test_remember_cookie_is_bounded_lax_httponly_and_ends_with_log_out(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    response = _log_in(client, "viewer@example.com", remember=True)
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(REMEMBER + "="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    expires = client.get_cookie(REMEMBER).expires  # type: ignore[union-attr]
    days = app.extensions["pactum.settings"].remember_days
    assert expires is not None
    assert timedelta(days=days - 1) < expires.replace(tzinfo=None) - clock.utcnow() <= timedelta(days=days)
    remembered = _copy(client, REMEMBER)
    assert _logged_in(_replay(app, remembered))  # the cookie alone logs in, until …
    logout = _post(client, "/logout")
    assert any(value.startswith(REMEMBER + "=;") for value in logout.headers.getlist("Set-Cookie"))  # cleared
    assert client.get_cookie(REMEMBER) is None
    assert not _logged_in(_replay(app, remembered))  # … log-out; a copy is worthless after


def test_the_remember_cookie_stops_working_after_its_days(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    _log_in(client, "viewer@example.com", remember=True)
    remembered = _copy(client, REMEMBER)
    clock.advance(app, timedelta(days=app.extensions["pactum.settings"].remember_days, minutes=1))
    assert not _logged_in(_replay(app, remembered))


def test_a_log_in_without_remember_me_ends_after_its_hours(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer")
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    _log_in(client, "viewer@example.com")
    clock.advance(app, timedelta(hours=app.extensions["pactum.settings"].session_hours - 1))
    assert _logged_in(client)
    clock.advance(app, timedelta(hours=2))
    assert not _logged_in(client)


def test_cookies_are_secure_when_pactum_is_reached_over_https(
    app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    from repo_app import create_app
    from repo_app.auth.services import create_user

    app_config["base_url"] = "https://pactum.example.com"
    app = create_app(app_config)
    with app.app_context():
        create_user("tls@example.com", PASSWORD, "viewer")
        db.session.commit()
    client = app.test_client()
    response = _log_in(client, "tls@example.com", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in value for value in cookies)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_log_out_everywhere_ends_every_session_of_the_user(
    app: Flask, make_user: Callable[..., User], login: Callable[[str], FlaskClient]
) -> None:
    make_user("viewer")
    laptop, phone = app.test_client(), app.test_client()
    _log_in(laptop, "viewer@example.com")
    _log_in(phone, "viewer@example.com", remember=True)
    other_user = login("editor")
    assert _post(laptop, "/logout/everywhere").status_code == 302
    assert not _logged_in(laptop) and not _logged_in(phone)
    assert _logged_in(other_user)
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="auth.logout_everywhere").one()
        assert event.actor_email == "viewer@example.com" and event.details["sessions_ended"] == 2


def test_a_deactivated_user_is_logged_out_at_once(
    app: Flask, make_user: Callable[..., User], login: Callable[[str], FlaskClient]
) -> None:
    viewer = login("viewer")
    with app.app_context():
        db.session.query(User).filter_by(email="viewer@example.com").one().active = False
        db.session.commit()
    assert not _logged_in(viewer)


def test_logging_out_everywhere_needs_the_csrf_token(app: Flask, login: Callable[[str], FlaskClient]) -> None:
    viewer = login("viewer")
    assert viewer.post("/logout/everywhere").status_code == 400
    assert _logged_in(viewer)


def test_the_periodic_tick_forgets_finished_sessions_and_old_failures(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    from repo_app.auth.models import LoginAttempt, UserSession
    from repo_app.core.jobs.periodic import tick

    make_user("viewer")
    clock.set_now(app, datetime(2026, 12, 1, 9, 0))
    _log_in(client, "viewer@example.com")
    token = csrf_token_from(client.get("/contracts").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    client.post("/login", data={"email": "nobody@example.com", "password": "wrong password!", "csrf_token": token})
    _log_in(app.test_client(), "viewer@example.com", remember=True)  # live for days
    clock.advance(app, timedelta(minutes=app.extensions["pactum.settings"].login_lockout_max_minutes - 60))
    with app.app_context():
        assert db.session.query(LoginAttempt).count() == 1
        tick()
        assert db.session.query(UserSession).count() == 1  # the ended one is gone
        assert db.session.query(LoginAttempt).count() == 1  # still counts towards a lock
    clock.advance(app, timedelta(hours=2))
    with app.app_context():
        tick()
        assert db.session.query(LoginAttempt).count() == 0
        assert db.session.query(UserSession).count() == 1
