"""The money feature: the counterparty directory, payment plans, payments and balances —
pages, API handlers and the money panel of the contract page."""

from __future__ import annotations

from flask import Flask

from ..contracts.pages import PAGE_PARTS
from ..core import registry, signals
from ..core.api import add_openapi_paths, add_route
from ..core.tasks import PROVIDERS
from ..lifecycle.reminders import SOURCES
from . import api, openapi, reminders, services, statement_api, statement_openapi
from .blueprint import bp
from .invoice_setup import init_invoices
from .labels import LABELS
from .panel import money_part


def init_app(app: Flask) -> None:
    reminders.validate(app.extensions["pactum.settings"])
    app.register_blueprint(bp)
    registry.add(app, PAGE_PARTS, money_part)
    registry.add(app, SOURCES, reminders.occurrences)
    registry.add(app, PROVIDERS, reminders.OverduePayments())
    app.jinja_env.globals.update(money_labels=LABELS)
    signals.connect(app, signals.metadata_changed, services.amount_changed)
    add_openapi_paths(app, openapi.paths)
    add_openapi_paths(app, statement_openapi.paths)
    add_route(app, "/counterparties", api.list_counterparties, "GET")
    add_route(app, "/counterparties", api.create_counterparty, "POST")
    add_route(app, "/counterparties/<int:counterparty_id>", api.get_counterparty, "GET")
    add_route(app, "/counterparties/<int:counterparty_id>", api.update_counterparty, "PATCH")
    add_route(app, "/counterparties/<int:counterparty_id>/merge", api.merge_counterparties, "POST")
    add_route(app, "/contracts/<int:contract_id>/money", api.contract_money, "GET")
    add_route(app, "/contracts/<int:contract_id>/money/plan", api.put_plan, "PUT")
    add_route(app, "/contracts/<int:contract_id>/money/payments", api.create_payment, "POST")
    add_route(app, "/contracts/<int:contract_id>/money/payments/<int:payment_id>/reverse", api.reverse_payment, "POST")
    add_route(app, "/contracts/<int:contract_id>/money/payments/<int:payment_id>/receipt", api.payment_receipt, "GET")
    add_route(app, "/balances", api.balances_by_department, "GET")
    init_invoices(app)
    add_route(app, "/money/statements", statement_api.statement_list, "GET")
    add_route(app, "/money/statements", statement_api.statement_upload, "POST")
    add_route(app, "/money/statements/<int:import_id>", statement_api.statement_get, "GET")
    add_route(app, "/money/statements/<int:import_id>/columns", statement_api.statement_columns, "POST")
    add_route(app, "/money/statements/<int:import_id>/confirm", statement_api.statement_confirm, "POST")
    add_route(app, "/money/statements/<int:import_id>/rows/<int:row_id>/assign", statement_api.statement_assign, "POST")
    add_route(app, "/money/statements/<int:import_id>/rows/<int:row_id>/ignore", statement_api.statement_ignore, "POST")
