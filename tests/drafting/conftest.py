"""The starter library, loaded once per test that asks for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from repo_app.cli import main
from repo_app.core.extensions import db
from repo_app.drafting.models import Template
from repo_app.drafting.starter import STARTERS


@pytest.fixture
def starter(app: Flask, make_user: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The starter library loaded with `pactum templates load-starter`; template ids by starter key."""
    make_user("admin")
    monkeypatch.setattr("repo_app.cli.create_app", lambda *args, **kwargs: app)
    result = CliRunner().invoke(main, ["templates", "load-starter"])
    assert result.exit_code == 0, result.output
    assert f"{len(STARTERS)} templates loaded" in result.output
    with app.app_context():
        return {row.starter_key: row.id for row in db.session.query(Template).all() if row.starter_key}
