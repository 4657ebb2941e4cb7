"""Exports of the contract ledger: requested by a page or the API, made by a job, kept.

An export is a result kept by its inputs (``core/results.py``): the user (what they may read),
the filter, the format, the language, the added columns and the last audited change (every
change to a contract is audited, so a newer event may change the rows). Asking again with
nothing changed serves the kept file. Every export request is audited with its filter and the
number of contracts it lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts.access import require
from ..core import clock, results
from ..core.audit import record
from ..core.errors import NotFound, ValidationFailed
from ..core.extensions import db
from . import ledger, writers
from .freshness import data_bound

#: The job that writes a ledger export.
EXPORT_JOB = "reports.ledger_export"
#: Changed whenever an export's content changes, so files kept from before are not served.
EXPORT_FORMAT_VERSION = "1"


def _may_read_export(user: Any, row: results.CachedResult) -> bool:
    """An export lists what its requester may read: only they may fetch it."""
    return row.owner_id is not None and row.owner_id == getattr(user, "id", None) and user.can(Permission.CONTRACT_READ)


def _filename(row: results.CachedResult) -> str:
    extension = {value: key for key, value in writers.MEDIA_TYPES.items()}.get(row.media_type or "", "bin")
    return f"pactum-ledger-{row.created_at:%Y%m%d-%H%M%S}.{extension}"


LEDGER_KIND = results.ResultKind(
    name="ledger-export",
    job=EXPORT_JOB,
    may_read=_may_read_export,
    working=lambda: _("Writing the contract ledger"),
    ready=lambda: _("The contract ledger is ready."),
    failed=lambda: _("The contract ledger could not be made"),
    filename=_filename,
)


def request_export(user: User, fmt: str, arguments: Mapping[str, list[str]], language: str) -> results.CachedResult:
    """The ledger of the contracts ``user`` may read that match ``arguments``, in ``fmt``, as
    kept or the job making it. The filter is checked (422) and the request audited first."""
    require(user, Permission.CONTRACT_READ)
    if fmt not in writers.FORMATS:
        raise ValidationFailed(_("format must be one of: %(formats)s", formats=", ".join(writers.FORMATS)))
    font = ""
    if fmt == "pdf":
        from ..core.fonts import register_pdf_font

        font = register_pdf_font()  # no usable font: say so now, not after queueing
    count = len(ledger.selected_ids(user, arguments))
    bound = data_bound()
    record("report.export", actor=user, format=fmt, filters=dict(arguments), rows=count)
    columns, _providers = ledger.all_columns()
    inputs = [
        EXPORT_FORMAT_VERSION,
        str(user.id),
        fmt,
        repr(sorted(arguments.items())),
        str(bound),
        language,
        font,
        ",".join(column.key for column in columns),
    ]
    key = results.result_key(LEDGER_KIND.name, inputs)
    return results.request(key, LEDGER_KIND, (user.id, fmt, dict(arguments), language), None, owner_id=user.id)


def make_export(key: str, user_id: int, fmt: str, arguments: dict[str, list[str]], language: str) -> None:
    """The job: write the ledger export of ``user_id`` under ``key``."""

    def make() -> tuple[bytes, str]:
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(_("The user is gone."))
        with force_locale(language):
            data, _count = write_ledger(user, fmt, arguments, language)
        return data, writers.MEDIA_TYPES[fmt]

    results.produce(key, make)


def write_ledger(user: User, fmt: str, arguments: Mapping[str, list[str]], language: str) -> tuple[bytes, int]:
    """The export's bytes and how many contracts it lists (also what the benchmark times)."""
    ids = ledger.selected_ids(user, arguments)
    columns, providers = ledger.all_columns()
    if fmt == "pdf":
        ids_shown = ids[: writers.PDF_MAX_ROWS]
        header = writers.Header(
            title=_("Contract ledger"),
            filter_lines=ledger.describe(arguments),
            generated=_(
                "Exported %(when)s by %(who)s from Pactum", when=f"{clock.now():%Y-%m-%d %H:%M} UTC", who=user.email
            ),
        )
        return writers.write_pdf(columns, ledger.rows(ids_shown, language, providers), header, len(ids))
    rows = ledger.rows(ids, language, providers)
    if fmt == "csv":
        return writers.write_csv(columns, rows)
    return writers.write_xlsx(columns, rows, _("Contract ledger"))
