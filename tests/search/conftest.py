"""Fixtures shared by the indexing-pipeline tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from repo_app.core.extensions import db


@pytest.fixture
def app_with(app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Build the test app with some settings changed (each one closed after the test)."""
    from repo_app import create_app

    built: list[Flask] = []

    def build(**changes: Any) -> Flask:
        built.append(create_app({**app_config, **changes}))
        return built[-1]

    yield build
    for application in built:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
