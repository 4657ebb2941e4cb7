"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy import text

from storage import StorageError

from ..core.extensions import blob_store, db


def healthz() -> Any:
    return jsonify({"status": "ok"})


def readyz() -> Any:
    """200 when the database and blob storage answer; 503 naming each failing part."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"; its text is reported
        db.session.rollback()
        checks["database"] = f"failed: {type(error).__name__}: {error}".splitlines()[0]
    try:
        blob_store().check()
        checks["storage"] = "ok"
    except StorageError as error:
        checks["storage"] = f"failed: {error}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ready" if ready else "unavailable", "checks": checks}), (200 if ready else 503)
