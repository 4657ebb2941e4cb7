from __future__ import annotations

from flask import Blueprint

from ..lifecycle import api as lifecycle_api
from ..notifications import api as notifications_api
from ..tasks_inbox import api as tasks_api
from ..workflows import api as approval_api
from . import search_views, signing_views, views

bp = Blueprint("api", __name__, url_prefix="/api/v1")

bp.add_url_rule("/contracts", view_func=views.list_contracts, methods=["GET"])
bp.add_url_rule("/contracts", view_func=views.create_contract, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>", view_func=views.get_contract, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>", view_func=views.update_contract, methods=["PATCH"])
bp.add_url_rule("/contracts/<int:contract_id>", view_func=views.delete_contract, methods=["DELETE"])
bp.add_url_rule("/contracts/<int:contract_id>/restore", view_func=views.restore_contract, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/versions", view_func=views.create_version, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/versions/<number>/file", view_func=views.version_file, methods=["GET"])
bp.add_url_rule("/openapi.json", view_func=views.openapi_document, methods=["GET"])
bp.add_url_rule("/docs", view_func=views.docs, methods=["GET"])
bp.add_url_rule("/search", view_func=search_views.search, methods=["GET"])
bp.add_url_rule("/search/suggest", view_func=search_views.suggest, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/similar", view_func=search_views.similar, methods=["GET"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<number>/reprocess", view_func=search_views.reprocess, methods=["POST"]
)
bp.add_url_rule("/audit", view_func=views.audit_events, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/access", view_func=views.contract_access, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/access", view_func=views.update_contract_access, methods=["PUT"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<number>/restore", view_func=views.restore_version, methods=["POST"]
)
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<old>/compare/<new>", view_func=views.compare_versions, methods=["GET"]
)
bp.add_url_rule("/contracts/<int:contract_id>/lineage", view_func=views.contract_lineage, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/parent", view_func=views.set_parent, methods=["PUT"])
bp.add_url_rule("/contracts/<int:contract_id>/sign", view_func=signing_views.sign, methods=["POST"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<number>/signatures", view_func=signing_views.signatures, methods=["GET"]
)
bp.add_url_rule("/validate", view_func=signing_views.validate, methods=["POST"])
bp.add_url_rule("/seals", view_func=signing_views.create_seal, methods=["POST"])
bp.add_url_rule("/seals", view_func=signing_views.list_seals, methods=["GET"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/signing-requests", view_func=signing_views.create_signing_request, methods=["POST"]
)
bp.add_url_rule(
    "/contracts/<int:contract_id>/signing-requests", view_func=signing_views.list_signing_requests, methods=["GET"]
)
bp.add_url_rule("/contracts/<int:contract_id>/legal-hold", view_func=views.legal_hold, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/purge", view_func=views.purge_contract, methods=["POST"])
# Lifecycle, approvals, tasks and notifications (handlers in their own packages).
bp.add_url_rule("/contracts/<int:contract_id>/status", view_func=lifecycle_api.change_status, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/approval", view_func=approval_api.approval_state, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/approval", view_func=approval_api.submit, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/approval", view_func=approval_api.withdraw, methods=["DELETE"])
bp.add_url_rule("/contracts/<int:contract_id>/approval/decisions", view_func=approval_api.decide, methods=["POST"])
bp.add_url_rule("/tasks", view_func=tasks_api.list_tasks, methods=["GET"])
bp.add_url_rule("/notifications", view_func=notifications_api.list_notifications, methods=["GET"])
bp.add_url_rule("/notifications/read", view_func=notifications_api.mark_read, methods=["POST"])
