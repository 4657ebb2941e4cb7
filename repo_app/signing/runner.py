"""pyHanko's signing and validation run their own event loop (``asyncio.run``). When the calling
thread already runs one (an async server, or Playwright's sync API in the tests), the call is
made in a short-lived thread of its own instead."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def outside_event_loop(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pactum-signer") as pool:
        return pool.submit(function, *args, **kwargs).result()
