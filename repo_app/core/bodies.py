"""Reading the JSON bodies and numbers the API receives, so that a body of the wrong shape (a list
instead of an object, a number where text belongs, an id too large for the database) answers
422 with a message naming the field, never a 500."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

from .errors import ValidationFailed

#: The largest id a row can have on every database Pactum supports (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1


def json_object(required: bool = False) -> dict[str, Any]:
    """The request's JSON object; ``{}`` when no JSON was sent and the body is optional."""
    body = request.get_json(silent=True)
    if body is None and not required:
        return {}
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send a JSON object."))
    return body


def optional_text(body: dict[str, Any], field: str) -> str | None:
    """``body[field]`` when it is text, ``None`` when missing or null; 422 for anything else."""
    value = body.get(field)
    if value is None or isinstance(value, str):
        return value
    raise ValidationFailed(_("%(field)s must be text.", field=field))


def is_id(value: Any) -> bool:
    """Whether ``value`` can be a row id (a whole number from 1 to :data:`MAX_ID`, not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def optional_id(body: dict[str, Any], field: str) -> int | None:
    """``body[field]`` as a row id, ``None`` when missing or null; 422 for anything else."""
    value = body.get(field)
    if value is None or is_id(value):
        return value
    raise ValidationFailed(_("%(field)s must be a whole number between 1 and %(max)d.", field=field, max=MAX_ID))


class IdConverter(IntegerConverter):
    """``<int:…>`` in URL rules: a whole number the database can hold; anything larger is no
    match (404) instead of an overflow in the query."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
