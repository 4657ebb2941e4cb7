"""Suggestions for the invoice form from an attached file: its text (the indexer's extraction,
OCR for a scan within a small budget) read by :mod:`.invoice_text`, and the contract's
counterparty named when its credit code is the buyer's or the seller's tax id. Nothing is saved."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from indexer.extract import ExtractionFailed, ExtractOptions, extract

from ..contracts.models import Contract
from ..contracts.services import IncomingFile
from ..core.extensions import settings
from .invoice_text import InvoiceFields, read_invoice
from .invoices import file_type

#: An invoice is one or two pages; a scan gets this much OCR before the user types instead.
OCR_PAGES = 2
TIMEOUT_SECONDS = 60


def file_text(upload: IncomingFile, media_type: str) -> str:
    """The text of an uploaded PDF or image ("" for OFD, which the extractor does not read)."""
    if media_type == "application/ofd":
        return ""
    config = settings()
    options = ExtractOptions(
        ocr_languages=config.ocr_languages,
        ocr_engine=config.ocr_engine,
        tika_url=config.tika_url or None,
        max_pages=OCR_PAGES + 2,
        timeout_seconds=TIMEOUT_SECONDS,
        max_ocr_pages=OCR_PAGES,
    )
    with tempfile.TemporaryDirectory(prefix="pactum-invoice-") as folder:
        path = Path(folder) / "invoice"
        with path.open("wb") as target:
            shutil.copyfileobj(upload.stream, target)
        upload.stream.seek(0)
        try:
            return extract(path, media_type, options).text
        except ExtractionFailed:
            return ""


def counterparty_matches(contract: Contract, fields: InvoiceFields) -> dict[str, dict[str, Any]]:
    """``buyer`` and/or ``seller``: the contract's counterparty whose credit code is that tax id."""
    matches: dict[str, dict[str, Any]] = {}
    for side, tax_id in (("buyer", fields.buyer_tax_id), ("seller", fields.seller_tax_id)):
        for party in contract.parties:
            code = party.counterparty.credit_code
            if tax_id and code and code.upper() == tax_id.upper():
                matches[side] = {"id": party.counterparty.id, "name": party.counterparty.name}
    return matches


def suggest(contract: Contract, upload: IncomingFile) -> dict[str, Any]:
    media_type = file_type(upload)
    fields = read_invoice(file_text(upload, media_type))
    found = fields.to_dict()
    return {
        "fields": found,
        "counterparties": counterparty_matches(contract, fields),
        "message": _("Suggested from the file: check each field before saving.")
        if found
        else _("Nothing could be read from this file: fill in the fields."),
    }
