"""The API's own pages: the OpenAPI document and its viewer."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, render_template

from .openapi import build_openapi


def openapi_document() -> Any:
    return jsonify(build_openapi(current_app))


def docs() -> Any:
    return render_template("api/docs.html")
