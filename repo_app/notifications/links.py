"""Links into Pactum from places without a request: jobs, e-mails, webhooks."""

from __future__ import annotations

from typing import Any

from flask import current_app

from ..core.extensions import settings


def path_for(endpoint: str, **values: Any) -> str:
    """The path of ``endpoint`` (like ``url_for``, but also outside a request)."""
    adapter = current_app.url_map.bind("localhost")
    return str(adapter.build(endpoint, values))


def external(path: str) -> str:
    """``path`` as an absolute address under ``PACTUM_BASE_URL``."""
    return settings().base_url.rstrip("/") + path
