"""pyHanko's synchronous API runs its own event loop (``asyncio.run``), which fails when the
calling thread already runs one (an async server, a notebook, Playwright's sync API). The
public entry points are wrapped so that they then run in a short-lived thread of their own."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def outside_event_loop(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="signer") as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper
