"""The OpenAPI description of signing, signature reports, validation, seals, signing requests
and certificate revocation; merged into ``/api/v1/openapi.json`` by ``repo_app.api.openapi``."""

from __future__ import annotations

from typing import Any, get_args

from signer.report import ChangeKind, Indication, RevocationStatus

from ..core.openapi import (
    CONTRACT_ID,
    array,
    errors,
    json_answer,
    json_body,
    multipart_body,
    obj,
    query,
    schema_ref,
    version_parameter,
)
from .revocation import REASONS
from .services import CERTIFY, LEVELS

_SIGN_BODY = {
    "type": "object",
    "properties": {
        "level": {"type": "string", "enum": list(LEVELS), "default": "B-B"},
        "certify": {"description": "false, or a certification level", "enum": [False, *CERTIFY]},
        "reason": {"type": "string"},
        "location": {"type": "string"},
        "password": {"type": "string", "description": "The signer's password, checked again before signing."},
        "appearance": {
            "type": "object",
            "description": "A visible signature; without it the signature is invisible.",
            "required": ["box"],
            "properties": {
                "page": {"type": "integer", "minimum": 1, "default": 1},
                "box": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 4,
                    "maxItems": 4,
                    "description": "[x1, y1, x2, y2] in PDF points, at least 20 × 10",
                },
                "image_id": {"type": "integer", "description": "A seal image (POST /seals)"},
            },
        },
    },
}
_FILE = {"type": "string", "format": "binary"}
_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_INDICATION = {"type": "string", "enum": list(get_args(Indication))}
_CHANGES = {"type": "string", "enum": list(get_args(ChangeKind))}
_CERTIFICATE = obj(
    {
        "subject": _TEXT,
        "issuer": _TEXT,
        "serial": _TEXT,
        "not_before": _TEXT,
        "not_after": _TEXT,
        "email": _NULLABLE_TEXT,
    },
    required=("subject", "issuer", "serial"),
)
_SIGNATURE = obj(
    {
        "field": _TEXT,
        "signer": {"oneOf": [_CERTIFICATE, {"type": "null"}]},
        "chain": array(obj({"subject": _TEXT, "issuer": _TEXT, "serial": _TEXT, "trust_anchor": {"type": "boolean"}})),
        "signing_time": _NULLABLE_TEXT,
        "timestamp": {"type": ["object", "null"]},
        "integrity": obj({"digest_matches": {"type": "boolean"}, "signature_valid": {"type": "boolean"}}),
        "coverage": obj(
            {"whole_document": {"type": "boolean"}, "later_revisions": {"type": "integer"}, "changes": _CHANGES}
        ),
        "modification_level": _NULLABLE_TEXT,
        "revocation": obj(
            {"status": {"type": "string", "enum": list(get_args(RevocationStatus))}, "embedded": {"type": "boolean"}},
        ),
        "pades_level": {"type": ["string", "null"]},
        "indication": _INDICATION,
        "sub_indication": _NULLABLE_TEXT,
        "warnings": array(_TEXT),
        "reason": _NULLABLE_TEXT,
        "location": _NULLABLE_TEXT,
        "certification": _NULLABLE_TEXT,
    },
    required=("field", "signer", "indication", "integrity", "coverage", "warnings"),
)
#: What ``signer.report.ValidationReport.to_dict`` gives (``trust`` in reports made since trust was recorded).
_REPORT = obj(
    {
        "document": obj({"sha256": _TEXT, "filename": _NULLABLE_TEXT}),
        "validated_at": _NULLABLE_TEXT,
        "signatures": array(_SIGNATURE),
        "document_timestamps": array(
            obj({"field": _TEXT, "indication": _INDICATION}, required=("field", "indication"))
        ),
        "trust": {"type": "object"},
    },
    required=("document", "validated_at", "signatures"),
)
_SEAL = obj({"id": {"type": "integer"}, "name": _TEXT})
_SIGNING_REQUEST = obj(
    {
        "id": {"type": "integer"},
        "contract_id": {"type": "integer"},
        "level": {"type": "string", "enum": list(LEVELS)},
        "status": _TEXT,
        "message": _NULLABLE_TEXT,
        "signers": array(
            obj(
                {
                    "email": _TEXT,
                    "position": {"type": "integer"},
                    "signed_at": _NULLABLE_TEXT,
                    "current": {"type": "boolean"},
                }
            )
        ),
    }
)
_REVOCATION = obj(
    {
        "serial": _TEXT,
        "email": _TEXT,
        "reason": {"type": "string", "enum": list(REASONS)},
        "revoked_at": _TEXT,
        "crl_url": _TEXT,
    }
)


