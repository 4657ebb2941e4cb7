"""Contract metadata as it crosses the boundary: parsed from JSON/forms, rendered to JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ..core.clock import isoformat_utc
from ..core.errors import ValidationFailed
from .custom_fields import stored_values
from .models import Contract, ContractVersion

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
TagName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class ContractMetadata(BaseModel):
    """Metadata a user may set. Every field is optional; PATCH changes only the fields sent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: ShortText | None = None
    contract_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    contract_type: str | None = None
    counterparties: list[ShortText] | None = Field(default=None, max_length=20)
    amount: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")] | None = None
    signed_date: date | None = None
    effective_date: date | None = None
    expiry_date: date | None = None
    department: str | None = None
    tags: list[TagName] | None = Field(default=None, max_length=50)
    description: Annotated[str, StringConstraints(max_length=10000)] | None = None
    #: Custom field values by field key (validated against the definitions in the service).
    custom_fields: dict[str, Any] | None = None

    @field_validator("currency")
    @classmethod
    def _upper_currency(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @field_validator("counterparties", "tags")
    @classmethod
    def _unique_in_order(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else list(dict.fromkeys(values))

    @field_validator("contract_number", "contract_type", "department", "description")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ContractMetadata:
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            raise ValueError("expiry_date is before effective_date")
        return self


def parse_metadata(raw: str | bytes | dict[str, Any] | None) -> ContractMetadata:
    """Parse metadata from a JSON string (multipart field) or an already decoded object."""
    if raw is None or raw == "" or raw == b"":
        return ContractMetadata()
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise ValidationFailed(_("metadata is not valid JSON: %(error)s", error=error.msg)) from None
    if not isinstance(raw, dict):
        raise ValidationFailed(_("metadata must be a JSON object."))
    try:
        return ContractMetadata.model_validate(raw)
    except ValidationError as error:
        raise ValidationFailed(_describe(error), fields=_field_errors(error)) from None


def _field_errors(error: ValidationError) -> dict[str, str]:
    return {".".join(str(part) for part in item["loc"]) or "metadata": item["msg"] for item in error.errors()}


def _describe(error: ValidationError) -> str:
    parts = [f"{name}: {message}" for name, message in _field_errors(error).items()]
    return _("Invalid metadata — %(details)s", details="; ".join(parts))


def version_to_dict(version: ContractVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "number": version.number,
        "sha256": version.sha256,
        "size": version.size,
        "media_type": version.media_type,
        "filename": version.original_filename,
        "origin": version.origin,
        "source_version_id": version.source_version_id,
        "status": version.status,
        "status_detail": version.status_detail,
        "uploaded_by": version.uploaded_by.email if version.uploaded_by else None,
        "created_at": isoformat_utc(version.created_at),
    }


def contract_to_dict(contract: Contract, custom: dict[str, Any] | None = None) -> dict[str, Any]:
    """A contract as the API shows it; ``custom``: its custom field values when already read
    (a list reads those of the whole page in one query)."""
    return {
        "id": contract.id,
        "title": contract.title,
        "contract_number": contract.contract_number,
        "contract_type": contract.contract_type_code,
        "counterparties": contract.counterparty_names,
        "amount": None if contract.amount is None else f"{contract.amount:.2f}",
        "currency": contract.currency,
        "signed_date": _iso_date(contract.signed_date),
        "effective_date": _iso_date(contract.effective_date),
        "expiry_date": _iso_date(contract.expiry_date),
        "department": contract.department.name if contract.department else None,
        "owner": contract.owner.email if contract.owner else None,
        "tags": [tag.name for tag in contract.tags],
        "description": contract.description,
        "custom_fields": stored_values(contract.id) if custom is None else custom,
        "status": contract.status,
        "confidential": contract.confidential,
        "legal_hold": contract.legal_hold,
        "parent_id": contract.parent_id,
        "relation": contract.relation,
        "created_at": isoformat_utc(contract.created_at),
        "updated_at": isoformat_utc(contract.updated_at),
        "deleted_at": isoformat_utc(contract.deleted_at),
        "versions": [version_to_dict(version) for version in contract.versions],
    }


def _iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None
