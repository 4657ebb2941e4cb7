"""Building blocks of the OpenAPI document that several features use when they describe their
own ``/api/v1`` paths (``<feature>/openapi.py``); ``repo_app.api.openapi`` merges them."""

from __future__ import annotations

from typing import Any

ERROR: dict[str, Any] = {"$ref": "#/components/responses/Error"}
CONTRACT_ID: dict[str, Any] = {"name": "contract_id", "in": "path", "required": True, "schema": {"type": "integer"}}
PAGE: list[dict[str, Any]] = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]


def version_parameter(name: str = "number") -> dict[str, Any]:
    """A version path parameter: a version number, or ``latest``."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": "Version number, or `latest`.",
        "schema": {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "latest"}]},
    }


def query(name: str, schema: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": "query", "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


def schema_ref(schema_name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{schema_name}"}


def json_ref(schema_name: str) -> dict[str, Any]:
    """A JSON content whose schema is ``#/components/schemas/<schema_name>``."""
    return {"content": {"application/json": {"schema": schema_ref(schema_name)}}}


def json_answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def json_body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def multipart_body(properties: dict[str, Any], required: tuple[str, ...] = ("file",)) -> dict[str, Any]:
    schema = {"type": "object", "required": list(required), "properties": properties}
    return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}


def obj(properties: dict[str, Any], required: tuple[str, ...] | None = None) -> dict[str, Any]:
    """An object schema; every property is required unless ``required`` names fewer."""
    return {"type": "object", "required": list(properties if required is None else required), "properties": properties}


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def errors(*codes: int) -> dict[str, Any]:
    """The error answers ``codes`` (all with the one error body)."""
    return {str(code): ERROR for code in codes}
