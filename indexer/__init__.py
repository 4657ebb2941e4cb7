"""Extraction, OCR and search backends. Plain Python: never imports Flask."""

from __future__ import annotations

from .formats import FORMATS, FileFormat, FormatRejected, RejectionReason, detect_format

__all__ = ["FORMATS", "FileFormat", "FormatRejected", "RejectionReason", "detect_format"]
