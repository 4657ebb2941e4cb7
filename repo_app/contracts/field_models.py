"""Custom fields: the definitions administrators add, and each contract's values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core import clock
from ..core.extensions import Model

#: The kinds of custom field, in the order the administration page offers them.
FIELD_KINDS = (
    "text",
    "long_text",
    "integer",
    "decimal",
    "money",
    "date",
    "boolean",
    "select",
    "multi_select",
    "user",
    "department",
    "counterparty",
    "url",
)
#: What the pages call each kind.
KIND_LABELS = {
    "text": _l("Text"),
    "long_text": _l("Long text"),
    "integer": _l("Whole number"),
    "decimal": _l("Decimal number"),
    "money": _l("Amount of money"),
    "date": _l("Date"),
    "boolean": _l("Yes/no"),
    "select": _l("Single choice"),
    "multi_select": _l("Multiple choice"),
    "user": _l("User"),
    "department": _l("Department"),
    "counterparty": _l("Counterparty"),
    "url": _l("Web address (URL)"),
}
#: Kinds matched by exact value in search (and offered as facets when filterable).
EXACT_KINDS = frozenset({"text", "select", "multi_select", "boolean", "user", "department", "counterparty", "url"})
FACET_KINDS = frozenset({"select", "multi_select", "boolean", "user", "department"})
#: Kinds matched by range and sortable.
RANGE_KINDS = frozenset({"integer", "decimal", "money", "date"})


class CustomField(Model):
    """One field every contract (or the contracts of some types) may carry.

    The key is a stable slug: the API, search parameters and exports name the field by it, so
    it never changes. A retired field keeps its values (shown, exported, searchable) but is no
    longer offered for editing."""

    __tablename__ = "custom_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    label_zh: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(80))
    help_zh: Mapped[str | None] = mapped_column(Text)
    help_en: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=False)
    #: Offered in the search sidebar (filters, and counts for choice-like kinds).
    filterable: Mapped[bool] = mapped_column(default=True)
    #: The value a new contract gets when none is given (stored form, see custom_fields.py).
    default: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    #: The choices of a select or multi-select field.
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Contract type codes the field applies to; empty: every contract.
    contract_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en

    def help(self, language: str) -> str:
        return (self.help_zh if language.startswith("zh") else self.help_en) or ""

    def applies_to(self, contract_type: str | None) -> bool:
        return not self.contract_types or contract_type in self.contract_types


class ContractFieldValue(Model):
    """A contract's value of one custom field, in its stored (JSON) form."""

    __tablename__ = "contract_field_values"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("custom_fields.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)
