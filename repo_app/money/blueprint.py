from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("money", __name__)

bp.add_url_rule("/counterparties", view_func=views.counterparties)
bp.add_url_rule("/counterparties/new", view_func=views.new_counterparty, methods=["GET", "POST"])
bp.add_url_rule("/counterparties/<int:counterparty_id>", view_func=views.counterparty)
bp.add_url_rule(
    "/counterparties/<int:counterparty_id>/edit", view_func=views.edit_counterparty, methods=["GET", "POST"]
)
bp.add_url_rule("/counterparties/<int:counterparty_id>/merge", view_func=views.merge_counterparty, methods=["POST"])
bp.add_url_rule("/money/balances", view_func=views.balances)
bp.add_url_rule("/money/instalments", view_func=views.instalments)
bp.add_url_rule("/contracts/<int:contract_id>/money/direction", view_func=views.direction, methods=["POST"])
bp.add_url_rule("/contracts/<int:contract_id>/money/instalments", view_func=views.add_instalment, methods=["POST"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/money/instalments/<int:instalment_id>/delete",
    view_func=views.delete_instalment,
    methods=["POST"],
)
bp.add_url_rule("/contracts/<int:contract_id>/money/payments", view_func=views.record_payment, methods=["POST"])
bp.add_url_rule(
    "/contracts/<int:contract_id>/money/payments/<int:payment_id>/reverse",
    view_func=views.reverse_payment,
    methods=["POST"],
)
bp.add_url_rule("/contracts/<int:contract_id>/money/payments/<int:payment_id>/receipt", view_func=views.receipt)
