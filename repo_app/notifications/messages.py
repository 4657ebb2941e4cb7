"""What each kind of notification says, rendered in the reader's language when shown or sent.

A notification stores its kind and parameters, never finished text, so the bell shows it in
the language of whoever looks, and e-mails and webhooks can carry any language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from ..contracts.status import status_label

#: Preference category of each kind family (see NotificationPreference).
CATEGORIES = {"approval": "approvals", "signing": "approvals", "reminder": "reminders", "contract": "status"}
#: Kinds that are sent at once even to users who chose the daily digest (they need action).
URGENT_PREFIXES = ("approval.", "signing.requested")

EVENTS = (
    "approval.requested",
    "approval.escalated",
    "approval.approved",
    "approval.rejected",
    "approval.returned",
    "contract.status",
    "contract.auto_renewed",
    "reminder.expiry",
    "reminder.notice",
    "reminder.milestone",
    "reminder.payment",
    "signing.requested",
    "signing.completed",
    "payment.recorded",
    "invoice.status_changed",
    "review.mentioned",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def _status(value: Any) -> str:
    return status_label(str(value))


def _requested(p: dict[str, Any]) -> Rendered:
    subject = _("Approval requested: %(title)s", title=p.get("title", ""))
    if p.get("delegated_by"):
        body = _(
            "%(user)s handed the approval of “%(title)s” (%(step)s) on to you.",
            user=p["delegated_by"],
            title=p.get("title", ""),
            step=p.get("step", ""),
        )
    elif p.get("added_by"):
        body = _(
            "%(user)s added you as an approver of “%(title)s” (%(step)s).",
            user=p["added_by"],
            title=p.get("title", ""),
            step=p.get("step", ""),
        )
    else:
        body = _(
            "%(user)s asks you to approve “%(title)s” (%(step)s, version %(version)s).",
            user=p.get("submitted_by", ""),
            title=p.get("title", ""),
            step=p.get("step", ""),
            version=p.get("version") or "—",
        )
    return Rendered(subject, body)


def _escalated(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Approval overdue: %(title)s", title=p.get("title", "")),
        _(
            "The approval of “%(title)s” has waited at %(step)s for more than %(hours)s hours.",
            title=p.get("title", ""),
            step=p.get("step", ""),
            hours=p.get("hours", ""),
        ),
    )


def _approved(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Approved: %(title)s", title=p.get("title", "")),
        _(
            "“%(title)s” (version %(version)s) was approved at every level.",
            title=p.get("title", ""),
            version=p.get("version") or "—",
        ),
    )


def _rejected(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Rejected: %(title)s", title=p.get("title", "")),
        _(
            "%(user)s rejected “%(title)s”: %(comment)s",
            user=p.get("user", ""),
            title=p.get("title", ""),
            comment=p.get("comment", ""),
        ),
    )


def _returned(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Returned for changes: %(title)s", title=p.get("title", "")),
        _(
            "%(user)s returned “%(title)s” for changes: %(comment)s",
            user=p.get("user", ""),
            title=p.get("title", ""),
            comment=p.get("comment", ""),
        ),
    )


def _status_changed(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("%(title)s: %(status)s", title=p.get("title", ""), status=_status(p.get("new"))),
        _(
            "“%(title)s” went from %(old)s to %(new)s.",
            title=p.get("title", ""),
            old=_status(p.get("old")),
            new=_status(p.get("new")),
        ),
    )


def _auto_renewed(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Renewed automatically: %(title)s", title=p.get("title", "")),
        _(
            "“%(title)s” renewed itself under its terms; it now runs until %(date)s.",
            title=p.get("title", ""),
            date=p.get("expiry_date", ""),
        ),
    )


def _expiry(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Expires in %(days)s days: %(title)s", days=p.get("days", ""), title=p.get("title", "")),
        _(
            "“%(title)s” expires on %(date)s, in %(days)s days. Renew it, or let it end.",
            title=p.get("title", ""),
            date=p.get("date", ""),
            days=p.get("days", ""),
        ),
    )


def _notice(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Notice deadline in %(days)s days: %(title)s", days=p.get("days", ""), title=p.get("title", "")),
        _(
            "“%(title)s” renews itself for %(months)s months unless notice is given by %(date)s (in %(days)s days).",
            title=p.get("title", ""),
            months=p.get("months", ""),
            date=p.get("date", ""),
            days=p.get("days", ""),
        ),
    )


def _milestone(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Milestone due %(date)s: %(milestone)s", date=p.get("date", ""), milestone=p.get("milestone", "")),
        _(
            "Milestone “%(milestone)s” of “%(title)s” is due on %(date)s (in %(days)s days).",
            milestone=p.get("milestone", ""),
            title=p.get("title", ""),
            date=p.get("date", ""),
            days=p.get("days", ""),
        ),
    )


def _payment_due(p: dict[str, Any]) -> Rendered:
    values = {
        "amount": p.get("amount", ""),
        "title": p.get("title", ""),
        "date": p.get("date", ""),
        "days": p.get("days", ""),
    }
    if p.get("escalated"):
        return Rendered(
            _("Escalated: %(amount)s for %(title)s is %(days)s days overdue", **values),
            _(
                "%(amount)s of “%(title)s” was due on %(date)s and is still open after %(days)s days. "
                "You hear of it as a manager of the contract's department.",
                **values,
            ),
        )
    if p.get("overdue"):
        return Rendered(
            _("Payment overdue: %(amount)s for %(title)s", **values),
            _("%(amount)s of “%(title)s” was due on %(date)s and is %(days)s days overdue.", **values),
        )
    return Rendered(
        _("Payment due %(date)s: %(amount)s for %(title)s", **values),
        _("%(amount)s of “%(title)s” falls due on %(date)s (in %(days)s days).", **values),
    )


def _signing_requested(p: dict[str, Any]) -> Rendered:
    body = _(
        "%(user)s asks you to sign “%(title)s” (%(level)s).",
        user=p.get("requested_by", ""),
        title=p.get("title", ""),
        level=p.get("level", ""),
    )
    if p.get("message"):
        body += "\n" + str(p["message"])
    return Rendered(_("Please sign: %(title)s", title=p.get("title", "")), body)


def _signing_completed(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("Signed by everyone: %(title)s", title=p.get("title", "")),
        _("Every signer has signed “%(title)s”.", title=p.get("title", "")),
    )


def _payment_recorded(p: dict[str, Any]) -> Rendered:
    subject = _("Payment recorded: %(amount)s for %(title)s", amount=p.get("amount", ""), title=p.get("title", ""))
    body = _(
        "A payment of %(amount)s on %(date)s was recorded for “%(title)s”.",
        amount=p.get("amount", ""),
        date=p.get("paid_on", ""),
        title=p.get("title", ""),
    )
    if p.get("overpaid"):
        body += "\n" + _("The instalment is now overpaid by %(amount)s.", amount=p["overpaid"])
    return Rendered(subject, body)


def _invoice_status(p: dict[str, Any]) -> Rendered:
    subject = _("Invoice %(invoice)s: %(status)s", invoice=p.get("invoice", ""), status=_invoice_status_name(p))
    if p.get("previous"):
        body = _(
            "The invoice %(invoice)s of “%(title)s” is now %(status)s.",
            invoice=p.get("invoice", ""),
            title=p.get("title", ""),
            status=_invoice_status_name(p),
        )
    else:
        body = _(
            "An invoice %(invoice)s was recorded for “%(title)s” (%(status)s).",
            invoice=p.get("invoice", ""),
            title=p.get("title", ""),
            status=_invoice_status_name(p),
        )
    if p.get("reason"):
        body += "\n" + _("Reason: %(reason)s", reason=p["reason"])
    return Rendered(subject, body)


def _invoice_status_name(p: dict[str, Any]) -> str:
    names = {
        "requested": _("requested"),
        "issued": _("issued"),
        "sent": _("sent"),
        "received": _("received / confirmed"),
        "reversed": _("reversed (red-letter)"),
        "void": _("void"),
    }
    status = str(p.get("status", ""))
    return names.get(status, status)


def _mentioned(p: dict[str, Any]) -> Rendered:
    return Rendered(
        _("%(user)s mentioned you: %(title)s", user=p.get("author", ""), title=p.get("title", "")),
        _(
            "%(user)s mentioned you in a comment on “%(title)s”: %(excerpt)s",
            user=p.get("author", ""),
            title=p.get("title", ""),
            excerpt=p.get("excerpt", ""),
        ),
    )


def _password_reset(p: dict[str, Any]) -> Rendered:
    subject = _("Set a new Pactum password")
    body = _(
        "Someone, probably you, asked to set a new password for your Pactum account. The link "
        "below works once, within %(minutes)s minutes. If it was not you, ignore this e-mail: "
        "your password stays as it is.",
        minutes=p.get("minutes", ""),
    )
    return Rendered(subject, body)


_RENDERERS: dict[str, Callable[[dict[str, Any]], Rendered]] = {
    "approval.requested": _requested,
    "approval.escalated": _escalated,
    "approval.approved": _approved,
    "approval.rejected": _rejected,
    "approval.returned": _returned,
    "contract.status": _status_changed,
    "contract.auto_renewed": _auto_renewed,
    "reminder.expiry": _expiry,
    "reminder.notice": _notice,
    "reminder.milestone": _milestone,
    "reminder.payment": _payment_due,
    "signing.requested": _signing_requested,
    "signing.completed": _signing_completed,
    "payment.recorded": _payment_recorded,
    "invoice.status_changed": _invoice_status,
    "account.password_reset": _password_reset,
    "review.mentioned": _mentioned,
}


def render(kind: str, params: dict[str, Any]) -> Rendered:
    """The text of a notification in the current locale."""
    renderer = _RENDERERS.get(kind)
    if renderer is None:
        return Rendered(kind, str(params.get("title", "")))
    return renderer(params)


def render_in(language: str, kind: str, params: dict[str, Any]) -> Rendered:
    with force_locale(language):
        return render(kind, params)


def category(kind: str) -> str:
    return CATEGORIES.get(kind.split(".", 1)[0], "status")
