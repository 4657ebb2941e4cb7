from __future__ import annotations

from flask import Blueprint

from . import views

bp = Blueprint("notifications", __name__)

bp.add_url_rule("/notifications", endpoint="inbox", view_func=views.inbox, methods=["GET"])
bp.add_url_rule("/notifications/read", view_func=views.mark_read, methods=["POST"])
bp.add_url_rule(
    "/notifications/<int:notification_id>", endpoint="open", view_func=views.open_notification, methods=["GET"]
)
bp.add_url_rule("/account/notifications", view_func=views.preferences, methods=["GET", "POST"])
bp.add_url_rule("/admin/webhooks", view_func=views.webhook_list, methods=["GET", "POST"])
bp.add_url_rule("/admin/webhooks/<int:endpoint_id>", view_func=views.webhook, methods=["GET", "POST"])
bp.add_url_rule("/admin/deliveries", view_func=views.deliveries, methods=["GET"])
bp.add_url_rule("/admin/deliveries/<int:delivery_id>/retry", view_func=views.retry_delivery, methods=["POST"])
