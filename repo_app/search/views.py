"""The search page."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required
from ..auth.roles import Role
from ..core.errors import PactumError
from ..core.forms import ConfirmForm
from ..core.pagination import Page
from . import saved, services


@login_required
def search_page() -> Any:
    error = None
    page = None
    try:
        page = services.search(current_user, request.args)
    except PactumError as failure:
        error = failure.message
    hits = [item for hit in page.result.hits if (item := services.hit_to_dict(page, hit))] if page else []
    pager = (
        Page(items=hits, total=page.result.total, page=page.query.page, per_page=page.query.per_page) if page else None
    )
    return render_template(
        "search/search.html",
        page=page,
        hits=hits,
        pager=pager,
        error=error,
        args=request.args,
        sorts=services.SORTS,
        saved_searches=saved.visible_to(current_user),
        confirm_form=ConfirmForm(),
        roles=[role.value for role in Role],
        value_labels=services.facet_value_labels(str(get_locale() or "en")),
        custom=services.custom_sidebar(str(get_locale() or "en")),
        cf_params=[key for key in request.args if key.startswith("cf.")],
        cf_range_params=[key for key in request.args if key.startswith("cf.") and key.endswith((".min", ".max"))],
    ), (400 if error else 200)


@login_required
def save_search() -> Any:
    if ConfirmForm().validate_on_submit():
        try:
            saved.save(
                current_user, request.form.get("name", ""), request.form, request.form.get("shared_with_role") or None
            )
        except PactumError as failure:
            flash(failure.message, "danger")
        else:
            flash(_("Search saved."), "success")
    query: dict[str, Any] = {
        key: request.form.getlist(key) for key in saved.kept_keys(request.form) if request.form.get(key)
    }
    return redirect(url_for("search.search_page", **query))


@login_required
def delete_saved_search(saved_id: int) -> Any:
    if ConfirmForm().validate_on_submit():
        saved.delete(current_user, saved_id)
    return redirect(url_for("search.search_page"))
