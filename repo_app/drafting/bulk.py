"""Bulk drafting: one contract per row of a CSV or XLSX file (or a JSON list of rows).

Columns are variable names; ``<party>.address`` / ``<party>.contact`` fill a party's details,
``<money>.currency`` an amount's currency, a table variable's cell holds one row per line with
cells separated by ``|``, and an optional ``title`` column overrides the title. Every row is
checked first; with any bad row nothing is drafted (the dry run lists them all).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..auth.models import User
from ..contracts.models import Contract
from ..core.errors import ValidationFailed
from . import schemas, services
from .models import Template, TemplateVersion

MAX_ROWS = 500
_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8, or GB18030 as Chinese Excel saves it) or XLSX file, keyed by header."""
    if len(data) > _MAX_BYTES:
        raise ValidationFailed(_("A bulk file is at most 5 MB."), field="file")
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        table = _xlsx_cells(data)
    else:
        table = list(csv.reader(io.StringIO(_decode(data))))
    if not table or not any(table[0]):
        raise ValidationFailed(_("The file has no header row of variable names."), field="file")
    header = [str(cell or "").strip() for cell in table[0]]
    rows = [
        {name: ("" if cell is None else str(cell)).strip() for name, cell in zip(header, line, strict=False) if name}
        for line in table[1:]
        if any(str(cell or "").strip() for cell in line)
    ]
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(_("At most %(n)d rows at a time.", n=MAX_ROWS), field="file")
    return rows


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(_("The CSV file is neither UTF-8 nor GB18030 text."), field="file")


def _xlsx_cells(data: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ValidationFailed(_("The file is not a readable XLSX workbook: %(error)s", error=str(error))) from None
    sheet = book.worksheets[0]
    cells = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return cells


def _cell_text(value: Any) -> Any:
    """Excel gives dates as datetimes and whole amounts as floats: back to the text a person typed."""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _raw_values(version: TemplateVersion, row: dict[str, str]) -> dict[str, Any]:
    """A flat row as the values the schema checks (parties and money gathered from sub-columns)."""
    known = {variable["name"]: variable["type"] for variable in version.variables}
    values: dict[str, Any] = {}
    for column, cell in row.items():
        if column == "title":
            continue
        name, _dot, part = column.partition(".")
        kind = known.get(name)
        if part and kind == "party":
            values.setdefault(name, {})[part] = cell
        elif part and kind == "money":
            values.setdefault(name, {})["currency"] = cell
        elif kind in ("party", "money"):
            values.setdefault(name, {})["name" if kind == "party" else "amount"] = cell
        else:
            values[column] = cell
    for name, value in values.items():
        if isinstance(value, dict) and not any(
            str(item).strip() for key, item in value.items() if key in ("name", "amount")
        ):
            values[name] = None
    return values


def check_rows(user: User, template: Template, rows: list[dict[str, str]]) -> list[RowError]:
    """Every bad row (numbered as in the file: the header is row 1), nothing stored."""
    version = services.draftable_version(user, template)
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=2):
        try:
            checked = schemas.check_values(version.variables, _raw_values(version, row), template.language)
            services.metadata_for(template, version, checked, row.get("title"))
        except ValidationFailed as refused:
            errors.append(RowError(number, refused.extra.get("field"), refused.message))
    if not rows:
        errors.append(RowError(1, None, _("The file has no rows below its header.")))
    return errors


def draft_rows(user: User, template: Template, rows: list[dict[str, str]]) -> list[Contract]:
    """One contract per row, all or none: any bad row refuses the whole file."""
    errors = check_rows(user, template, rows)
    if errors:
        first = errors[0]
        raise ValidationFailed(
            _("Row %(row)d: %(message)s", row=first.row, message=first.message),
            errors=[error.to_dict() for error in errors],
        )
    version = services.draftable_version(user, template)
    return [services.draft_contract(user, template, _raw_values(version, row), row.get("title")) for row in rows]
