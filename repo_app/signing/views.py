"""Signing pages: the sign flow, seals, signing requests."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import authenticator
from ..auth.login import login_required, permission_required
from ..auth.roles import Permission
from ..contracts import access
from ..core.errors import PactumError
from ..core.extensions import db, settings
from ..core.forms import ConfirmForm
from . import revocation, services
from .models import SigningRequest


@login_required
def sign_page(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_SIGN)
    return render_template(
        "signing/sign.html",
        contract=contract,
        version=contract.latest_version,
        seals=services.seals_of(current_user),
        levels=services.LEVELS,
        tsa_configured=bool(settings().tsa_url),
        has_authenticator=authenticator.has_authenticator(current_user),
    )


@permission_required(Permission.CONTRACT_SIGN)
def seals() -> Any:
    if ConfirmForm().validate_on_submit():
        upload = request.files.get("file")
        try:
            if upload is None:
                raise PactumError(_("Choose a PNG file."))
            services.save_seal(current_user, upload.read(), request.form.get("name") or upload.filename or "seal")
        except PactumError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            flash(_("Seal saved."), "success")
        return redirect(url_for("signing.seals"))
    return render_template("signing/seals.html", seals=services.seals_of(current_user), confirm_form=ConfirmForm())


@login_required
def create_request(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    if ConfirmForm().validate_on_submit():
        emails = [
            line.strip() for line in request.form.get("signers", "").replace(",", "\n").splitlines() if line.strip()
        ]
        try:
            services.create_request(
                current_user, contract, emails, request.form.get("level", "B-B"), request.form.get("message") or None
            )
        except PactumError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            flash(_("Signing request sent to %(first)s.", first=emails[0]), "success")
    return redirect(url_for("contracts.detail", contract_id=contract.id))


@login_required
def cancel_request(request_id: int) -> Any:
    signing_request = db.session.get(SigningRequest, request_id)
    if signing_request is None:
        return redirect(url_for("contracts.list_contracts"))
    contract = access.get_contract(current_user, signing_request.contract_id, Permission.CONTRACT_EDIT)
    if ConfirmForm().validate_on_submit():
        services.cancel_request(current_user, signing_request)
        flash(_("Signing request cancelled."), "info")
    return redirect(url_for("contracts.detail", contract_id=contract.id))


#: How long HTTP caches may keep the CRL. Short, because a revocation publishes a new CRL at
#: once; ETag and Last-Modified make the re-checks cheap.
CRL_MAX_AGE_SECONDS = 300


def ca_crl() -> Any:
    """The internal CA's current CRL (DER), public like every CRL: relying parties outside
    Pactum fetch it from the address in the certificates."""
    crl = revocation.current_crl()
    response = Response(crl.der, mimetype="application/pkix-crl")
    response.cache_control.public = True
    response.cache_control.max_age = CRL_MAX_AGE_SECONDS
    response.last_modified = crl.this_update.replace(tzinfo=UTC)
    response.expires = crl.next_update.replace(tzinfo=UTC)
    response.set_etag(f"crl-{crl.number}")
    return response.make_conditional(request)
