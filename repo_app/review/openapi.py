"""The OpenAPI description of the review endpoints; merged into ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import CONTRACT_ID, array, errors, json_answer, json_body, obj, query

COMMENT_ID = {"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"}}

_PERSON = {
    "type": ["object", "null"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}},
}
_REPLY = obj(
    {
        "id": {"type": "integer"},
        "author": _PERSON,
        "body": {"type": "string"},
        "mentions": array({"type": "integer"}),
        "created_at": {"type": "string", "format": "date-time"},
    }
)
THREAD = obj(
    {
        "id": {"type": "integer"},
        "version": {"type": ["integer", "null"], "description": "The version the quote is anchored in"},
        "quote": {"type": ["string", "null"]},
        "start": {"type": ["integer", "null"], "description": "Offset of the quote in the version's extracted text"},
        "end": {"type": ["integer", "null"]},
        "page": {"type": ["integer", "null"]},
        "status": {"type": "string", "enum": ["open", "resolved"]},
        "outdated": {
            "type": "boolean",
            "description": "The quote is not in a later version; the thread stays on its version",
        },
        "author": _PERSON,
        "body": {"type": "string"},
        "mentions": array({"type": "integer"}),
        "created_at": {"type": "string", "format": "date-time"},
        "resolved_at": {"type": ["string", "null"], "format": "date-time"},
        "resolved_by": _PERSON,
        "replies": array(_REPLY),
    }
)
_BODY = {"type": "string", "minLength": 1, "maxLength": 5000, "description": "May @mention users by e-mail or name"}


def paths() -> dict[str, Any]:
    thread = json_answer("The thread", THREAD)
    return {
        "/contracts/{contract_id}/comments": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "The contract's comment threads (open first)",
                "tags": ["review"],
                "responses": {
                    "200": json_answer("Threads", obj({"can_comment": {"type": "boolean"}, "items": array(THREAD)})),
                    **errors(404),
                },
            },
            "post": {
                "summary": "Comment on a passage of a version",
                "tags": ["review"],
                "description": "`quote` must occur in the version's extracted text (white space is ignored); "
                "`page` picks among several occurrences. Needs the `comment` access level.",
                "requestBody": json_body(
                    obj(
                        {
                            "body": _BODY,
                            "quote": {"type": "string", "minLength": 1, "maxLength": 2000},
                            "page": {"type": "integer", "minimum": 1},
                            "version": {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "latest"}]},
                        },
                        required=("body", "quote"),
                    )
                ),
                "responses": {"201": thread, **errors(403, 404, 409, 422)},
            },
        },
        "/contracts/{contract_id}/comments/mentionable": {
            "parameters": [CONTRACT_ID, query("q", {"type": "string"}, "Start of a name or e-mail")],
            "get": {
                "summary": "Users who may read the contract and can be @mentioned",
                "tags": ["review"],
                "responses": {"200": json_answer("Users", obj({"items": array(_PERSON)})), **errors(403, 404)},
            },
        },
        "/comments/{comment_id}/replies": {
            "parameters": [COMMENT_ID],
            "post": {
                "summary": "Reply to a thread",
                "tags": ["review"],
                "requestBody": json_body(obj({"body": _BODY})),
                "responses": {"201": thread, **errors(403, 404, 422)},
            },
        },
        "/comments/{comment_id}/resolution": {
            "parameters": [COMMENT_ID],
            "post": {
                "summary": "Resolve or reopen a thread",
                "tags": ["review"],
                "requestBody": json_body(obj({"resolved": {"type": "boolean"}})),
                "responses": {"200": thread, **errors(403, 404, 422)},
            },
        },
        "/contracts/{contract_id}/review-findings": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "Clauses of the checklist the latest version lacks",
                "tags": ["review"],
                "responses": {
                    "200": json_answer(
                        "Findings",
                        obj(
                            {
                                "version": {"type": ["integer", "null"]},
                                "items": array(obj({"kind": {"type": "string"}, "clause": {"type": "object"}})),
                            }
                        ),
                    ),
                    **errors(404),
                },
            },
        },
    }
