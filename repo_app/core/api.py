"""The REST API's routes, contributed by the features that own them.

Each feature adds its handlers in its ``init_app`` with :func:`add_route`; the API feature
builds the ``/api/v1`` blueprint from them (and the OpenAPI document beside it), so a feature
never imports the API package and the API package never lists another feature's handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from . import registry


@dataclass(frozen=True)
class ApiRoute:
    rule: str
    view: Callable[..., Any]
    methods: tuple[str, ...]


ROUTES: registry.Key[ApiRoute] = registry.Key("api.routes")
#: Each feature's part of the OpenAPI document: a function giving its ``paths`` (relative to
#: ``/api/v1``); the API feature merges them, so it never imports a sibling of its layer.
OPENAPI_PATHS: registry.Key[Callable[[], dict[str, Any]]] = registry.Key("api.openapi_paths")


def add_route(app: Flask, rule: str, view: Callable[..., Any], *methods: str) -> None:
    """Serve ``view`` at ``/api/v1`` + ``rule``; its endpoint is ``api.<function name>``."""
    registry.add(app, ROUTES, ApiRoute(rule, view, methods or ("GET",)))


def add_openapi_paths(app: Flask, paths: Callable[[], dict[str, Any]]) -> None:
    """Describe the feature's routes in ``/api/v1/openapi.json`` (``paths()`` is called per request)."""
    registry.add(app, OPENAPI_PATHS, paths)
