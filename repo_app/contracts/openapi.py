"""The OpenAPI description of access lists, version restore and comparison, lineage and
retention; merged into ``/api/v1/openapi.json`` by ``repo_app.api.openapi`` (beside the
contract and version paths described there)."""

from __future__ import annotations

from typing import Any

from ..core.openapi import CONTRACT_ID, array, errors, json_answer, json_body, json_ref, obj, version_parameter
from .access import LEVELS
from .models import RELATIONS
from .sharing import GRANTEE_MODELS

_GRANT = {
    "type": "object",
    "required": ["grantee_type", "level"],
    "properties": {
        "grantee_type": {"type": "string", "enum": list(GRANTEE_MODELS)},
        "grantee_id": {"type": "integer"},
        "grantee": {"type": "string", "description": "Instead of grantee_id: a user's e-mail or a name"},
        "level": {"type": "string", "enum": list(LEVELS)},
    },
}
_ACCESS_BODY = {
    "type": "object",
    "properties": {
        "confidential": {"type": "boolean", "default": False},
        "department_level": {"type": ["string", "null"], "enum": [*LEVELS, None], "default": "read"},
        "grants": {"type": "array", "items": _GRANT},
    },
}
_COMPARE_PARAMETERS = [CONTRACT_ID, version_parameter("old"), version_parameter("new")]
_TEXT_OR_NULL = {"type": ["string", "null"]}
_INTEGER = {"type": "integer"}
_ACCESS_LIST = obj(
    {
        "owner": {"type": "string", "description": "The owner's e-mail"},
        "department": _TEXT_OR_NULL,
        "confidential": {"type": "boolean"},
        "department_level": {"type": ["string", "null"], "enum": [*LEVELS, None]},
        "grants": array(
            obj(
                {
                    "grantee_type": {"type": "string", "enum": list(GRANTEE_MODELS)},
                    "grantee_id": _INTEGER,
                    "grantee": {"type": "string", "description": "An e-mail, or a department's or group's name"},
                    "level": {"type": "string", "enum": list(LEVELS)},
                }
            )
        ),
    }
)
_OPERATION_FIELDS: dict[str, Any] = {
    "op": {"type": "string", "enum": ["equal", "insert", "delete", "replace", "move"]},
    "old_text": {"type": "string"},
    "new_text": {"type": "string"},
    "old_start": _INTEGER,
    "old_end": _INTEGER,
    "new_start": _INTEGER,
    "new_end": _INTEGER,
    "clause": _TEXT_OR_NULL,
}
_COMPARISON = obj(
    {
        "summary": obj(
            {
                "insertions": _INTEGER,
                "deletions": _INTEGER,
                "replacements": _INTEGER,
                "moves": _INTEGER,
                "changed_clauses": array({"type": "string"}),
            }
        ),
        "operations": array(obj({**_OPERATION_FIELDS, "edits": array(obj(_OPERATION_FIELDS, required=("op",)))})),
    }
)
_PROGRESS_FIELDS: dict[str, Any] = {
    "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
    "seconds": _INTEGER,
    "message": {"type": "string"},
    "error": _TEXT_OR_NULL,
}
_PENDING = obj({**_PROGRESS_FIELDS, "status_url": {"type": "string"}}, required=("status", "message", "status_url"))
_PROGRESS = obj({**_PROGRESS_FIELDS, "result_url": {"type": "string"}}, required=("status", "message", "result_url"))
_LINEAGE = obj(
    {
        "nodes": array(
            obj(
                {
                    "id": {"type": "string", "description": "c<contract id> or v<version id>"},
                    "kind": {"type": "string", "enum": ["contract", "version"]},
                    "label": {"type": "string"},
                    "contract_id": _INTEGER,
                    "current": {"type": "boolean"},
                    "number": _INTEGER,
                    "origin": {"type": "string"},
                    "status": {"type": "string"},
                },
                required=("id", "kind", "label"),
            )
        ),
        "edges": array(
            obj({"from": {"type": "string"}, "to": {"type": "string"}, "label": _TEXT_OR_NULL}, required=("from", "to"))
        ),
    }
)


def _access_paths() -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/access": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "Who may do what with the contract",
                "tags": ["access"],
                "responses": {"200": json_answer("The access list", _ACCESS_LIST), **errors(401, 404)},
            },
            "put": {
                "summary": "Replace the access list",
                "tags": ["access"],
                "requestBody": json_body(_ACCESS_BODY),
                "responses": {"200": json_answer("The new access list", _ACCESS_LIST), **errors(401, 403, 404, 422)},
            },
        },
    }


