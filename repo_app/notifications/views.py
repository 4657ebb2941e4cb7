"""The notification list (bell), the user's preferences, and the admin pages for webhooks
and the delivery log."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.login import login_required, permission_required
from ..auth.roles import Permission
from ..contracts import access
from ..core import forms
from ..core.errors import Conflict, NotFound, ValidationFailed
from ..core.extensions import db, settings
from ..core.pagination import page_arguments
from . import messages, services, webhooks
from .models import Delivery


@login_required
def inbox() -> Any:
    page, per_page = page_arguments(request.args)
    unread_only = request.args.get("unread") == "1"
    result = services.list_notifications(current_user, page, per_page, unread_only=unread_only)
    return render_template("notifications/list.html", page=result, unread_only=unread_only, render=messages.render)


@login_required
def mark_read() -> Any:
    raw = request.form.get("id")
    services.mark_read(current_user, int(raw) if raw and raw.isdigit() else None)
    return redirect(url_for("notifications.inbox"))


@login_required
def open_notification(notification_id: int) -> Any:
    note = services.open_notification(current_user, notification_id)
    target = note.url if note.url.startswith("/") and not urlsplit(note.url).netloc else url_for("tasks.inbox")
    return redirect(target)


@login_required
def preferences() -> Any:
    if request.method == "POST":
        form = request.form
        services.save_preferences(
            current_user,
            **{
                name: forms.flag(form, name)
                for name in ("email_approvals", "email_reminders", "email_status", "daily_digest")
            },
        )
        flash(_("Notification settings saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html",
        prefs=services.preferences(current_user.id),
        email_configured=bool(settings().smtp_url),
    )


# --- admin ----------------------------------------------------------------------------------------


@permission_required(Permission.USER_ADMIN)
def webhook_list() -> Any:
    if request.method == "POST":
        form = request.form
        try:
            endpoint = webhooks.save_endpoint(
                current_user,
                None,
                name=form.get("name", ""),
                url=form.get("url", ""),
                events=form.get("events", "*"),
                active=True,
                secret=forms.text(form, "secret"),
            )
        except (ValidationFailed, Conflict) as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            flash(_("Webhook created. Its signing secret is shown on its page."), "success")
            return redirect(url_for("notifications.webhook", endpoint_id=endpoint.id))
        return redirect(url_for("notifications.webhook_list"))
    return render_template(
        "notifications/webhooks.html", endpoints=webhooks.list_endpoints(current_user), events=messages.EVENTS
    )


@permission_required(Permission.USER_ADMIN)
def webhook(endpoint_id: int) -> Any:
    endpoint = webhooks.get_endpoint(current_user, endpoint_id)
    form = request.form
    if request.method == "POST":
        op = form.get("op", "save")
        try:
            if op == "delete":
                webhooks.delete_endpoint(current_user, endpoint)
                flash(_("Webhook deleted."), "success")
                return redirect(url_for("notifications.webhook_list"))
            if op == "test":
                webhooks.send_test(current_user, endpoint)
                flash(_("A test event was sent; see the delivery log below."), "info")
            else:
                webhooks.save_endpoint(
                    current_user,
                    endpoint,
                    name=form.get("name", ""),
                    url=form.get("url", ""),
                    events=form.get("events", "*"),
                    active=forms.flag(form, "active"),
                    secret=forms.text(form, "secret"),
                )
                flash(_("Saved."), "success")
        except (ValidationFailed, Conflict) as error:
            db.session.rollback()
            flash(error.message, "danger")
        return redirect(url_for("notifications.webhook", endpoint_id=endpoint_id))
    page, per_page = page_arguments(request.args)
    return render_template(
        "notifications/webhook.html",
        endpoint=endpoint,
        events=messages.EVENTS,
        log=webhooks.delivery_log(current_user, page, per_page, endpoint.id),
    )


@permission_required(Permission.USER_ADMIN)
def deliveries() -> Any:
    page, per_page = page_arguments(request.args, default_per_page=50)
    return render_template("notifications/deliveries.html", log=webhooks.delivery_log(current_user, page, per_page))


@login_required
def retry_delivery(delivery_id: int) -> Any:
    access.require(current_user, Permission.USER_ADMIN)
    item = db.session.get(Delivery, delivery_id)
    if item is None:
        raise NotFound(_("No such delivery."))
    webhooks.retry(current_user, item)
    flash(_("Sent again; see its status below."), "info")
    return redirect(
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("notifications.deliveries")
    )
