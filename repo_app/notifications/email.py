"""E-mail over SMTP (``PACTUM_SMTP_URL``): HTML and plain text, in the recipient's language."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.extensions import settings
from . import messages
from .delivery import DeliveryFailed
from .links import external
from .models import Delivery


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    username: str
    password: str
    ssl: bool
    starttls: bool
    timeout: float


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp://user:pass@host:587?starttls=1``, ``smtps://host:465`` (``timeout=`` seconds)."""
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    secure = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname or "localhost",
        port=parts.port or (465 if secure else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        ssl=secure,
        starttls=query.get("starttls", "0").lower() in {"1", "true", "yes"},
        timeout=float(query.get("timeout", "30")),
    )


def build_message(to: str, language: str, subject: str, template: str, **context: Any) -> EmailMessage:
    """A multipart/alternative message from ``<template>.txt`` and ``<template>.html``."""
    with force_locale(language):
        text = render_template(f"notifications/email/{template}.txt", subject=subject, **context)
        html = render_template(
            f"notifications/email/{template}.html",
            subject=subject,
            lang="zh-CN" if language.startswith("zh") else "en",
            **context,
        )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings().mail_from
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="pactum")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # After the body: setting content clears Content-* headers.
    message["Content-Language"] = "zh-CN" if language.startswith("zh") else "en"
    return message


def send(message: EmailMessage) -> None:
    if not settings().smtp_url:
        raise DeliveryFailed("PACTUM_SMTP_URL is not set", permanent=True)
    target = parse_smtp_url(settings().smtp_url)
    try:
        if target.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                target.host, target.port, timeout=target.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
        with client:
            if target.starttls:
                client.starttls(context=ssl.create_default_context())
            if target.username:
                client.login(target.username, target.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryFailed(f"recipient refused: {error.recipients}", permanent=True) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryFailed(
            f"SMTP {error.smtp_code}: {error.smtp_error!r}",
            error.smtp_code,
            permanent=500 <= error.smtp_code < 600 and error.smtp_code != 554,
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"SMTP: {error}") from None


def send_delivery(item: Delivery) -> None:
    if item.user is None or not item.user.active:
        raise DeliveryFailed("the recipient is gone", permanent=True)
    payload = item.payload
    language = payload.get("language") or settings().default_language
    if payload.get("kind") == "digest":
        send_digest(item.user, language, payload.get("entries", []), payload.get("day", ""))
        return
    text = messages.render_in(language, payload["kind"], payload.get("params", {}))
    with force_locale(language):
        action = _("Open in Pactum")
    message = build_message(
        formataddr((item.user.display_name, item.user.email)),
        language,
        text.subject,
        "message",
        body=text.body,
        link=external(payload["url"]),
        action=action,
    )
    send(message)


def send_digest(user: Any, language: str, entries: list[dict[str, str]], day: str) -> None:
    with force_locale(language):
        subject = _("Pactum daily digest for %(day)s: %(n)d items", day=day, n=len(entries))
        action = _("Open in Pactum")
    message = build_message(
        formataddr((user.display_name, user.email)),
        language,
        subject,
        "digest",
        entries=entries,
        day=day,
        action=action,
        link=external("/notifications"),
    )
    send(message)