def _version_paths() -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/versions/{number}/restore": {
            "parameters": [CONTRACT_ID, version_parameter()],
            "post": {
                "summary": "Make an earlier version the latest again (as a new version)",
                "tags": ["versions"],
                "responses": {"201": {"description": "Restored", **json_ref("Version")}, **errors(401, 403, 404, 409)},
            },
        },
        "/contracts/{contract_id}/versions/{number}/preview.pdf": {
            "parameters": [CONTRACT_ID, version_parameter()],
            "get": {
                "summary": "The PDF rendition of a Word, ODT, RTF or DOC version (its preview)",
                "tags": ["versions"],
                "description": "Made from the original when the version is processed (LibreOffice) and kept "
                "beside it; ETag and Range as for the file itself. 404 when the version has none (another "
                "format, not converted yet, or the conversion failed). The file URL always gives the original.",
                "responses": {
                    "200": {"description": "The PDF", "content": {"application/pdf": {}}},
                    "206": {"description": "Part of the PDF (Range)"},
                    **errors(401, 404),
                },
            },
        },
        "/contracts/{contract_id}/versions/{old}/compare/{new}": {
            "parameters": _COMPARE_PARAMETERS,
            "get": {
                "summary": "Compare two versions' text",
                "tags": ["versions"],
                "description": "Large versions are compared in the background: 202 with `Location` "
                "and `Retry-After`; the status URL says when this URL answers 200.",
                "responses": {
                    "200": json_answer("The comparison", _COMPARISON),
                    "202": json_answer(
                        "The comparison runs in the background: its state and the URL to poll", _PENDING
                    ),
                    **errors(401, 404, 409, 422),
                },
            },
        },
        "/contracts/{contract_id}/versions/{old}/compare/{new}/status": {
            "parameters": _COMPARE_PARAMETERS,
            "get": {
                "summary": "The state of a background comparison",
                "tags": ["versions"],
                "responses": {
                    "200": json_answer("The comparison's state and the URL that answers it once done", _PROGRESS),
                    **errors(401, 404),
                },
            },
        },
    }


def _lineage_paths() -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/lineage": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "The family of related contracts (amendments, renewals, …) the caller may read",
                "tags": ["lineage"],
                "responses": {"200": json_answer("The lineage graph", _LINEAGE), **errors(401, 404)},
            },
        },
        "/contracts/{contract_id}/parent": {
            "parameters": [CONTRACT_ID],
            "put": {
                "summary": "Relate the contract to a parent contract (or unrelate with parent_id null)",
                "tags": ["lineage"],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "properties": {
                            "parent_id": {"type": ["integer", "null"]},
                            "relation": {"type": ["string", "null"], "enum": [*RELATIONS, None]},
                        },
                    }
                ),
                "responses": {"200": {"description": "Related", **json_ref("Contract")}, **errors(401, 403, 404, 422)},
            },
        },
    }


def _retention_paths() -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/legal-hold": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Put a legal hold on the contract, or lift it (trash managers)",
                "tags": ["retention"],
                "requestBody": json_body(
                    {"type": "object", "properties": {"hold": {"type": "boolean"}, "reason": {"type": "string"}}}
                ),
                "responses": {
                    "200": json_answer("The hold", obj({"legal_hold": {"type": "boolean"}, "reason": _TEXT_OR_NULL})),
                    **errors(401, 403, 404, 422),
                },
            },
        },
        "/contracts/{contract_id}/purge": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Delete a trashed contract for good, with the files nobody else uses (trash managers)",
                "tags": ["retention"],
                "responses": {
                    "200": json_answer(
                        "What was removed: the contract's id and how many files nobody else used",
                        obj({"purged": _INTEGER, "blobs_removed": _INTEGER}),
                    ),
                    **errors(401, 403, 404, 409),
                },
            },
        },
    }


_RESULT_KEY = {
    "name": "key",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "description": "The result's key, from a 202 answer's `status_url` (a hash of the inputs)",
}


def _result_paths() -> dict[str, Any]:
    """Results made in the background (signature report PDFs, …), polled by key; 404 for a key
    the caller may not read (e.g. the contract it was made from is not theirs to read)."""
    return {
        "/results/{key}": {
            "parameters": [_RESULT_KEY],
            "get": {
                "summary": "The state of a result made in the background (queued, running, done, failed)",
                "tags": ["results"],
                "description": "`done`: fetch `result_url`. `failed`: `error` says why; asking for the "
                "result again (the URL that answered 202) queues it again.",
                "responses": {"200": json_answer("The state, a sentence and the result's URL"), **errors(401, 404)},
            },
        },
        "/results/{key}/file": {
            "parameters": [_RESULT_KEY],
            "get": {
                "summary": "A finished result (a PDF, …)",
                "tags": ["results"],
                "responses": {
                    "200": {
                        "description": "The result",
                        "content": {"application/pdf": {}, "application/octet-stream": {}},
                    },
                    **errors(401, 404, 409),
                },
            },
        },
    }


def paths() -> dict[str, Any]:
    return {**_access_paths(), **_version_paths(), **_lineage_paths(), **_retention_paths(), **_result_paths()}
