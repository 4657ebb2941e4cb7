"""The PAdES baseline level a signature has in structure (B-B ... B-LTA); validity is elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import EmbeddedPdfSignature

from .._pdfobjects import text_entry
from ..report import PadesLevelName
from .context import DocumentContext
from .revocation import dss_covers
from .timestamps import has_signature_timestamp
from .verdict import Findings

__all__ = ["check_pades_level"]

# PBAD.PAdES: the Brazilian profile of PAdES, structured like ETSI.CAdES.detached.
_PADES_SUBFILTERS = ("/ETSI.CAdES.detached", "/PBAD.PAdES")


def _dss_in_revision(reader: PdfFileReader, revision: int) -> bool:
    try:
        root = reader.get_historical_root(revision)
        return "/DSS" in root
    except (PdfError, KeyError, ValueError, IndexError):
        return False


def _pades_level(
    ctx: DocumentContext,
    esig: EmbeddedPdfSignature,
    signer_cert: asn1_x509.Certificate | None,
    doc_ts_revisions: Sequence[int],
) -> PadesLevelName | None:
    if text_entry(esig.sig_object, "/SubFilter") not in _PADES_SUBFILTERS:
        return None
    later_ts = [r for r in doc_ts_revisions if r > esig.signed_revision]
    if not (has_signature_timestamp(esig) or later_ts):
        return "B-B"
    if signer_cert is None or not dss_covers(ctx.evidence, signer_cert):
        return "B-T"
    if any(_dss_in_revision(ctx.reader, r) for r in later_ts):
        return "B-LTA"
    return "B-LT"


def check_pades_level(
    ctx: DocumentContext,
    esig: EmbeddedPdfSignature,
    signer_cert: asn1_x509.Certificate | None,
    doc_ts_revisions: Sequence[int],
    findings: Findings,
) -> PadesLevelName | None:
    """The PAdES level; a legacy PKCS#7 signature (adbe.pkcs7.detached or .sha1) has none,
    which is worth a warning.
    Without the signer's certificate, the DSS cannot be shown to cover it: B-T at most."""
    pades = _pades_level(ctx, esig, signer_cert, doc_ts_revisions)
    if pades is None:
        subfilter = (text_entry(esig.sig_object, "/SubFilter") or "").lstrip("/")
        findings.warn(f"Legacy PKCS#7 signature ({subfilter}), not a PAdES signature.")
    return pades
