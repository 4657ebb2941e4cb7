"""Template pages: the list, a new template, the template's page (details, variables, Word
file, preview, publish, retire), drafting a contract from a template, and the clause library."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.login import login_required, permission_required
from ..auth.roles import Permission
from ..contracts.models import ContractType, Counterparty, Department
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from ..core.form_actions import run_form_action
from . import schemas, services
from .models import TemplateVersion
from .values import CURRENCY_NAMES_ZH

_MAX_TEMPLATE_BYTES = 20 * 1024 * 1024


def _choices() -> dict[str, Any]:
    return {
        "contract_types": list(db.session.scalars(select(ContractType).order_by(ContractType.position))),
        "departments": list(db.session.scalars(select(Department).order_by(Department.name))),
        "types": schemas.TYPES,
        "mappings": schemas.MAPPINGS,
    }


def _fields(form: Any) -> services.TemplateFields:
    return services.TemplateFields(
        name=form.get("name", ""),
        contract_type=form.get("contract_type") or None,
        department=form.get("department") or None,
        language=form.get("language", "zh"),
        description=form.get("description"),
    )


def _uploaded() -> tuple[bytes, str]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(_("Choose a Word (DOCX) file."), field="file")
    data = upload.stream.read(_MAX_TEMPLATE_BYTES + 1)
    if len(data) > _MAX_TEMPLATE_BYTES:
        raise ValidationFailed(_("A template file is at most 20 MB."), field="file")
    return data, upload.filename


@login_required
def templates() -> Any:
    manage = current_user.can(Permission.TEMPLATE_MANAGE)
    items = services.visible_templates(current_user, include_retired=manage)
    return render_template("drafting/list.html", templates=items, manage=manage)


@permission_required(Permission.TEMPLATE_MANAGE)
def new_template() -> Any:
    if request.method == "POST":
        created: list[Any] = []

        def create() -> None:
            data, filename = _uploaded()
            created.append(services.create_template(current_user, _fields(request.form), data, filename))

        if run_form_action(create, _("Template created: check the variables found, then publish.")):
            return redirect(url_for("drafting.template", template_id=created[0].id))
    return render_template("drafting/new.html", form=request.form, **_choices())


@permission_required(Permission.TEMPLATE_MANAGE)
def template(template_id: int) -> Any:
    item = services.get_template(current_user, template_id, manage=True)
    shown = item.draft or item.published or item.versions[-1]
    return render_template(
        "drafting/template.html",
        template=item,
        version=shown,
        clauses=services.latest_clauses(),
        **_choices(),
    )


@permission_required(Permission.TEMPLATE_MANAGE)
def details(template_id: int) -> Any:
    item = services.get_template(current_user, template_id, manage=True)
    run_form_action(lambda: services.update_template(current_user, item, _fields(request.form)), _("Saved."))
    return redirect(url_for("drafting.template", template_id=item.id))


@permission_required(Permission.TEMPLATE_MANAGE)
def upload_file(template_id: int) -> Any:
    item = services.get_template(current_user, template_id, manage=True)

    def upload() -> None:
        data, filename = _uploaded()
        services.upload_file(current_user, item, data, filename)

    run_form_action(upload, _("Word file uploaded to the draft version."))
    return redirect(url_for("drafting.template", template_id=item.id))


def _posted_variables(form: Any) -> list[dict[str, Any]]:
    """The variables table of the template page: one row of inputs per variable, named ``<field>-<i>``."""
    rows = []
    for index in range(int(form.get("count", "0") or 0)):
        name = form.get(f"name-{index}")
        if not name:
            continue
        rows.append(
            {
                "name": name,
                "type": form.get(f"type-{index}", "text"),
                "label": (form.get(f"label-{index}") or "").strip(),
                "help": (form.get(f"help-{index}") or "").strip(),
                "required": form.get(f"required-{index}") == "1",
                "options": _list(form.get(f"options-{index}")),
                "columns": _list(form.get(f"columns-{index}")),
                "maps_to": form.get(f"maps_to-{index}") or None,
                "sample": (form.get(f"sample-{index}") or "").strip(),
            }
        )
    return rows


def _list(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").replace("，", ",").split(",") if item.strip()]


@permission_required(Permission.TEMPLATE_MANAGE)
def variables(template_id: int) -> Any:
    item = services.get_template(current_user, template_id, manage=True)
    done = run_form_action(
        lambda: services.save_variables(current_user, item, _posted_variables(request.form)), _("Variables saved.")
    )
    if done and request.form.get("then") == "publish":
        run_form_action(
            lambda: services.publish(current_user, item),
            _("Published: new contracts can be drafted from this version."),
        )
    return redirect(url_for("drafting.template", template_id=item.id))


@permission_required(Permission.TEMPLATE_MANAGE)
def publish(template_id: int) -> Any:
    item = services.get_template(current_user, template_id, manage=True)
    run_form_action(
        lambda: services.publish(current_user, item), _("Published: new contracts can be drafted from this version.")
    )
    return redirect(url_for("drafting.template", template_id=item.id))


@permission_required(Permission.TEMPLATE_MANAGE)
def retire(template_id: int) -> Any:
    item = services.get_template(current_user, template_id, manage=True)
    retired = request.form.get("retired") == "1"
    message = _("Template retired.") if retired else _("Template reinstated.")
    run_form_action(lambda: services.set_retired(current_user, item, retired), message)
    return redirect(url_for("drafting.template", template_id=item.id))


def _version(template_id: int, number: int) -> tuple[Any, TemplateVersion]:
    item = services.get_template(current_user, template_id, manage=True)
    version = next((v for v in item.versions if v.number == number), None)
    if version is None:
        raise NotFound(_("No such template version."))
    return item, version


_DOCX_TYPE = services.DOCX


@permission_required(Permission.TEMPLATE_MANAGE)
def version_file(template_id: int, number: int) -> Any:
    _item, version = _version(template_id, number)
    return _download(services.read_file(version), version.filename, _DOCX_TYPE)


@permission_required(Permission.TEMPLATE_MANAGE)
def sample(template_id: int, number: int) -> Any:
    item, version = _version(template_id, number)
    return _download(services.sample_docx(current_user, version), f"{item.name}-v{number}-sample.docx", _DOCX_TYPE)


@permission_required(Permission.TEMPLATE_MANAGE)
def preview(template_id: int, number: int) -> Any:
    item, version = _version(template_id, number)
    pdf = services.preview_pdf(current_user, item, version)
    return _download(pdf, f"{item.name}-v{number}-preview.pdf", "application/pdf", inline=True)


def _download(data: bytes, filename: str, media_type: str, *, inline: bool = False) -> Response:
    from urllib.parse import quote

    disposition = "inline" if inline else "attachment"
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _form_values(version: TemplateVersion, form: Any) -> dict[str, Any]:
    """The drafting form's inputs as the raw values the schema checks."""
    values: dict[str, Any] = {}
    for variable in version.variables:
        name, kind = variable["name"], variable["type"]
        if kind == "party":
            values[name] = {
                "name": form.get(name, ""),
                "address": form.get(f"{name}.address", ""),
                "contact": form.get(f"{name}.contact", ""),
            }
            if not values[name]["name"].strip():
                values[name] = None
        elif kind == "money":
            amount = form.get(name, "")
            values[name] = (
                {"amount": amount, "currency": form.get(f"{name}.currency", "CNY")} if amount.strip() else None
            )
        elif kind == "yesno":
            values[name] = form.get(name) == "1"
        else:
            values[name] = form.get(name, "")
    return values


