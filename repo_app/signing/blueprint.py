from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("signing", __name__)
bp.add_url_rule("/contracts/<int:contract_id>/sign", view_func=views.sign_page, methods=["GET"])
bp.add_url_rule("/contracts/<int:contract_id>/signing-requests", view_func=views.create_request, methods=["POST"])
bp.add_url_rule("/signing-requests/<int:request_id>/cancel", view_func=views.cancel_request, methods=["POST"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<int:number>/signature-report.pdf",
    view_func=views.report_pdf,
    methods=["GET"],
)
bp.add_url_rule(
    "/contracts/<int:contract_id>/versions/<number>/signatures", view_func=views.report_page, methods=["GET"]
)
bp.add_url_rule("/signatures/validate", view_func=views.validate_page, methods=["GET", "POST"])
bp.add_url_rule("/account/seals", view_func=views.seals, methods=["GET", "POST"])
bp.add_url_rule("/pki/ca.crl", view_func=views.ca_crl, methods=["GET"])
