"""Build the demo contracts: bytes plus upload metadata, nothing else.

No Flask, no database: the app loads the result through its normal upload path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .catalog import DEMO_SPECS
from .compose import compose, contract_dates, filename, metadata
from .model import ContractDocument, ContractSpec, DocumentFormat
from .render_docx import render_docx
from .render_pdf import render_pdf

RENDERERS: dict[DocumentFormat, Callable[[ContractDocument], bytes]] = {
    "pdf": render_pdf,
    "docx": render_docx,
}


@dataclass(frozen=True)
class DemoContract:
    """One demo contract file and the metadata to upload with it."""

    filename: str  # e.g. "采购合同-华东精密-2025.pdf"
    content: bytes  # PDF or DOCX bytes
    metadata: dict[str, object]  # JSON-serialisable, see compose.metadata


def build_demo_contracts(today: date | None = None) -> list[DemoContract]:
    """The twelve demo contracts, dated relative to *today* (default: the current date).

    Deterministic: the same *today* always gives the same files and metadata.
    """
    day = today or date.today()
    return [build_contract(spec, day) for spec in DEMO_SPECS]


def build_contract(spec: ContractSpec, today: date) -> DemoContract:
    dates = contract_dates(spec, today)
    content = RENDERERS[spec.format](compose(spec, dates))
    return DemoContract(filename=filename(spec, dates), content=content, metadata=metadata(spec, dates))
