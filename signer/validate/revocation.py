"""Revocation evidence: the DSS, the data inside the signature, and what was fetched.

The AdES process decides whether revocation data was good enough; this module
finds the OCSP response or CRL that speaks about the signer's certificate so
that the report can say ``good``/``revoked``/``unknown``, when, and whether the
document itself carries the proof.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

from asn1crypto import crl, ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import LocalKnowledge
from pyhanko_certvalidator.ltv.poe import ValidationObjectType
from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer

from .._pdfobjects import array_entry, catalog, dict_entry
from ..report import RevocationInfo
from .verdict import Findings, Verdict

__all__ = [
    "DocumentEvidence",
    "check_revocation",
    "declares_revinfo",
    "dss_covers",
    "local_knowledge",
    "read_dss",
]

_T = TypeVar("_T")
# (status, thisUpdate); status is good | revoked | unknown
_StatusAt: TypeAlias = tuple[str, dt.datetime]


@dataclass(frozen=True)
class DocumentEvidence:
    """Revocation material stored in the document (DSS + signature attributes)."""

    ocsps: tuple[ocsp.OCSPResponse, ...]
    crls: tuple[crl.CertificateList, ...]
    certs: tuple[asn1_x509.Certificate, ...]
    dss_present: bool


# ---------------------------------------------------------------------------
# reading the evidence
# ---------------------------------------------------------------------------


def read_dss(reader: PdfFileReader) -> DocumentEvidence:
    """Read the DSS of the latest revision (certificates, OCSP responses, CRLs)."""
    dss = dict_entry(catalog(reader), "/DSS")
    if dss is None:
        return DocumentEvidence((), (), (), False)
    return DocumentEvidence(
        ocsps=_parse_each(_dss_streams(dss, "/OCSPs"), ocsp.OCSPResponse.load),
        crls=_parse_each(_dss_streams(dss, "/CRLs"), crl.CertificateList.load),
        certs=_parse_each(_dss_streams(dss, "/Certs"), asn1_x509.Certificate.load),
        dss_present=True,
    )


def _dss_streams(dss: generic.DictionaryObject, key: str) -> list[bytes]:
    """Contents of the streams listed under ``key`` in the DSS; a stream that cannot be
    decoded is skipped."""
    out = []
    for stream in array_entry(dss, key):
        if not isinstance(stream, generic.StreamObject):
            continue
        try:
            out.append(stream.data)
        except (PdfError, ValueError, TypeError):
            continue
    return out


def _parse_each(ders: Iterable[bytes], parse: Callable[[bytes], _T]) -> tuple[_T, ...]:
    """Every DER blob that parses; the others are skipped."""
    out: list[_T] = []
    for der in ders:
        try:
            out.append(parse(der))
        except ValueError:
            continue
    return tuple(out)


def _signature_revinfo(esig: EmbeddedPdfSignature) -> tuple[list[ocsp.OCSPResponse], list[crl.CertificateList]]:
    """Revocation data inside the CMS (adbe-revocationInfoArchival attribute)."""
    ocsps: list[ocsp.OCSPResponse] = []
    crls: list[crl.CertificateList] = []
    try:
        for attr in esig.signer_info["signed_attrs"]:
            if attr["type"].native == "adobe_revocation_info_archival":
                for value in attr["values"]:
                    ocsps.extend(value["ocsp"] or [])
                    crls.extend(value["crl"] or [])
    except (KeyError, ValueError, TypeError):
        pass
    return ocsps, crls


def _fetched_revinfo(fetched: Iterable[Any]) -> tuple[list[ocsp.OCSPResponse], list[crl.CertificateList]]:
    """OCSP responses and CRLs among the validation objects of an AdES result."""
    ocsps: list[ocsp.OCSPResponse] = []
    crls: list[crl.CertificateList] = []
    for vo in fetched:
        if vo.object_type == ValidationObjectType.OCSP_RESPONSE and isinstance(vo.value, OCSPContainer):
            ocsps.append(vo.value.ocsp_response_data)
        elif vo.object_type == ValidationObjectType.CRL and isinstance(vo.value, CRLContainer):
            crls.append(vo.value.crl_data)
    return ocsps, crls


def local_knowledge(evidence: DocumentEvidence, known: LocalKnowledge | None = None) -> LocalKnowledge:
    """The DSS contents as pyHanko's locally known validation data, added to ``known``."""
    known = known or LocalKnowledge()
    return LocalKnowledge(
        known_ocsps=[*known.known_ocsps, *(OCSPContainer(o) for o in evidence.ocsps)],
        known_crls=[*known.known_crls, *(CRLContainer(c) for c in evidence.crls)],
        known_certs=[*known.known_certs, *evidence.certs],
        known_poes=list(known.known_poes),
        nonrevoked_assertions=list(known.nonrevoked_assertions),
    )


