"""The OpenAPI 3.1 description of API v1, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..contracts.schemas import ContractMetadata
from ..core import registry
from ..core.api import OPENAPI_PATHS
from ..workflows import openapi as lifecycle_openapi

_ERROR = {"$ref": "#/components/responses/Error"}
_ID = {"name": "contract_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_VERSION = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "Version number, or `latest`.",
    "schema": {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "latest"}]},
}
_PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]
_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "PDF, DOCX, DOC, ODT, RTF, TXT, PNG, JPEG or TIFF; "
                        "the type is decided from the content.",
                    },
                    "metadata": {"type": "string", "description": "ContractMetadata as a JSON string."},
                },
            }
        }
    },
}


def _json(schema_name: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


def _paths() -> dict[str, Any]:
    return {
        "/contracts": {
            "get": {
                "summary": "List contracts, newest first",
                "tags": ["contracts"],
                "parameters": _PAGE,
                "responses": {"200": {"description": "A page of contracts", **_json("ContractPage")}, "401": _ERROR},
            },
            "post": {
                "summary": "Upload a contract with its first version",
                "tags": ["contracts"],
                "requestBody": _UPLOAD_BODY,
                "responses": {
                    "201": {"description": "Created", **_json("Contract")},
                    "409": {
                        "description": "An identical file is already stored; `error.contract_id` names it.",
                        **_json("Error"),
                    },
                    "413": _ERROR,
                    "415": _ERROR,
                    "422": _ERROR,
                    "401": _ERROR,
                    "403": _ERROR,
                },
            },
        },
        "/contracts/{contract_id}": {
            "parameters": [_ID],
            "get": {
                "summary": "One contract with its versions",
                "tags": ["contracts"],
                "responses": {"200": {"description": "The contract", **_json("Contract")}, "404": _ERROR},
            },
            "patch": {
                "summary": "Change metadata and tags (only the fields sent)",
                "tags": ["contracts"],
                "requestBody": {"required": True, **_json("ContractMetadata")},
                "responses": {
                    "200": {"description": "Updated", **_json("Contract")},
                    "403": _ERROR,
                    "404": _ERROR,
                    "422": _ERROR,
                },
            },
            "delete": {
                "summary": "Move to the trash (admins can restore)",
                "tags": ["contracts"],
                "responses": {"204": {"description": "In the trash"}, "403": _ERROR, "404": _ERROR},
            },
        },
        "/contracts/{contract_id}/restore": {
            "parameters": [_ID],
            "post": {
                "summary": "Restore from the trash (admins)",
                "tags": ["contracts"],
                "responses": {"200": {"description": "Restored", **_json("Contract")}, "403": _ERROR, "404": _ERROR},
            },
        },
        "/contracts/{contract_id}/versions": {
            "parameters": [_ID],
            "post": {
                "summary": "Upload a new version",
                "tags": ["versions"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "Created", **_json("Version")},
                    "409": _ERROR,
                    "413": _ERROR,
                    "415": _ERROR,
                    "422": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                },
            },
        },
        "/contracts/{contract_id}/versions/{number}/file": {
            "parameters": [_ID, _VERSION],
            "get": {
                "summary": "The exact stored bytes of a version",
                "tags": ["versions"],
                "description": "`ETag` is the SHA-256; single byte ranges are supported; "
                "`inline=1` asks for inline display.",
                "parameters": [{"name": "inline", "in": "query", "schema": {"type": "string", "enum": ["1"]}}],
                "responses": {
                    "200": {"description": "The file"},
                    "206": {"description": "A byte range of the file"},
                    "304": {"description": "Not modified (If-None-Match)"},
                    "404": _ERROR,
                    "416": {"description": "Range not satisfiable"},
                },
            },
        },
    }


def _schemas() -> dict[str, Any]:
    metadata_schema = ContractMetadata.model_json_schema(ref_template="#/components/schemas/{model}")
    nullable_string = {"type": ["string", "null"]}
    version = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "integer"},
            "sha256": {"type": "string"},
            "size": {"type": "integer"},
            "media_type": {"type": "string"},
            "filename": {"type": "string"},
            "origin": {"type": "string", "enum": ["uploaded", "signed", "restored", "converted"]},
            "source_version_id": {"type": ["integer", "null"]},
            "status": {"type": "string", "description": "stored, processing, indexed or failed"},
            "status_detail": nullable_string,
            "uploaded_by": nullable_string,
            "created_at": {"type": "string", "format": "date-time"},
        },
    }
    contract = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "contract_number": nullable_string,
            "contract_type": nullable_string,
            "counterparties": {"type": "array", "items": {"type": "string"}},
            "amount": {"type": ["string", "null"], "description": 'Exact decimal, e.g. "1280000.00"'},
            "currency": nullable_string,
            "signed_date": nullable_string,
            "effective_date": nullable_string,
            "expiry_date": nullable_string,
            "department": nullable_string,
            "owner": nullable_string,
            "tags": {"type": "array", "items": {"type": "string"}},
            "description": nullable_string,
            "status": {"type": "string"},
            "created_at": {"type": "string"},
            "updated_at": {"type": "string"},
            "deleted_at": nullable_string,
            "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
        },
    }
    return {
        "ContractMetadata": metadata_schema,
        "Version": version,
        "Contract": contract,
        "ContractPage": {
            "type": "object",
            "properties": {
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Contract"}},
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                }
            },
        },
    }


def _merged_paths(app: Flask) -> dict[str, Any]:
    """The contract and version paths described here, then those each feature registered."""
    merged = _paths()
    for feature_paths in registry.items_of(app, OPENAPI_PATHS):
        for path, item in feature_paths().items():
            merged[path] = {**merged.get(path, {}), **item}
    return merged


def build_openapi(app: Flask) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pactum API",
            "version": "1",
            "description": "Contracts, versions and files. Authenticate with a personal API "
            "token: `Authorization: Bearer pt_…` (create one under API tokens).",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": _merged_paths(app),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {**_schemas(), **lifecycle_openapi.schemas()},
            "responses": {"Error": {"description": "An error", **_json("Error")}},
        },
    }