@permission_required(Permission.CONTRACT_CREATE)
def draft(template_id: int) -> Any:
    item = services.get_template(current_user, template_id)
    version = item.published
    if version is None or item.retired_at is not None:
        raise NotFound(_("This template cannot be drafted from."))
    error: ValidationFailed | None = None
    if request.method == "POST":
        created: list[Any] = []
        try:
            created.append(
                services.draft_contract(
                    current_user, item, _form_values(version, request.form), request.form.get("title")
                )
            )
        except ValidationFailed as refused:
            from ..core import uow

            uow.rollback()
            error = refused
        else:
            return redirect(url_for("contracts.detail", contract_id=created[0].id))
    counterparties = list(db.session.scalars(select(Counterparty.name).order_by(Counterparty.name).limit(500)))
    field = error.extra.get("field", "") if error else ""
    return render_template(
        "drafting/draft.html",
        template=item,
        version=version,
        form=request.form,
        error=error,
        error_variable=field.removeprefix("variables."),
        counterparties=counterparties,
        currencies=list(CURRENCY_NAMES_ZH),
    ), (422 if error else 200)


@permission_required(Permission.TEMPLATE_MANAGE)
def clauses() -> Any:
    if request.method == "POST":
        form = request.form
        run_form_action(
            lambda: services.save_clause(
                current_user,
                form.get("key", ""),
                form.get("title", ""),
                form.get("text_zh", ""),
                form.get("text_en", ""),
            ),
            _("Clause saved. Templates take it up when their next version is published."),
        )
        return redirect(url_for("drafting.clauses"))
    return render_template("drafting/clauses.html", clauses=services.latest_clauses())