# ---------------------------------------------------------------------------
# what the evidence says about a certificate
# ---------------------------------------------------------------------------


def _matching_single_responses(cert: asn1_x509.Certificate, resp: ocsp.OCSPResponse) -> Iterator[Any]:
    """The single responses of a successful OCSP response that are about ``cert``."""
    if resp["response_status"].native != "successful":
        return
    basic = resp.basic_ocsp_response
    for single in basic["tbs_response_data"]["responses"]:
        cert_id = single["cert_id"]
        if cert_id["serial_number"].native != cert.serial_number:
            continue
        algo = cert_id["hash_algorithm"]["algorithm"].native
        if getattr(cert.issuer, algo) != cert_id["issuer_name_hash"].native:
            continue
        yield single


def _ocsp_status_for(cert: asn1_x509.Certificate, responses: Iterable[ocsp.OCSPResponse]) -> _StatusAt | None:
    """The newest status of ``cert`` in the OCSP responses (unreadable responses are skipped)."""
    best: _StatusAt | None = None
    for resp in responses:
        try:
            for single in _matching_single_responses(cert, resp):
                status = single["cert_status"].name  # good | revoked | unknown
                when = single["this_update"].native
                if best is None or when > best[1]:
                    best = (status, when)
        except (KeyError, ValueError, TypeError, AttributeError):
            continue
    return best


def _crl_status_for(cert: asn1_x509.Certificate, crls: Iterable[crl.CertificateList]) -> _StatusAt | None:
    """The status of ``cert`` in the newest CRL of its issuer (unreadable CRLs are skipped)."""
    best: _StatusAt | None = None
    for cl in crls:
        try:
            if cl.issuer != cert.issuer:
                continue
            revoked = any(
                rc["user_certificate"].native == cert.serial_number
                for rc in cl["tbs_cert_list"]["revoked_certificates"]
            )
            when = cl["tbs_cert_list"]["this_update"].native
            status = "revoked" if revoked else "good"
            if best is None or when > best[1]:
                best = (status, when)
        except (KeyError, ValueError, TypeError):
            continue
    return best


def _status_in(
    cert: asn1_x509.Certificate, ocsps: Iterable[ocsp.OCSPResponse], crls: Iterable[crl.CertificateList]
) -> _StatusAt | None:
    """The status of ``cert`` from OCSP if any response speaks about it, else from the CRLs."""
    return _ocsp_status_for(cert, ocsps) or _crl_status_for(cert, crls)


def declares_revinfo(cert: asn1_x509.Certificate) -> bool:
    """Whether the certificate names an OCSP responder or a CRL distribution point. One
    whose extensions cannot be parsed counts as naming one: its status is unknown, not
    "not applicable"."""
    try:
        return bool(cert.ocsp_urls or cert.crl_distribution_points)
    except ValueError:  # asn1crypto parses extensions lazily
        return True


def dss_covers(evidence: DocumentEvidence, cert: asn1_x509.Certificate) -> bool:
    """Whether the DSS holds what a long-term validation of ``cert`` needs.

    For a certificate that names no revocation service that is the certificate
    itself; otherwise an OCSP response or CRL about it.
    """
    if not evidence.dss_present:
        return False
    if not declares_revinfo(cert):
        return any(c.sha256 == cert.sha256 for c in evidence.certs)
    return _ocsp_status_for(cert, evidence.ocsps) is not None or _crl_status_for(cert, evidence.crls) is not None


def _revocation_info(
    cert: asn1_x509.Certificate,
    evidence: DocumentEvidence,
    sig_ocsps: Sequence[ocsp.OCSPResponse],
    sig_crls: Sequence[crl.CertificateList],
    fetched: Iterable[Any],
    sub_indication: str | None,
    trust_checked: bool,
) -> RevocationInfo:
    """The revocation status for the report.

    ``revoked`` when the AdES process said so or the evidence does; ``good``
    only when the evidence says so and the path was validated; otherwise
    ``unknown``. ``embedded`` says whether the document itself holds the proof.
    """
    doc_hit = _status_in(cert, [*evidence.ocsps, *sig_ocsps], [*evidence.crls, *sig_crls])
    net_hit = _status_in(cert, *_fetched_revinfo(fetched))
    if sub_indication in ("REVOKED", "REVOKED_NO_POE"):
        seen = doc_hit or net_hit
        return RevocationInfo("revoked", doc_hit is not None, seen[1] if seen else None)
    hit = doc_hit or net_hit
    if hit is None:
        return RevocationInfo("unknown", False)
    status, when = hit
    if status == "revoked":
        return RevocationInfo("revoked", doc_hit is not None, when)
    if status == "good" and trust_checked:
        return RevocationInfo("good", doc_hit is not None, when)
    return RevocationInfo("unknown", doc_hit is not None, when)


