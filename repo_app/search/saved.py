"""Saved searches: a name for a query and its filters, personal or shared with a role."""

from __future__ import annotations

from urllib.parse import urlencode

from flask_babel import gettext as _
from sqlalchemy import or_, select
from werkzeug.datastructures import MultiDict

from ..auth.models import User
from ..auth.roles import is_role
from ..core.audit import record
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from .models import SavedSearch

#: Parameters a saved search keeps (paging is not part of a search).
KEPT = (
    "q",
    "contract_type",
    "status",
    "tag",
    "counterparty",
    "department",
    "owner",
    "amount_min",
    "amount_max",
    "signed_from",
    "signed_to",
    "expiry_from",
    "expiry_to",
    "created_from",
    "created_to",
    "sort",
)


def kept_keys(args: MultiDict[str, str]) -> list[str]:
    """The parameters of ``args`` a saved search keeps: :data:`KEPT` and custom field filters."""
    return [*KEPT, *(key for key in args if key.startswith("cf."))]


def visible_to(user: User) -> list[SavedSearch]:
    return list(
        db.session.scalars(
            select(SavedSearch)
            .where(or_(SavedSearch.owner_id == user.id, SavedSearch.shared_with_role == user.role))
            .order_by(SavedSearch.name)
        )
    )


def save(user: User, name: str, args: MultiDict[str, str], shared_with_role: str | None) -> SavedSearch:
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the search a name."))
    if shared_with_role and not is_role(shared_with_role):
        raise ValidationFailed(_("Unknown role %(role)s.", role=shared_with_role))
    pairs = [(key, value) for key in kept_keys(args) for value in args.getlist(key) if value]
    saved = SavedSearch(
        owner_id=user.id, name=name[:120], query_string=urlencode(pairs), shared_with_role=shared_with_role or None
    )
    db.session.add(saved)
    db.session.flush()
    record(
        "search.save", actor=user, saved_search_id=saved.id, name=saved.name, shared_with_role=saved.shared_with_role
    )
    return saved


def delete(user: User, saved_id: int) -> None:
    saved = db.session.get(SavedSearch, saved_id)
    if saved is None or saved.owner_id != user.id:
        raise NotFound(_("No such saved search."))
    record("search.delete_saved", actor=user, saved_search_id=saved.id, name=saved.name)
    db.session.delete(saved)
