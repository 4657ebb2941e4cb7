"""Flask-Login's view guard with a type (Flask-Login ships none): every view uses this one."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

import flask_login

P = ParamSpec("P")
R = TypeVar("R")


def login_required(view: Callable[P, R]) -> Callable[P, R]:
    """Only a logged-in user (a session or an API token) reaches ``view``; anyone else gets
    the log-in page, or a 401 from the API. The view keeps its signature."""
    guarded: Callable[P, R] = flask_login.login_required(view)
    return guarded
