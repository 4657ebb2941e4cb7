"""Signing pages: the sign flow, seals, signing requests."""

from __future__ import annotations

import base64
import json
from datetime import UTC
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from signer.report import ValidationReport

from ..auth import authenticator
from ..auth.login import login_required, permission_required
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.previews import preview_of
from ..contracts.result_views import pending_page, this_url
from ..contracts.services import find_version
from ..core import results
from ..core.errors import PactumError, ValidationFailed
from ..core.extensions import db, settings
from ..core.forms import ConfirmForm
from . import display, revocation, services
from .api import report_pdf_response
from .models import SigningRequest


@login_required
def sign_page(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_SIGN)
    return render_template(
        "signing/sign.html",
        contract=contract,
        version=contract.latest_version,
        preview=preview_of(contract.latest_version),
        seals=services.seals_of(current_user),
        levels=services.LEVELS,
        tsa_configured=bool(settings().tsa_url),
        has_authenticator=authenticator.has_authenticator(current_user),
    )


def _signing_contract() -> Any:
    """The contract whose signing page led here (``?contract=<id>``), when the user may sign
    it: the seals page then links back to that signing page."""
    contract_id = request.args.get("contract", type=int)
    if contract_id is None:
        return None
    try:
        return access.get_contract(current_user, contract_id, Permission.CONTRACT_SIGN)
    except PactumError:
        return None


@login_required
def report_pdf(contract_id: int, number: int) -> Any:
    """The signature report PDF: at once when kept, else a page that waits for it and then
    loads this URL again (served from the kept result)."""
    contract = access.get_contract(current_user, contract_id)
    version = find_version(contract, number)
    language = request.args.get("lang") or str(get_locale() or "zh_CN")
    row = services.request_report_pdf(current_user, contract, version, language)
    if row.status == results.DONE:
        return report_pdf_response(row, contract, version)
    text = (
        _("Signature report of “%(title)s”, version %(n)d", title=contract.title, n=version.number),
        _("The signatures are validated and the report is written in the background; it is kept for the next time."),
    )
    status_url = url_for("contracts.result_status", key=row.key)
    return pending_page(row, services.REPORT_PDF_KIND, text, (status_url, this_url()))


@login_required
def report_page(contract_id: int, number: str) -> Any:
    """A version's signature report on the page, with its JSON and signed PDF."""
    contract = access.get_contract(current_user, contract_id)
    version = find_version(contract, number)
    report = services.report_for(current_user, contract, version)
    return render_template(
        "signing/report.html", contract=contract, version=version, report=display.readable_report(report)
    )


@login_required
def validate_page() -> Any:
    """Check the signatures of a PDF from outside: not stored, audited, the report on the page."""
    access.require(current_user, Permission.CONTRACT_READ)
    form = ConfirmForm()
    context: dict[str, Any] = {"form": form, "max_mb": services.validate_max_bytes() // (1024 * 1024)}
    if request.method != "POST" or not form.validate_on_submit():
        return render_template("signing/validate.html", **context)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed(_("Choose a PDF file."))
        result = services.validate_outside(current_user, services.read_limited(upload.stream), upload.filename)
    except PactumError as error:
        db.session.rollback()
        return render_template("signing/validate.html", error=error.message, **context), error.status
    context.update(_outside_report(result, upload.filename))
    return render_template("signing/validate.html", **context)


def _outside_report(result: ValidationReport, filename: str) -> dict[str, Any]:
    """The report for the page, and its JSON and signed PDF as downloads in the page."""
    report = result.to_dict()
    pdf = services.outside_report_pdf(result, display.language())
    stem = secure_filename(filename.rsplit(".", 1)[0]) or "upload"
    return {
        "report": display.readable_report(report),
        "report_json_b64": base64.b64encode(json.dumps(report, ensure_ascii=False, indent=2).encode()).decode(),
        "report_pdf_b64": base64.b64encode(pdf).decode(),
        "json_name": f"signature-report-{stem}.json",
        "pdf_name": f"signature-report-{stem}.pdf",
    }


@permission_required(Permission.CONTRACT_SIGN)
def seals() -> Any:
    back_to = _signing_contract()
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
        return redirect(url_for("signing.seals", contract=back_to.id if back_to else None))
    return render_template(
        "signing/seals.html", seals=services.seals_of(current_user), confirm_form=ConfirmForm(), back_to=back_to
    )


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
