"""A builder report as XLSX, CSV or PDF, written by the ledger's writers (``writers.py``).

A report has at most ``builder.MAX_LIMIT`` rows (its groups), so its files are small and
written in the request; what takes time is the GROUP BY, which the database does. Columns: the
groupings (text), the count, then each measure, one column per currency when amounts are
split by currency, so every number cell is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from ..auth.models import User
from ..core import clock
from ..core.audit import record
from . import builder, writers
from .ledger import Column


def _heading(text: str) -> Callable[[], str]:
    return lambda: text


def _value(key: str, currency: str | None = None) -> Callable[[Any], object]:
    """A column's cell: the count, a group's label, a measure, or a measure's figure in one currency."""

    def value(row: builder.Row) -> object:
        if key == "count":
            return row.count
        if key.startswith("group"):
            return row.labels[int(key[5:]) - 1]
        figure = row.values.get(key)
        if currency is None:
            return figure
        return figure.get(currency) if isinstance(figure, dict) else None

    return value


def _currencies(report: builder.Report, key: str) -> list[str] | None:
    """The currencies of a measure split by currency (None: one figure per group)."""
    found: set[str] = set()
    split = False
    for row in report.rows:
        figure = row.values.get(key)
        if isinstance(figure, dict):
            split = True
            found.update(figure)
    return sorted(found) if split else None


def _measure_columns(report: builder.Report) -> list[Column]:
    columns: list[Column] = []
    for key, heading in report.columns:
        if key == "count":
            columns.append(Column("count", _heading(heading), "integer", 10, _value("count")))
            continue
        currencies = _currencies(report, key)
        if currencies is None:
            columns.append(Column(key, _heading(heading), "money", 16, _value(key)))
            continue
        for currency in currencies:
            label = f"{heading} ({currency})"
            columns.append(Column(f"{key}.{currency}", _heading(label), "money", 16, _value(key, currency)))
    return columns


def columns_of(report: builder.Report) -> list[Column]:
    groups = [
        Column(f"group{index + 1}", _heading(heading), "text", 24, _value(f"group{index + 1}"))
        for index, heading in enumerate(report.group_headings)
    ]
    return groups + _measure_columns(report)


def write(user: User, report: builder.Report, fmt: str, title: str, language: str) -> bytes:
    """The report's file in ``fmt`` (``writers.FORMATS``)."""
    columns = columns_of(report)
    if fmt == "csv":
        return writers.write_csv(columns, report.rows)[0]
    if fmt == "xlsx":
        return writers.write_xlsx(columns, report.rows, title)[0]
    header = writers.Header(
        title=title,
        filter_lines=builder.describe(report.definition, language),
        generated=_(
            "Exported %(when)s by %(who)s from Pactum", when=f"{clock.now():%Y-%m-%d %H:%M} UTC", who=user.email
        ),
        count_line=ngettext("%(num)d group.", "%(num)d groups.", len(report.rows)),
    )
    return writers.write_pdf(columns, report.rows, header, len(report.rows), printed_keys=None)[0]


def filename(title: str, fmt: str) -> str:
    safe = "".join(char for char in title if char.isalnum() or char in "-_ ").strip().replace(" ", "-")
    return f"pactum-report-{safe or 'report'}-{clock.now():%Y%m%d-%H%M}.{fmt}"


def export(user: User, definition: builder.Definition, fmt: str, title: str, language: str) -> bytes:
    """The report as a file, audited (format, groups, definition)."""
    report = builder.run(user, definition, language)
    record(
        "report.builder_export",
        actor=user,
        name=title,
        format=fmt,
        rows=len(report.rows),
        definition=definition.to_dict(),
    )
    return write(user, report, fmt, title, language)
