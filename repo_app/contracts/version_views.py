"""Pages about versions and relatives: compare, restore, lineage."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Permission
from ..core.errors import PactumError, ValidationFailed
from ..core.forms import ConfirmForm
from . import access, comparisons, lineage, services
from .compare_pdf import render_comparison_pdf
from .models import RELATIONS, Contract, ContractVersion
from .result_views import pending_page


def _versions(contract_id: int) -> tuple[Contract, ContractVersion, ContractVersion]:
    contract = access.get_contract(current_user, contract_id)
    if len(contract.versions) < 2:
        raise ValidationFailed(_("This contract has only one version."))
    old = services.find_version(contract, request.args.get("a") or contract.versions[-2].number)
    new = services.find_version(contract, request.args.get("b") or contract.versions[-1].number)
    return contract, old, new


def _pending_page(contract: Contract, old: ContractVersion, new: ContractVersion, pending: Any, done_url: str) -> Any:
    """202: the comparison is being made in the background; the page polls and then loads ``done_url``."""
    text = (
        _("Compare versions of “%(title)s”", title=contract.title),
        _(
            "Versions %(a)d and %(b)d are large: they are compared in the background, "
            "and the result is kept for the next time.",
            a=old.number,
            b=new.number,
        ),
    )
    status_url = url_for("contracts.compare_status", contract_id=contract.id, a=old.number, b=new.number)
    return pending_page(pending.result, comparisons.RESULT_KIND, text, (status_url, done_url))


@login_required
def compare(contract_id: int) -> Any:
    contract, old, new = _versions(contract_id)
    comparison = comparisons.compare_versions(current_user, contract, old, new)
    if isinstance(comparison, comparisons.PendingComparison):
        return _pending_page(contract, old, new, comparison, request.full_path)
    return render_template(
        "contracts/compare.html",
        contract=contract,
        old=old,
        new=new,
        comparison=comparison,
        view=request.args.get("view", "inline"),
    )


@login_required
def compare_status(contract_id: int) -> Any:
    """JSON for the page that waits for a background comparison."""
    _contract, old, new = _versions(contract_id)
    return jsonify(comparisons.progress_to_dict(comparisons.comparison_progress(old, new)))


@login_required
def compare_pdf(contract_id: int) -> Any:
    contract, old, new = _versions(contract_id)
    comparison = comparisons.compare_versions(current_user, contract, old, new)
    if isinstance(comparison, comparisons.PendingComparison):
        return _pending_page(contract, old, new, comparison, request.full_path)
    pdf = render_comparison_pdf(contract.title, old.number, new.number, comparison)
    filename = f"compare-{contract.id}-v{old.number}-v{new.number}.pdf"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@login_required
def restore(contract_id: int, number: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    if ConfirmForm().validate_on_submit():
        try:
            restored = lineage.restore_version(current_user, contract, services.find_version(contract, number))
        except PactumError as error:
            flash(error.message, "danger")
        else:
            flash(_("Version %(old)d restored as version %(new)d.", old=number, new=restored.number), "success")
    return redirect(url_for("contracts.detail", contract_id=contract.id))


@login_required
def lineage_page(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id)
    related = lineage.family(current_user, contract)
    readable_parent = related.ancestors[-1] if related.ancestors else None
    return render_template(
        "contracts/lineage.html",
        contract=contract,
        family=related,
        parent=readable_parent if readable_parent and readable_parent.id == contract.parent_id else None,
        relations=RELATIONS,
        confirm_form=ConfirmForm(),
        can_edit=access.may(current_user, contract, Permission.CONTRACT_EDIT),
    )


@login_required
def relate(contract_id: int) -> Any:
    contract = access.get_contract(current_user, contract_id, Permission.CONTRACT_EDIT)
    if ConfirmForm().validate_on_submit():
        raw_parent = (request.form.get("parent_id") or "").strip()
        try:
            parent_id = int(raw_parent) if raw_parent else None
            lineage.relate(current_user, contract, parent_id, request.form.get("relation") or None)
        except ValueError:
            flash(_("Pick the parent contract from the list."), "danger")
        except PactumError as error:
            flash(error.message, "danger")
        else:
            flash(_("Saved."), "success")
    return redirect(url_for("contracts.lineage_page", contract_id=contract.id))
