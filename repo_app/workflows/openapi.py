"""The OpenAPI description of the lifecycle, approval, task and notification endpoints; merged
into ``/api/v1/openapi.json`` by ``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any

from ..core.openapi import CONTRACT_ID, ERROR, json_body, json_ref
from ..lifecycle.states import STATUSES
from .models import ApprovalStatus, AssignmentStatus, StepStatus
from .services import DECISIONS


def paths() -> dict[str, Any]:
    state = {"description": "The contract's approval state", **json_ref("ApprovalState")}
    return {
        "/contracts/{contract_id}/status": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Move a contract to another status by hand",
                "tags": ["lifecycle"],
                "description": "Allowed moves and who may make them: see docs/lifecycle.md. Date-driven "
                "moves (in force, expiring soon, expired) are made by the schedule.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["status"],
                        "properties": {
                            "status": {"type": "string", "enum": list(STATUSES)},
                            "reason": {"type": "string"},
                        },
                    }
                ),
                "responses": {
                    "200": {"description": "Moved", **json_ref("Contract")},
                    "403": ERROR,
                    "404": ERROR,
                    "409": {"description": "Not an allowed move", **json_ref("Error")},
                    "422": ERROR,
                },
            },
        },
        "/contracts/{contract_id}/approval": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "The approval state: the latest approval with its levels, approvers, decisions "
                "and routing explanation",
                "tags": ["approvals"],
                "description": "For a draft the caller may edit, `route_preview` shows the route a "
                "submission would take now.",
                "responses": {"200": state, "404": ERROR},
            },
            "post": {
                "summary": "Submit a draft for approval",
                "tags": ["approvals"],
                "requestBody": json_body(
                    {"type": "object", "properties": {"comment": {"type": "string"}}}, required=False
                ),
                "responses": {
                    "201": state,
                    "403": ERROR,
                    "404": ERROR,
                    "409": {
                        "description": "Not a draft, already in approval, or no workflow applies",
                        **json_ref("Error"),
                    },
                    "422": {"description": "A level has no approver for this contract", **json_ref("Error")},
                },
            },
            "delete": {
                "summary": "Withdraw from approval (back to draft)",
                "tags": ["approvals"],
                "responses": {"200": state, "403": ERROR, "404": ERROR},
            },
        },
        "/contracts/{contract_id}/approval/decisions": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Decide at the current level",
                "tags": ["approvals"],
                "description": "`reject` and `return` need a `comment`; `delegate` and `add_approver` "
                "need `user` (an e-mail). `version`, when sent, must be the version under "
                "approval (else 409), so nobody approves what they did not see.",
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["decision"],
                        "properties": {
                            "decision": {"type": "string", "enum": list(DECISIONS)},
                            "comment": {"type": "string"},
                            "user": {"type": "string", "format": "email"},
                            "version": {"type": "integer"},
                        },
                    }
                ),
                "responses": {
                    "200": state,
                    "403": {"description": "Not an approver at the current level", **json_ref("Error")},
                    "404": ERROR,
                    "409": ERROR,
                    "422": ERROR,
                },
            },
        },
        "/tasks": {
            "get": {
                "summary": "My tasks: pending approvals and due reminders (and what other features add)",
                "tags": ["tasks"],
                "responses": {"200": {"description": "The caller's open tasks", **json_ref("TaskList")}},
            },
        },
        "/notifications": {
            "get": {
                "summary": "My notifications, newest first",
                "tags": ["notifications"],
                "parameters": [
                    {"name": "unread", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                "responses": {
                    "200": {"description": "A page of notifications", **json_ref("NotificationPage")},
                    "422": ERROR,
                },
            },
        },
        "/notifications/read": {
            "post": {
                "summary": "Mark one notification (`id`) or all of them read",
                "tags": ["notifications"],
                "requestBody": json_body({"type": "object", "properties": {"id": {"type": "integer"}}}, required=False),
                "responses": {
                    "200": {
                        "description": "How many were marked, and how many stay unread",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["marked", "unread"],
                                    "properties": {"marked": {"type": "integer"}, "unread": {"type": "integer"}},
                                }
                            }
                        },
                    },
                    "404": {"description": "No such notification of the caller", **json_ref("Error")},
                    "422": {"description": "`id` is not a whole number", **json_ref("Error")},
                },
            },
        },
    }


def schemas() -> dict[str, Any]:
    text = {"type": ["string", "null"]}
    person = {"type": ["string", "null"], "format": "email"}
    approver = {
        "type": "object",
        "properties": {
            "user": person,
            "status": {
                "type": "string",
                "enum": list(AssignmentStatus),
            },
            "source": {"type": "string", "enum": ["workflow", "delegated", "added", "escalation"]},
            "from": person,
            "decided_at": text,
        },
    }
    level = {
        "type": "object",
        "properties": {
            "position": {"type": "integer"},
            "name": {"type": "string"},
            "mode": {"type": "string", "enum": ["all", "any"]},
            "source": {"type": "string", "description": "The workflow the level came from"},
            "status": {"type": "string", "enum": list(StepStatus)},
            "sla_hours": {"type": ["integer", "null"]},
            "due_at": text,
            "activated_at": text,
            "completed_at": text,
            "escalated_at": text,
            "approvers": {"type": "array", "items": approver},
        },
    }
    decision = {
        "type": "object",
        "properties": {
            "decision": {"type": "string"},
            "user": person,
            "at": {"type": "string"},
            "comment": text,
            "version": {"type": ["integer", "null"]},
            "level": text,
            "target": person,
        },
    }
    approval = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "contract_id": {"type": "integer"},
            "status": {
                "type": "string",
                "enum": list(ApprovalStatus),
            },
            "version": {"type": ["integer", "null"], "description": "The version number under approval"},
            "workflows": {"type": "string"},
            "submitted_by": person,
            "submitted_at": {"type": "string"},
            "completed_at": text,
            "comment": text,
            "restarted_from": {"type": ["integer", "null"]},
            "current_level": {"type": ["integer", "null"]},
            "levels": {"type": "array", "items": level},
            "decisions": {"type": "array", "items": decision},
            "routing": {
                "type": "object",
                "description": "workflows, default_used and every rule with "
                "matched, used and its checks (field, ok, expected, actual)",
            },
            "url": {"type": "string", "description": "The decision page"},
        },
    }
    task = {
        "type": "object",
        "properties": {
            "provider": {"type": "string"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "contract_id": {"type": ["integer", "null"]},
            "contract_title": {"type": "string"},
            "due": text,
            "overdue": {"type": "boolean"},
            "detail": {"type": "string"},
            "data": {"type": "object"},
        },
    }
    notification = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "contract_id": {"type": ["integer", "null"]},
            "subject": {"type": "string"},
            "body": {"type": "string"},
            "url": {"type": "string"},
            "created_at": {"type": "string"},
            "read": {"type": "boolean"},
        },
    }
    return {
        "ApprovalState": {
            "type": "object",
            "required": ["contract_id", "status", "approval", "latest_version_approved"],
            "properties": {
                "contract_id": {"type": "integer"},
                "status": {"type": "string", "enum": list(STATUSES)},
                "approval": {"oneOf": [approval, {"type": "null"}]},
                "latest_version_approved": {"type": "boolean"},
                "route_preview": {"type": "object"},
            },
        },
        "TaskList": {
            "type": "object",
            "required": ["total", "counts", "items"],
            "properties": {
                "total": {"type": "integer"},
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "items": {"type": "array", "items": task},
            },
        },
        "NotificationPage": {
            "type": "object",
            "required": ["total", "page", "per_page", "unread", "items"],
            "properties": {
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "unread": {"type": "integer"},
                "items": {"type": "array", "items": notification},
            },
        },
    }
