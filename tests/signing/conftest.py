"""An app with an internal CA (EC keys: fast) and a live timestamp authority on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from repo_app.core.extensions import db
from tests.signer.pki import TestPKI, start_test_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPKI]:
    test_pki = start_test_pki(tmp_path_factory.mktemp("pki"))
    yield test_pki
    test_pki.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], pki: TestPKI) -> dict[str, Any]:
    return {**app_config, "tsa_url": pki.tsa_url, "ca_key_type": "ec-p256", "trust_store_dir": str(pki.root_pem.parent)}


def with_internal_ca(app: Flask) -> Flask:
    """``app`` with its internal CA set up, as `pactum ca init` does."""
    from repo_app.signing.keys import init_ca

    with app.app_context():
        init_ca()
        db.session.commit()
    return app


@pytest.fixture
def app(app: Flask) -> Flask:
    return with_internal_ca(app)


def version_bytes(app: Flask, contract_id: int, number: int) -> bytes:
    from repo_app.contracts.models import Contract
    from repo_app.core.extensions import blob_store

    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        version = next(v for v in contract.versions if v.number == number)
        with blob_store().open(version.blob_key) as stream:
            return stream.read()


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path
