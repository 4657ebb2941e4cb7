"""Fixtures shared by the indexing-pipeline tests."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from repo_app.core.extensions import db
from tests.conftest import bearer


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


def upload_pdf(client: FlaskClient, token: str, content: bytes, title: str) -> int:
    """Upload a PDF through the API; answers its version's id."""
    response = client.post(
        "/api/v1/contracts",
        headers=bearer(token),
        data={"file": (io.BytesIO(content), f"{title}.pdf"), "metadata": json.dumps({"title": title})},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    return int(response.json["versions"][0]["id"])
