from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model, db
from .roles import Permission, role_allows


class User(UserMixin, Model):
    __tablename__ = "users"
    __allow_unmapped__ = True  # ``session_key`` below is a plain attribute, not a column

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_login_at: Mapped[datetime | None]

    department = relationship("Department", lazy="joined")
    groups: Mapped[list[Group]] = relationship(secondary="group_members", lazy="selectin", viewonly=True)

    #: The secret of the log-in session this object was loaded for (not a column): Flask-Login
    #: keeps ``get_id()`` in the session and the remember cookie, so both name the session row.
    session_key: str | None = None

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.active

    def get_id(self) -> str:
        """``<user id>:<session key>``; a cookie without a live session row logs nobody in."""
        if self.session_key is None:
            raise RuntimeError("start a log-in session (auth.sessions.start) before login_user")
        return f"{self.id}:{self.session_key}"

    def can(self, permission: Permission) -> bool:
        return self.active and role_allows(self.role, permission)


group_members = Table(
    "group_members",
    db.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Group(Model):
    """A named set of users that contracts can be shared with (e.g. 项目组, Deal team)."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    members: Mapped[list[User]] = relationship(secondary=group_members, lazy="selectin", order_by="User.email")


class ApiToken(Model):
    """A personal API token. Only a SHA-256 of the secret is kept; the secret is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, so users can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LoginAttempt(Model):
    """Failed log-ins (kind ``login``) and password-reset requests (kind ``reset``), counted per
    e-mail and per client address to throttle guessing and mail bombing."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    kind: Mapped[str] = mapped_column(String(10), default="login", server_default="login")


class UserSession(Model):
    """One log-in: the browser's cookies name it, and it ends on log-out, "log out everywhere",
    a password change or reset, or when it expires. Only a SHA-256 of its key is kept."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Authenticator(Model):
    """A user's authenticator app: its TOTP key, encrypted with a key derived from the app's
    secret key. Usable once ``confirmed_at`` is set (the user has typed a code from it)."""

    __tablename__ = "authenticators"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    confirmed_at: Mapped[datetime | None]
    #: The time step of the last code accepted: a code is good once.
    last_step: Mapped[int | None]
