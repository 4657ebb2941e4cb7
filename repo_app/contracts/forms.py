from __future__ import annotations

import re
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..core.extensions import db
from .models import ContractType, Department

CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP")
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_list(value: str | None) -> list[str]:
    """Counterparties and tags as typed by people: comma, 、 or one per line."""
    return [part.strip() for part in _LIST_SEPARATORS.split(value or "") if part.strip()]


_NONE = SelectChoice("", "—")


def contract_type_choices() -> list[SelectChoice]:
    language = str(get_locale() or "zh_CN")
    types = db.session.scalars(select(ContractType).order_by(ContractType.position))
    return [_NONE] + [SelectChoice(item.code, item.label(language)) for item in types]


def department_choices() -> list[SelectChoice]:
    names = db.session.scalars(select(Department.name).order_by(Department.name))
    return [_NONE] + [SelectChoice(name, name) for name in names]


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=255)])
    contract_number = StringField(_l("Contract number"), validators=[Optional(), Length(max=100)])
    contract_type = SelectField(_l("Type"), choices=contract_type_choices, validators=[Optional()])
    counterparties = TextAreaField(
        _l("Counterparties"), validators=[Optional()], description=_l("One per line, or separated by commas")
    )
    amount = StringField(_l("Amount"), validators=[Optional(), Length(max=24)])
    currency = SelectField(_l("Currency"), choices=[SelectChoice(code, code) for code in CURRENCIES])
    signed_date = DateField(_l("Signing date"), validators=[Optional()])
    effective_date = DateField(_l("Effective date"), validators=[Optional()])
    expiry_date = DateField(_l("Expiry date"), validators=[Optional()])
    department = SelectField(_l("Department"), choices=department_choices, validators=[Optional()])
    tags = StringField(_l("Tags"), validators=[Optional()], description=_l("Separated by commas"))
    description = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])

    def metadata_dict(self) -> dict[str, Any]:
        """The form as the metadata object the API takes (validated there, in one place)."""
        return {
            "title": self.title.data or None,
            "contract_number": self.contract_number.data or None,
            "contract_type": self.contract_type.data or None,
            "counterparties": split_list(self.counterparties.data),
            "amount": (self.amount.data or "").replace(",", "").strip() or None,
            "currency": self.currency.data if self.amount.data else None,
            "signed_date": self.signed_date.data,
            "effective_date": self.effective_date.data,
            "expiry_date": self.expiry_date.data,
            "department": self.department.data or None,
            "tags": split_list(self.tags.data),
            "description": self.description.data or None,
        }


class VersionUploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
