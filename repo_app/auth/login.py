"""Flask-Login's view guard with a type (Flask-Login ships none): every view uses this one.

``permission_required`` adds the role check a page needs and records it on the view, so the
navigation asks the same question (``may_open``) instead of keeping a list of roles of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import flask_login
from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import Forbidden
from .roles import Permission

P = ParamSpec("P")
R = TypeVar("R")

#: The attribute a guarded view carries: the permission its route checks.
REQUIRED_PERMISSION = "pactum_required_permission"


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Only a logged-in user (a session or an API token) reaches ``view``; anyone else gets
    the log-in page, or a 401 from the API. The view keeps its signature."""
    guarded: Callable[P, R] = flask_login.login_required(view)
    return guarded


def permission_required(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A logged-in user whose role grants ``permission`` reaches the view; anyone else logged
    in gets a 403. The permission is kept on the view for :func:`may_open`."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.can(permission):
                raise Forbidden(_("Your role does not allow this."))
            return view(*args, **kwargs)

        setattr(checked, REQUIRED_PERMISSION, permission)
        return login_required(checked)

    return decorate


def required_permission(endpoint: str) -> Permission | None:
    """The permission the route of ``endpoint`` checks (None: any logged-in user)."""
    view = current_app.view_functions[endpoint]
    permission: Permission | None = getattr(view, REQUIRED_PERMISSION, None)
    return permission


def may_open(endpoint: str) -> bool:
    """Whether the current user would get the page of ``endpoint`` rather than a 403: what
    the navigation shows. Unknown endpoints raise KeyError, so a typo fails loudly."""
    if not current_user.is_authenticated:
        return False
    permission = required_permission(endpoint)
    return permission is None or bool(current_user.can(permission))
