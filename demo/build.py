"""Build the demo contracts: bytes plus upload metadata, nothing else.

No Flask, no database: the app loads the result through its normal upload path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .catalog import DEMO_SPECS
from .compose import compose, contract_dates, filename, metadata
from .model import ContractSpec
from .render_docx import render_docx
from .render_pdf import render_pdf


@dataclass(frozen=True)
class DemoContract:
    """One demo contract file and the metadata to upload with it."""

    filename: str  # e.g. "采购合同-华东精密-2025.pdf"
    content: bytes  # PDF or DOCX bytes
    metadata: dict[str, object]  # JSON-serialisable, see compose.metadata


def build_demo_contracts(today: date | None = None, *, font_path: str | None = None) -> list[DemoContract]:
    """The twelve demo contracts, dated relative to *today* (default: the current date); the
    PDFs embed the font at *font_path* (default: the first installed candidate of signer.fonts).

    Deterministic: the same *today* and font always give the same files and metadata.
    """
    day = today or date.today()
    return [build_contract(spec, day, font_path) for spec in DEMO_SPECS]


def build_contract(spec: ContractSpec, today: date, font_path: str | None = None) -> DemoContract:
    dates = contract_dates(spec, today)
    document = compose(spec, dates)
    content = render_pdf(document, font_path) if spec.format == "pdf" else render_docx(document)
    return DemoContract(filename=filename(spec, dates), content=content, metadata=metadata(spec, dates))
