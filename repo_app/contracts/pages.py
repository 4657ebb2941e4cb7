"""The contract page's parts contributed by features above contracts.

A feature adds a function in its ``init_app`` (``registry.add(app, PAGE_PARTS, …)``) that
returns the template variables of its panel for one contract (the signatures panel, similar
contracts, the history); the contract page renders with all of them. Contracts itself never
imports those features.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core import registry
from .models import Contract

PagePart = Callable[[Contract], dict[str, Any]]

PAGE_PARTS: registry.Key[PagePart] = registry.Key("contracts.page_parts")


def page_parts(contract: Contract) -> dict[str, Any]:
    """The template variables every registered part gives for ``contract``."""
    values: dict[str, Any] = {}
    for part in registry.items(PAGE_PARTS):
        values.update(part(contract))
    return values
