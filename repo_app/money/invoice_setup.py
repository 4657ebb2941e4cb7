"""Invoices in the money feature: their pages and API routes, their OpenAPI paths, and the
invoice files and payment receipts declared as blobs of the contract (kept while any row
points to them, removed when the contract is purged)."""

from __future__ import annotations

from flask import Flask

from ..contracts.blobs import BLOB_HOLDERS, CONTRACT_BLOBS
from ..core import registry
from ..core.api import add_openapi_paths, add_route
from . import invoice_api, invoice_openapi, invoices
from .invoice_views import bp

_ONE = "/contracts/<int:contract_id>/money/invoices/<int:invoice_id>"


def init_invoices(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add(app, BLOB_HOLDERS, invoices.money_blobs)
    registry.add(app, CONTRACT_BLOBS, invoices.contract_money_blobs)
    add_openapi_paths(app, invoice_openapi.paths)
    add_route(app, "/contracts/<int:contract_id>/money/invoices", invoice_api.list_invoices, "GET")
    add_route(app, "/contracts/<int:contract_id>/money/invoices", invoice_api.create_invoice, "POST")
    add_route(app, "/contracts/<int:contract_id>/money/invoices/suggest", invoice_api.suggest_invoice, "POST")
    add_route(app, _ONE, invoice_api.get_invoice, "GET")
    add_route(app, _ONE, invoice_api.update_invoice, "PATCH")
    add_route(app, _ONE + "/status", invoice_api.move_invoice, "POST")
    add_route(app, _ONE + "/file", invoice_api.invoice_file, "GET")
