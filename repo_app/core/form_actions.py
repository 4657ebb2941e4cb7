"""Form posts of the web pages: run a service call and tell the user how it went.

A refusal the user can act on (a rule, a conflict, bad input) rolls the unit of work back
(dropping the notifications it had queued) and becomes a flash message on the page the user returns to.
"Not found" and "forbidden" are not turned into messages: they render their error page, as
every other route does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash

from . import uow
from .errors import Forbidden, NotFound, PactumError


def run_form_action(action: Callable[[], Any], done: str | None = None) -> bool:
    """Run ``action``; flash ``done`` when it worked, or the refusal when it did not."""
    try:
        action()
    except (NotFound, Forbidden):
        raise
    except PactumError as error:
        uow.rollback()  # nothing of the refused action is kept, nor notified
        flash(error.message, "danger")
        return False
    if done:
        flash(done, "success")
    return True