def check_revocation(
    evidence: DocumentEvidence,
    esig: EmbeddedPdfSignature,
    signer_cert: asn1_x509.Certificate | None,
    fetched: Iterable[Any],
    path_validated: bool,
    findings: Findings,
    *,
    required: bool = False,
    known_crls: Sequence[crl.CertificateList] = (),
) -> RevocationInfo:
    """Revocation status of the signer's certificate (``unknown`` without one); a revocation
    the AdES run missed turns a passed verdict into INDETERMINATE/REVOKED_NO_POE.

    ``required``: the policy asks for the revocation status (hard-fail or require, not
    soft-fail). pyHanko's hard-fail checks only certificates that name a revocation service;
    one that names none passed without any check. Under EN 319 102-1 an unknown status is
    not a pass when the policy requires it: X.509 certificate validation (5.2.6) ends in
    INDETERMINATE/TRY_LATER when the revocation freshness checker (5.2.5) has no revocation
    data to accept. So such a certificate is looked up in the CRLs the validator knows
    (``known_crls``, e.g. the internal CA's) and, when none speaks about it, the verdict
    becomes INDETERMINATE/TRY_LATER. A certificate marked id-pkix-ocsp-nocheck is exempt.
    """
    if signer_cert is None:
        return RevocationInfo("unknown", False)
    sig_ocsps, sig_crls = _signature_revinfo(esig)
    sub_indication = findings.verdict[1]
    revocation = _revocation_info(
        signer_cert,
        evidence,
        sig_ocsps,
        sig_crls,
        fetched,
        sub_indication,
        trust_checked=path_validated and sub_indication not in ("TRY_LATER",),
    )
    if revocation.status == "unknown" and required and _undeclared_and_passed(signer_cert, findings):
        revocation = _from_known_crls(signer_cert, known_crls, revocation)
        if revocation.status == "unknown":
            findings.downgrade(UNKNOWN_UNDER_HARD_FAIL)
            findings.warn(NO_SERVICE_UNDER_HARD_FAIL)
            return revocation
    if revocation.status == "revoked":
        findings.downgrade(("INDETERMINATE", "REVOKED_NO_POE"))  # changes a TOTAL_PASSED verdict only
    if revocation.status == "unknown":
        findings.warn(_unknown_status_note(signer_cert, findings))
    return revocation


#: What a policy that requires the revocation status concludes without it (EN 319 102-1 5.2.6).
UNKNOWN_UNDER_HARD_FAIL: Verdict = ("INDETERMINATE", "TRY_LATER")
NO_SERVICE_UNDER_HARD_FAIL = (
    "The signer's certificate names no revocation service (OCSP/CRL) and no revocation data about it is "
    "known, but the policy requires its revocation status: the signature cannot be confirmed until "
    "revocation data is available."
)


def _undeclared_and_passed(cert: asn1_x509.Certificate, findings: Findings) -> bool:
    """A passed signature whose certificate names no revocation service and is not exempt
    (id-pkix-ocsp-nocheck): the one case pyHanko's hard-fail lets through unchecked."""
    if findings.verdict[0] != "TOTAL_PASSED" or declares_revinfo(cert):
        return False
    try:
        return cert.ocsp_no_check_value is None
    except ValueError:
        return True


def _from_known_crls(
    cert: asn1_x509.Certificate, known_crls: Sequence[crl.CertificateList], unknown: RevocationInfo
) -> RevocationInfo:
    """The status in the newest known CRL of the certificate's issuer, else ``unknown``."""
    hit = _crl_status_for(cert, known_crls)
    if hit is None:
        return unknown
    return RevocationInfo(hit[0], False, hit[1])  # type: ignore[arg-type]


def _unknown_status_note(signer_cert: asn1_x509.Certificate, findings: Findings) -> str:
    """Why the status is unknown, and what the policy made of it.

    A certificate that names a revocation service but has no data only passes
    under the soft-fail policy (hard-fail ends in INDETERMINATE/TRY_LATER,
    EN 319 102-1 5.2.6), so a passed verdict here means soft-fail accepted it.
    """
    if not declares_revinfo(signer_cert):
        return "The signer's certificate names no revocation service (OCSP/CRL)."
    if findings.verdict[0] == "TOTAL_PASSED":
        return (
            "The revocation status of the signer's certificate could not be checked: "
            "the soft-fail policy accepts the signature without it."
        )
    if findings.verdict[1] == "TRY_LATER":
        return (
            "No revocation data (OCSP response or CRL) could be had for the signer's certificate, "
            "which names a revocation service: under the hard-fail policy the signature cannot be "
            "confirmed until that data is available. Validate again later."
        )
    return "The revocation status of the signer's certificate could not be checked."
