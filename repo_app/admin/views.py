from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import password_reset
from ..auth import services as auth_services
from ..auth.forms import AdminPasswordForm, UserForm, role_choices
from ..auth.login import login_required, permission_required
from ..auth.models import Group
from ..auth.roles import Permission, Role
from ..contracts import custom_fields as fields_service
from ..contracts import own_names
from ..contracts.field_models import KIND_LABELS
from ..contracts.forms import split_list
from ..contracts.models import Department
from ..core.errors import NotFound, PactumError
from ..core.extensions import db
from ..core.form_actions import run_form_action
from ..core.forms import ConfirmForm
from . import services


@permission_required(Permission.USER_ADMIN)
def users() -> Any:
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = auth_services.create_user(
                form.email.data or "", form.password.data or "", form.role.data or Role.VIEWER, form.display_name.data
            )
        except PactumError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/users.html",
        users=services.list_users(),
        form=form,
        confirm_form=ConfirmForm(),
        can_send_links=password_reset.can_send(),
        roles=role_choices(),
        departments=[department for _depth, department in services.department_tree()],
    )


@login_required
def update_user(user_id: int) -> Any:
    user = services.get_user(current_user, user_id)
    if ConfirmForm().validate_on_submit():
        run_form_action(lambda: _apply_user_changes(user), _("User %(email)s updated.", email=user.email))
    return redirect(url_for("admin.users"))


@login_required
def set_user_password(user_id: int) -> Any:
    """An administrator sets a temporary password (the user's sessions end, API tokens are revoked)."""
    user = services.get_user(current_user, user_id)
    form = AdminPasswordForm()
    if form.validate_on_submit():
        run_form_action(
            lambda: auth_services.admin_set_password(user, form.new_password.data or ""),
            _("The password of %(email)s is set. Tell them the temporary password in person.", email=user.email),
        )
    return redirect(url_for("admin.users"))


@login_required
def send_password_link(user_id: int) -> Any:
    user = services.get_user(current_user, user_id)
    if ConfirmForm().validate_on_submit():
        run_form_action(
            lambda: password_reset.send_link_for_admin(user),
            _("A link to set a new password is on its way to %(email)s.", email=user.email),
        )
    return redirect(url_for("admin.users"))


def _apply_user_changes(user: Any) -> None:
    if "role" in request.form:
        services.change_role(current_user, user, request.form["role"])
    if "active" in request.form:
        services.set_active(current_user, user, request.form["active"] == "1")
    if "department" in request.form:
        services.set_department(current_user, user, request.form["department"] or None)


@permission_required(Permission.USER_ADMIN)
def organisation() -> Any:
    """Departments (a tree) and groups on one page."""
    return render_template(
        "admin/organisation.html",
        departments=services.department_tree(),
        groups=services.list_groups(),
        own_names=own_names.own_names(),
        confirm_form=ConfirmForm(),
    )


def _admin_action(action: Any, target: str = "admin.organisation") -> Any:
    """Run a form-posted admin change; errors become a flash message, then back to the page."""
    if ConfirmForm().validate_on_submit():
        run_form_action(action, _("Saved."))
    return redirect(url_for(target))


@login_required
def save_department() -> Any:
    form = request.form
    department = None
    if form.get("department_id"):
        department = db.session.get(Department, int(form["department_id"]))
        if department is None:
            raise NotFound(_("No such department."))
    return _admin_action(
        lambda: services.save_department(current_user, form.get("name", ""), form.get("parent") or None, department)
    )


@login_required
def save_own_names() -> Any:
    names = request.form.get("names", "").splitlines()
    return _admin_action(lambda: own_names.set_own_names(current_user, names))


@login_required
def create_group() -> Any:
    return _admin_action(lambda: services.create_group(current_user, request.form.get("name", "")))


@login_required
def group_member(group_id: int) -> Any:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(_("No such group."))
    member = request.form.get("remove") is None
    return _admin_action(lambda: services.set_membership(current_user, group, request.form.get("email", ""), member))


@permission_required(Permission.USER_ADMIN)
def contract_types() -> Any:
    if request.method == "POST":
        form = request.form
        years_raw = (form.get("retention_years") or "").strip()
        return _admin_action(
            lambda: services.save_contract_type(
                current_user,
                form.get("code", ""),
                form.get("name_zh", ""),
                form.get("name_en", ""),
                int(years_raw) if years_raw.isdigit() else None,
            ),
            target="admin.contract_types",
        )
    return render_template(
        "admin/contract_types.html", types=services.list_contract_types(), confirm_form=ConfirmForm()
    )


@permission_required(Permission.USER_ADMIN)
def custom_fields() -> Any:
    """The custom field definitions: a row per field (edited in place) and a form to add one."""
    if request.method == "POST":
        form = request.form
        values = {
            "kind": form.get("kind", ""),
            "label_zh": form.get("label_zh", ""),
            "label_en": form.get("label_en", ""),
            "help_zh": form.get("help_zh", ""),
            "help_en": form.get("help_en", ""),
            "required": form.get("required") == "1",
            "filterable": form.get("filterable") == "1",
            "default": form.get("default", ""),
            "options": split_list(form.get("options")),
            "contract_types": form.getlist("contract_types"),
            "position": form.get("position", ""),
        }
        return _admin_action(
            lambda: fields_service.save_field(current_user, form.get("key", ""), values), target="admin.custom_fields"
        )
    return render_template(
        "admin/custom_fields.html",
        fields=fields_service.all_fields(),
        kinds=KIND_LABELS,
        types=services.list_contract_types(),
        confirm_form=ConfirmForm(),
    )


@permission_required(Permission.USER_ADMIN)
def retire_custom_field(key: str) -> Any:
    field = fields_service.field_by_key(key)
    retired = request.form.get("retired") == "1"
    return _admin_action(
        lambda: fields_service.retire_field(current_user, field, retired), target="admin.custom_fields"
    )