_REPLACEMENT_ROWS = 8


def _suggested_replacements(contract: Any) -> list[tuple[str, str]]:
    """What a contract's own metadata says is variable in its text: the counterparties, the number."""
    rows = [
        (name, "party_b" if index == 0 else f"party_{index + 2}")
        for index, name in enumerate(contract.counterparty_names)
    ]
    if contract.contract_number:
        rows.append((contract.contract_number, "contract_number"))
    return rows[:_REPLACEMENT_ROWS]


@login_required
def save_as_template(contract_id: int, number: int) -> Any:
    from ..contracts import access
    from ..contracts import services as contract_services

    # A contract the user may not read is not found, whatever their role (no 403 that tells it exists).
    contract = access.get_contract(current_user, contract_id)
    access.require(current_user, Permission.TEMPLATE_MANAGE)
    version = contract_services.find_version(contract, number)
    if request.method == "POST":
        form = request.form
        pairs = [
            (form.get(f"text-{i}", "").strip(), form.get(f"variable-{i}", "").strip())
            for i in range(_REPLACEMENT_ROWS)
            if form.get(f"text-{i}", "").strip()
        ]
        created: list[Any] = []
        if run_form_action(
            lambda: created.append(
                services.template_from_version(current_user, contract, version.number, _fields(form), pairs)
            ),
            _("Template created: check the variables found, then publish."),
        ):
            return redirect(url_for("drafting.template", template_id=created[0].id))
    suggested = _suggested_replacements(contract)
    values = request.form or {
        "name": contract.title,
        "contract_type": contract.contract_type_code,
        "department": contract.department.name if contract.department else "",
        "language": "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in contract.title) else "en",
    }
    return render_template(
        "drafting/save_as_template.html",
        contract=contract,
        version=version,
        values=values,
        rows=[suggested[i] if i < len(suggested) else ("", "") for i in range(_REPLACEMENT_ROWS)],
        **_choices(),
    )


@permission_required(Permission.CONTRACT_CREATE)
def bulk(template_id: int) -> Any:
    """Bulk drafting: check the file's rows first (dry run), then draft them all."""
    import json

    from . import bulk as bulk_drafting

    item = services.get_template(current_user, template_id)
    services.draftable_version(current_user, item)
    rows: list[dict[str, str]] = []
    errors: list[bulk_drafting.RowError] = []
    checked = False
    if request.method == "POST" and request.form.get("action") == "draft":
        rows = _posted_rows(request.form.get("rows", "[]"))
        made: list[Any] = []
        if run_form_action(lambda: made.extend(bulk_drafting.draft_rows(current_user, item, rows))):
            from flask import flash
            from flask_babel import ngettext

            flash(ngettext("%(num)d contract drafted.", "%(num)d contracts drafted.", len(made)), "success")
            return redirect(url_for("contracts.list_contracts"))
    elif request.method == "POST":
        try:
            data, filename = _uploaded()
            rows = bulk_drafting.read_rows(data, filename)
            errors = bulk_drafting.check_rows(current_user, item, rows)
            checked = True
        except ValidationFailed as refused:
            from flask import flash

            from ..core import uow

            uow.rollback()
            flash(refused.message, "danger")
    return render_template(
        "drafting/bulk.html",
        template=item,
        rows=rows,
        errors=errors,
        checked=checked,
        rows_json=json.dumps(rows, ensure_ascii=False),
        columns=_bulk_columns(item),
    )


def _posted_rows(text: str) -> list[dict[str, str]]:
    import json

    try:
        rows = json.loads(text)
    except ValueError:
        rows = None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationFailed(_("Check the file again before drafting."))
    return [{str(k): str(v) for k, v in row.items()} for row in rows]


def _bulk_columns(item: Any) -> list[str]:
    """The header a bulk file may use for this template."""
    columns = ["title"]
    for variable in item.published.variables if item.published else []:
        columns.append(variable["name"])
        if variable["type"] == "party":
            columns += [f"{variable['name']}.address", f"{variable['name']}.contact"]
        elif variable["type"] == "money":
            columns.append(f"{variable['name']}.currency")
    return columns
