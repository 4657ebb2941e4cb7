"""Webhook calls: JSON, signed with HMAC-SHA256, retried by the outbox.

Headers of every call::

    Content-Type: application/json; charset=utf-8
    X-Pactum-Event: reminder.expiry
    X-Pactum-Delivery: 42                  (the same on every retry: receivers can de-duplicate)
    X-Pactum-Timestamp: 1767225600         (Unix seconds of this attempt)
    X-Pactum-Signature: sha256=<hex>       HMAC-SHA256(secret, "<timestamp>.<raw body>")

A receiver recomputes the HMAC over the timestamp, a dot and the exact body bytes, compares
in constant time and rejects old timestamps (e.g. more than five minutes) against replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts.access import require
from ..core import clock
from ..core.audit import record
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db, settings
from ..core.pagination import Page, paginate
from . import delivery
from .delivery import DeliveryFailed
from .models import Delivery, DeliveryStatus, WebhookEndpoint
from .targets import TargetRefused, check_target, open_pinned

SIGNATURE_HEADER = "X-Pactum-Signature"
#: What the delivery log says of a call refused because of where it would go.
REFUSED_TARGET = "the webhook address is not allowed"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def send_delivery(item: Delivery) -> int:
    endpoint = item.endpoint
    if endpoint is None or not endpoint.active:
        raise DeliveryFailed("the endpoint was removed or switched off", permanent=True)
    try:
        target = check_target(endpoint.url)
    except TargetRefused:
        # The same words whatever the reason, so the log tells nothing about inside addresses.
        raise DeliveryFailed(REFUSED_TARGET, permanent=True) from None
    body = encode(item.payload)
    timestamp = str(int(clock.now().timestamp()))
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Pactum-Webhook/1",
            "X-Pactum-Event": item.event,
            "X-Pactum-Delivery": str(item.id),
            "X-Pactum-Timestamp": timestamp,
            SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
        },
    )
    try:
        with open_pinned(request, target, settings().webhook_timeout_seconds) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        # 4xx other than 408/429 means the receiver will never take this body.
        permanent = 400 <= error.code < 500 and error.code not in (408, 409, 425, 429)
        raise DeliveryFailed(f"HTTP {error.code}", error.code, permanent=permanent) from None
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from None


# --- administration -------------------------------------------------------------------------


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")) or len(url) > 500:
        raise ValidationFailed(_("The webhook address must start with http:// or https://."))
    try:
        check_target(url)
    except TargetRefused as refused:
        raise ValidationFailed(
            _(
                "The webhook address must reach a public internet address (%(reason)s). "
                "An administrator can allow inside networks with PACTUM_WEBHOOK_ALLOWED_NETWORKS.",
                reason=str(refused),
            )
        ) from None
    return url


def list_endpoints(user: User) -> list[WebhookEndpoint]:
    require(user, Permission.USER_ADMIN)
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def get_endpoint(user: User, endpoint_id: int) -> WebhookEndpoint:
    require(user, Permission.USER_ADMIN)
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(_("No such webhook."))
    return endpoint


def save_endpoint(
    user: User,
    endpoint: WebhookEndpoint | None,
    *,
    name: str,
    url: str,
    events: str,
    active: bool,
    secret: str | None = None,
) -> WebhookEndpoint:
    require(user, Permission.USER_ADMIN)
    if not name.strip():
        raise ValidationFailed(_("Give the webhook a name."))
    url = _check_url(url)  # before anything is added to the session
    created = endpoint is None
    if endpoint is None:
        endpoint = WebhookEndpoint(
            created_by_id=user.id, secret=secret or secrets.token_hex(24), created_at=clock.now()
        )
        db.session.add(endpoint)
    elif secret:
        endpoint.secret = secret
    endpoint.name, endpoint.url = name.strip()[:120], url
    endpoint.events = ",".join(part.strip() for part in (events or "*").split(",") if part.strip()) or "*"
    endpoint.active = active
    db.session.flush()
    record(
        "webhook.create" if created else "webhook.update",
        actor=user,
        webhook_id=endpoint.id,
        url=endpoint.url,
        events=endpoint.events,
        active=active,
    )
    return endpoint


def delete_endpoint(user: User, endpoint: WebhookEndpoint) -> None:
    require(user, Permission.USER_ADMIN)
    record("webhook.delete", actor=user, webhook_id=endpoint.id, url=endpoint.url)
    db.session.delete(endpoint)


def send_test(user: User, endpoint: WebhookEndpoint) -> Delivery:
    """Queue a "ping" event to the endpoint, to check the receiver and its signature check."""
    require(user, Permission.USER_ADMIN)
    now = clock.now()
    item = delivery.add(
        Delivery(
            channel="webhook",
            event="ping",
            endpoint_id=endpoint.id,
            created_at=now,
            next_attempt_at=now,
            payload={
                "event": "ping",
                "occurred_at": now.replace(microsecond=0).isoformat() + "Z",
                "webhook": endpoint.name,
            },
        )
    )
    return item


def delivery_log(user: User, page: int, per_page: int, endpoint_id: int | None = None) -> Page[Delivery]:
    require(user, Permission.USER_ADMIN)
    query = select(Delivery)
    if endpoint_id is not None:
        query = query.where(Delivery.endpoint_id == endpoint_id)
    return paginate(query.order_by(Delivery.id.desc()), page, per_page)


def retry(user: User, item: Delivery) -> None:
    """Send a failed delivery again now (admins)."""
    require(user, Permission.USER_ADMIN)
    if item.status in (DeliveryStatus.FAILED, DeliveryStatus.PENDING):
        item.status, item.next_attempt_at = DeliveryStatus.PENDING, clock.now()
        record("delivery.retry", actor=user, delivery_id=item.id)
        delivery.queue_after_commit(item.id)
