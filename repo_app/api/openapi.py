"""The OpenAPI 3.1 description of API v1, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from ..contracts.schemas import ContractMetadata
from ..core import registry
from ..core.api import OPENAPI_PATHS
from ..core.openapi import CONTRACT_ID, ERROR, PAGE, json_ref, version_parameter
from ..workflows import openapi as lifecycle_openapi

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


def _paths() -> dict[str, Any]:
    return {
        "/contracts": {
            "get": {
                "summary": "List contracts, newest first",
                "tags": ["contracts"],
                "parameters": PAGE,
                "responses": {
                    "200": {"description": "A page of contracts", **json_ref("ContractPage")},
                    "401": ERROR,
                    "422": {"description": "page or per_page out of range", **json_ref("Error")},
                },
            },
            "post": {
                "summary": "Upload a contract with its first version",
                "tags": ["contracts"],
                "requestBody": _UPLOAD_BODY,
                "responses": {
                    "201": {"description": "Created", **json_ref("Contract")},
                    "409": {
                        "description": "An identical file is already stored; `error.contract_id` names it.",
                        **json_ref("Error"),
                    },
                    "413": ERROR,
                    "415": ERROR,
                    "422": ERROR,
                    "401": ERROR,
                    "403": ERROR,
                },
            },
        },
        "/contracts/{contract_id}": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "One contract with its versions",
                "tags": ["contracts"],
                "responses": {"200": {"description": "The contract", **json_ref("Contract")}, "404": ERROR},
            },
            "patch": {
                "summary": "Change metadata and tags (only the fields sent)",
                "tags": ["contracts"],
                "requestBody": {"required": True, **json_ref("ContractMetadata")},
                "responses": {
                    "200": {"description": "Updated", **json_ref("Contract")},
                    "403": ERROR,
                    "404": ERROR,
                    "422": ERROR,
                },
            },
            "delete": {
                "summary": "Move to the trash (admins can restore); 409 while under legal hold",
                "tags": ["contracts"],
                "responses": {
                    "204": {"description": "In the trash"},
                    "403": ERROR,
                    "404": ERROR,
                    "409": ERROR,
                },
            },
        },
        "/contracts/{contract_id}/restore": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Restore from the trash (admins)",
                "tags": ["contracts"],
                "responses": {"200": {"description": "Restored", **json_ref("Contract")}, "403": ERROR, "404": ERROR},
            },
        },
        "/contracts/{contract_id}/versions": {
            "parameters": [CONTRACT_ID],
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
                    "201": {"description": "Created", **json_ref("Version")},
                    "409": ERROR,
                    "413": ERROR,
                    "415": ERROR,
                    "422": ERROR,
                    "403": ERROR,
                    "404": ERROR,
                },
            },
        },
        "/contracts/{contract_id}/versions/{number}/file": {
            "parameters": [CONTRACT_ID, version_parameter()],
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
                    "404": ERROR,
                    "416": {"description": "Range not satisfiable"},
                },
            },
        },
    }


#: A contract's custom field values (also what ContractMetadata takes).
CUSTOM_FIELDS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Custom field values by field key (administration → Custom fields). By kind: text, long text, "
    "URL, single choice, counterparty: a string; department: its name; user: an e-mail; integer: a number; "
    'decimal: a string such as "0.035"; money: {"amount": "1200.50", "currency": "CNY"}; date: "2025-03-01"; '
    "yes/no: true or false; multiple choice: a list of strings. Writing: only the keys sent change, null clears "
    "a value; a value that does not fit is a 422 naming `custom_fields.<key>`.",
    "additionalProperties": {
        "anyOf": [
            {"type": "string"},
            {"type": "integer"},
            {"type": "boolean"},
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "properties": {"amount": {"type": "string"}, "currency": {"type": "string"}},
                "required": ["amount", "currency"],
            },
        ]
    },
}


def _schemas() -> dict[str, Any]:
    metadata_schema = ContractMetadata.model_json_schema(ref_template="#/components/schemas/{model}")
    metadata_schema["properties"]["custom_fields"] = {"anyOf": [CUSTOM_FIELDS_SCHEMA, {"type": "null"}]}
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
    version["required"] = list(version["properties"])
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
            "custom_fields": CUSTOM_FIELDS_SCHEMA,
            "status": {"type": "string"},
            "confidential": {"type": "boolean"},
            "legal_hold": {"type": "boolean"},
            "parent_id": {"type": ["integer", "null"]},
            "relation": nullable_string,
            "created_at": {"type": "string"},
            "updated_at": {"type": "string"},
            "deleted_at": nullable_string,
            "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
            "url": {"type": "string", "description": "The contract's page (in the answer to an upload)"},
        },
    }
    contract["required"] = [name for name in contract["properties"] if name != "url"]
    return {
        "ContractMetadata": metadata_schema,
        "Version": version,
        "Contract": contract,
        "ContractPage": {
            "type": "object",
            "required": ["total", "page", "per_page", "items"],
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
            "responses": {"Error": {"description": "An error", **json_ref("Error")}},
        },
    }
