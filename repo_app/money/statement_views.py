"""Pages of the bank statement import: upload, choose columns, review the proposals, confirm,
assign or ignore lines. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.login import permission_required
from ..auth.roles import Permission
from ..contracts.services import IncomingFile
from ..core import forms
from ..core.errors import ValidationFailed
from ..core.form_actions import run_form_action
from . import statement_files, statements
from .statement_models import RowState

#: Labels of the line states, the reasons of a proposal and the columns of a statement.
LABELS = {
    RowState.MATCHED: _l("Matched"),
    RowState.AMBIGUOUS: _l("Several fit"),
    RowState.UNMATCHED: _l("Not matched"),
    RowState.RECORDED: _l("Recorded"),
    RowState.IGNORED: _l("Ignored"),
    RowState.DUPLICATE: _l("Already recorded"),
    RowState.UNREADABLE: _l("Not a transaction"),
    "instalment_reference": _l("The memo names this instalment"),
    "contract_number": _l("The memo names the contract number"),
    "counterparty_amount": _l("Same counterparty and exactly the open amount"),
    "date": _l("Date"),
    "amount": _l("Amount (minus: paid out)"),
    "credit": _l("Money in (credit)"),
    "debit": _l("Money out (debit)"),
    "currency": _l("Currency"),
    "counterparty": _l("Counterparty"),
    "reference": _l("Memo / reference"),
    "transaction_id": _l("Transaction id"),
}
STATE_STYLE = {
    RowState.MATCHED: "success",
    RowState.AMBIGUOUS: "warning",
    RowState.UNMATCHED: "secondary",
    RowState.RECORDED: "primary",
    RowState.IGNORED: "light",
    RowState.DUPLICATE: "info",
    RowState.UNREADABLE: "light",
}


def _to_review(import_id: int) -> Any:
    return redirect(url_for("money.statement", import_id=import_id))


@permission_required(Permission.PAYMENT_RECORD)
def statement_imports() -> Any:
    if request.method == "POST":
        upload = request.files.get("file")
        done: list[Any] = []

        def run() -> None:
            if upload is None or not upload.filename:
                raise ValidationFailed(_("Choose a CSV or XLSX file."), field="file")
            done.append(statements.import_statement(current_user, IncomingFile.of(upload)))

        if run_form_action(run):
            statement, created = done[0]
            if created:
                flash(_("Statement read: check the proposals and confirm."), "success")
            else:
                flash(_("This file was imported before: here is that import. Nothing is recorded twice."), "info")
            return _to_review(statement.id)
    return render_template("money/statements.html", imports=statements.recent_imports())


@permission_required(Permission.PAYMENT_RECORD)
def statement(import_id: int) -> Any:
    found = statements.get_import(import_id)
    view = statements.review(current_user, found)
    return render_template(
        "money/statement.html",
        view=view,
        statement=found,
        fields=statement_files.FIELDS,
        labels=LABELS,
        styles=STATE_STYLE,
    )


@permission_required(Permission.PAYMENT_RECORD)
def statement_columns(import_id: int) -> Any:
    found = statements.get_import(import_id)
    values: dict[str, Any] = {name: request.form.get(name) or None for name in statement_files.FIELDS}
    values["reference"] = [item for item in request.form.getlist("reference") if item]
    run_form_action(lambda: statements.set_columns(current_user, found, values), _("Columns saved."))
    return _to_review(import_id)


@permission_required(Permission.PAYMENT_RECORD)
def statement_confirm(import_id: int) -> Any:
    found = statements.get_import(import_id)
    row_ids = [int(item) for item in request.form.getlist("row_id") if item.isdigit()]
    counted: list[int] = []
    if run_form_action(lambda: counted.append(statements.confirm(current_user, found, row_ids))):
        flash(_("%(n)d payments recorded.", n=counted[0]), "success" if counted[0] else "info")
    return _to_review(import_id)


@permission_required(Permission.PAYMENT_RECORD)
def statement_assign(import_id: int, row_id: int) -> Any:
    found = statements.get_import(import_id)
    row = statements.get_row(found, row_id)
    instalment_id = forms.whole(request.form, "instalment_id")

    def run() -> None:
        if instalment_id is None:
            raise ValidationFailed(_("Choose an instalment."), field="instalment_id")
        statements.assign(current_user, found, row, instalment_id)

    run_form_action(run, _("Payment recorded."))
    return _to_review(import_id)


@permission_required(Permission.PAYMENT_RECORD)
def statement_ignore(import_id: int, row_id: int) -> Any:
    found = statements.get_import(import_id)
    row = statements.get_row(found, row_id)
    run_form_action(
        lambda: statements.ignore(current_user, found, row, forms.text(request.form, "reason")), _("Line ignored.")
    )
    return _to_review(import_id)