def paths() -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/sign": {
            "parameters": [CONTRACT_ID],
            "post": {
                "summary": "Sign the latest version (PAdES); the signed PDF becomes a new version",
                "tags": ["signing"],
                "requestBody": json_body(_SIGN_BODY),
                "responses": {
                    "201": json_answer(
                        "The signed version with its signature report",
                        {"allOf": [schema_ref("Version"), obj({"signatures": _REPORT})]},
                    ),
                    **errors(401, 403, 404, 409, 422, 429),
                },
            },
        },
        "/contracts/{contract_id}/versions/{number}/signatures": {
            "parameters": [CONTRACT_ID, version_parameter()],
            "get": {
                "summary": "The signature report of a version (JSON, or PDF with `format=pdf`)",
                "tags": ["signing"],
                "description": "The PDF is made in the background and kept by the version's hash, the "
                "trust settings, the revocation data and the language: 202 with `Location` (the "
                "result's state, `/results/{key}`) until it is made; asking again then answers 200 "
                "with the kept PDF. A version that is not a readable PDF answers 422.",
                "parameters": [
                    query("format", {"type": "string", "enum": ["json", "pdf"]}),
                    query("lang", {"type": "string"}, "Language of the PDF report, e.g. zh_CN or en"),
                    query("refresh", {"type": "string", "enum": ["1"]}, "Validate again instead of the kept report"),
                ],
                "responses": {
                    "200": {
                        "description": "The report",
                        "content": {"application/json": {"schema": _REPORT}, "application/pdf": {}},
                    },
                    "202": json_answer("The PDF is being made: its state, `status_url` and `result_url`"),
                    **errors(401, 404, 422),
                },
            },
        },
        "/validate": {
            "post": {
                "summary": "Validate the signatures of an uploaded PDF (nothing is stored)",
                "tags": ["signing"],
                "requestBody": multipart_body({"file": _FILE}),
                "responses": {"200": json_answer("The signature report", _REPORT), **errors(401, 403, 413, 415, 422)},
            },
        },
        "/pki/revocations": {
            "post": {
                "summary": "Revoke the certificate the internal CA issued to a user (administrators)",
                "tags": ["signing"],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["email"],
                        "properties": {
                            "email": {"type": "string", "format": "email"},
                            "reason": {"type": "string", "enum": list(REASONS), "default": "unspecified"},
                        },
                    }
                ),
                "responses": {"201": json_answer("The revocation", _REVOCATION), **errors(401, 403, 404, 409, 422)},
            },
        },
        "/seals": {
            "get": {
                "summary": "My seal images",
                "tags": ["signing"],
                "responses": {"200": json_answer("The seals", obj({"items": array(_SEAL)})), **errors(401)},
            },
            "post": {
                "summary": "Store a seal image (PNG) for visible signatures",
                "tags": ["signing"],
                "requestBody": multipart_body({"file": _FILE, "name": {"type": "string"}}),
                "responses": {"201": json_answer("The seal", _SEAL), **errors(401, 403, 413, 415, 422)},
            },
        },
        "/contracts/{contract_id}/signing-requests": {
            "parameters": [CONTRACT_ID],
            "get": {
                "summary": "The contract's signing requests",
                "tags": ["signing"],
                "responses": {
                    "200": json_answer("The signing requests", obj({"items": array(_SIGNING_REQUEST)})),
                    **errors(401, 404),
                },
            },
            "post": {
                "summary": "Ask users to sign, one after the other",
                "tags": ["signing"],
                "requestBody": json_body(
                    {
                        "type": "object",
                        "required": ["signers"],
                        "properties": {
                            "signers": {
                                "type": "array",
                                "items": {"type": "string", "format": "email"},
                                "description": "In signing order",
                            },
                            "level": {"type": "string", "enum": list(LEVELS), "default": "B-B"},
                            "message": {"type": "string"},
                        },
                    }
                ),
                "responses": {
                    "201": json_answer("The signing request", _SIGNING_REQUEST),
                    **errors(401, 403, 404, 409, 422),
                },
            },
        },
    }
