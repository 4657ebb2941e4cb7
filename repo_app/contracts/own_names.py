"""The organisation's own names: the party on "our" side of every contract.

Administrators keep the list (Chinese, English and short forms: one contract says
上海澄衡科技股份有限公司, another Shanghai Chengheng Technology Co., Ltd.). A name on it is
never suggested as a counterparty. Names are compared after Unicode compatibility folding
(full-width brackets and letters), case folding and removing spaces.
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..auth.roles import Permission
from ..core.audit import record
from ..core.errors import ValidationFailed
from ..core.extensions import db
from . import access
from .models import OwnName

#: Longest name accepted (the column's width).
MAX_NAME_LENGTH = 200


def comparable(name: str) -> str:
    """The form two spellings of one name share: ``（上海）ABC 有限公司`` = ``(上海)abc有限公司``."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def own_names() -> list[str]:
    return list(db.session.scalars(select(OwnName.name).order_by(OwnName.id)))


def own_name_keys() -> frozenset[str]:
    return frozenset(comparable(name) for name in own_names())


def is_own_name(name: str) -> bool:
    return comparable(name) in own_name_keys()


def _cleaned(names: list[str]) -> list[str]:
    """Blank lines dropped, spaces trimmed, spellings that compare equal kept once."""
    seen: set[str] = set()
    kept: list[str] = []
    for raw in names:
        name = " ".join(raw.split())
        if not name or comparable(name) in seen:
            continue
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationFailed(_("A name may be at most %(n)d characters long.", n=MAX_NAME_LENGTH))
        seen.add(comparable(name))
        kept.append(name)
    return kept


def set_own_names(actor: User, names: list[str]) -> list[str]:
    """Replace the list (audited with the old and the new list); returns the names kept."""
    access.require(actor, Permission.USER_ADMIN)
    new = _cleaned(names)
    old = own_names()
    if new == old:
        return new
    for row in db.session.scalars(select(OwnName)):
        db.session.delete(row)
    db.session.flush()
    db.session.add_all(OwnName(name=name) for name in new)
    db.session.flush()
    record("organisation.own_names_change", actor=actor, old=old, new=new)
    return new
