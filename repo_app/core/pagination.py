from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from .errors import ValidationFailed
from .extensions import db

T = TypeVar("T")
MAX_PER_PAGE = 100
#: Beyond it the offset would not fit the database's integers; no list is that long.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_arguments(args: Mapping[str, str], default_per_page: int = 20) -> tuple[int, int]:
    try:
        page = int(args.get("page", 1))
        per_page = int(args.get("per_page", default_per_page))
    except ValueError:
        raise ValidationFailed(_("page and per_page must be whole numbers.")) from None
    if not 1 <= page <= MAX_PAGE or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationFailed(
            _(
                "page must be between 1 and %(max_page)d and per_page between 1 and %(max)d.",
                max_page=MAX_PAGE,
                max=MAX_PER_PAGE,
            )
        )
    return page, per_page


def paginate(query: Select[Any], page: int, per_page: int) -> Page[Any]:
    """One page of an ordered ``query`` and the total count."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=items, total=total, page=page, per_page=per_page)
