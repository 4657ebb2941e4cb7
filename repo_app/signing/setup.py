"""The signing feature: pages, API handlers, the signatures panel of the contract page, the
signing part of "My tasks", and the purge of its rows with a contract."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete

from ..contracts.models import Contract
from ..contracts.pages import PAGE_PARTS
from ..core import registry, results, signals
from ..core.api import add_openapi_paths, add_route
from ..core.extensions import db
from ..core.jobs.queue import job
from ..core.tasks import PROVIDERS
from . import api, display, openapi, revocation, services
from .blueprint import bp
from .models import SignatureValidation, SigningRequest
from .turns import SigningTasks


def signatures_part(contract: Contract) -> dict[str, Any]:
    """What the signatures panel shows: the latest version's report and the signing requests."""
    latest = contract.latest_version
    validation = db.session.get(SignatureValidation, latest.id) if latest is not None else None
    return {
        "signatures": {
            "validation": validation,
            "report": display.readable_report(validation.report) if validation is not None else None,
            "requests": services.requests_of(contract),
            "levels": services.LEVELS,
        }
    }


def _forget_requests(sender: Flask, *, contract: Contract, action: str, **_: Any) -> None:
    """A purge deletes the contract's versions: its signing requests go first."""
    if action == "purging":
        db.session.execute(delete(SigningRequest).where(SigningRequest.contract_id == contract.id))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add(app, PAGE_PARTS, signatures_part)
    registry.add(app, results.KINDS, services.REPORT_PDF_KIND)
    # a failure is kept as the result and shown to the user; running it again would fail again
    job(app, services.REPORT_PDF_JOB, retries=0)(services.make_report_pdf)
    registry.add(app, PROVIDERS, SigningTasks())
    signals.connect(app, signals.contract_removed, _forget_requests)
    signals.connect(app, signals.user_active_changed, revocation.revoke_on_deactivation)
    add_openapi_paths(app, openapi.paths)
    add_route(app, "/contracts/<int:contract_id>/sign", api.sign, "POST")
    add_route(app, "/contracts/<int:contract_id>/versions/<number>/signatures", api.signatures, "GET")
    add_route(app, "/validate", api.validate, "POST")
    add_route(app, "/pki/revocations", api.revoke_certificate, "POST")
    add_route(app, "/seals", api.create_seal, "POST")
    add_route(app, "/seals", api.list_seals, "GET")
    add_route(app, "/contracts/<int:contract_id>/signing-requests", api.create_signing_request, "POST")
    add_route(app, "/contracts/<int:contract_id>/signing-requests", api.list_signing_requests, "GET")
