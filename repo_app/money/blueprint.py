from __future__ import annotations

from flask import Blueprint

from . import statement_views, views

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
bp.add_url_rule("/money/statements", view_func=statement_views.statement_imports, methods=["GET", "POST"])
bp.add_url_rule("/money/statements/<int:import_id>", view_func=statement_views.statement)
bp.add_url_rule(
    "/money/statements/<int:import_id>/columns", view_func=statement_views.statement_columns, methods=["POST"]
)
bp.add_url_rule(
    "/money/statements/<int:import_id>/confirm", view_func=statement_views.statement_confirm, methods=["POST"]
)
bp.add_url_rule(
    "/money/statements/<int:import_id>/rows/<int:row_id>/assign",
    view_func=statement_views.statement_assign,
    methods=["POST"],
)
bp.add_url_rule(
    "/money/statements/<int:import_id>/rows/<int:row_id>/ignore",
    view_func=statement_views.statement_ignore,
    methods=["POST"],
)
