"""Validation of PDF signatures into an auditor's :class:`~signer.report.ValidationReport`.

Each ``/Sig`` signature goes through pyHanko's implementation of the ETSI EN
319 102-1 long-term validation process (``ades_lta_validation``: basic
validation, validation with time, past signature validation with the
document timestamps as proof of existence). Its result is in ETSI vocabulary
already; on top of it this module applies the PDF-specific checks that process
does not make (byte-range coverage, incremental updates, DocMDP, shadow
attacks). The complete mapping is in ``signer/README.md``; in short:

==========================================  ================  =======================
finding                                     indication        sub_indication
==========================================  ================  =======================
all checks pass                             TOTAL_PASSED      null
pyHanko AdESFailure.X (HASH_FAILURE,        TOTAL_FAILED      X
SIG_CRYPTO_FAILURE, REVOKED, FORMAT_...)
pyHanko AdESIndeterminate.X                 INDETERMINATE     X (NO_CERTIFICATE_CHAIN_
                                                              FOUND, TRY_LATER, ...)
signature dict / CMS unreadable, unknown    TOTAL_FAILED      FORMAT_FAILURE
SubFilter, /ByteRange not covering the
file as one revision (signature wrapping)
later revision changes what was signed      INDETERMINATE     SIG_CONSTRAINTS_FAILURE
(modification level OTHER, shadow attacks,
DocMDP/FieldMDP violation, form field
filled over signed content)
==========================================  ================  =======================

A finding never makes a verdict better: TOTAL_FAILED stays TOTAL_FAILED.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hashlib
import io
import logging
import os
import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

from asn1crypto import crl, ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate, AdESStatus, AdESSubIndic
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult, SuspiciousModification
from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields
from pyhanko.sign.validation import EmbeddedPdfSignature, generic_cms
from pyhanko.sign.validation.ades import (
    AdESBasicValidationResult,
    ades_basic_validation,
    ades_lta_validation,
)
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_timestamp
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
    bootstrap_validation_data_handlers,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    SignatureCoverageLevel,
    StandardCMSSignatureStatus,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.ltv.poe import ValidationObjectType
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.path import ValidationPath
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer

from .. import _forensics
from .._loop import outside_event_loop
from ..ca import InternalCA
from ..errors import ValidationError
from ..keys import to_asn1_certificate
from ..report import (
    CertificateInfo,
    CertificationName,
    ChainEntry,
    ChangeKind,
    Coverage,
    DocumentInfo,
    DocumentTimestampReport,
    Indication,
    Integrity,
    PadesLevelName,
    RevocationInfo,
    SignatureReport,
    TimestampInfo,
    TrustSummary,
    ValidationReport,
)

__all__ = ["RevocationMode", "TrustSettings", "validate_pdf"]

RevocationMode: TypeAlias = Literal["hard-fail", "soft-fail", "require"]

_PEM_SUFFIXES = (".pem", ".crt", ".cer")
_CERTIFICATION: dict[MDPPerm, CertificationName] = {
    MDPPerm.NO_CHANGES: "no_changes",
    MDPPerm.FILL_FORMS: "form_filling",
    MDPPerm.ANNOTATE: "annotations",
}
_INDICATION: dict[AdESStatus, Indication] = {
    AdESStatus.PASSED: "TOTAL_PASSED",
    AdESStatus.FAILED: "TOTAL_FAILED",
    AdESStatus.INDETERMINATE: "INDETERMINATE",
}
_SEVERITY: dict[Indication, int] = {"TOTAL_PASSED": 0, "INDETERMINATE": 1, "TOTAL_FAILED": 2}

# pyHanko reports *why* a chain failed only through its log; the reasons are
# collected (per validation, via a context variable) to explain verdicts and to
# tell "no revocation data" (TRY_LATER) from other chain failures.
_DETAILS: ContextVar[list[str] | None] = ContextVar("pactum_signer_details", default=None)
_CERT_CONTEXT = re.compile(r"^Validation error \[cert context: .*?\]: ")


class _DetailCollector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        sink = _DETAILS.get()
        if sink is not None:
            sink.append(_CERT_CONTEXT.sub("", record.getMessage()))


logging.getLogger("pyhanko.sign.validation.generic_cms").addHandler(_DetailCollector(logging.WARNING))


@dataclass(frozen=True)
class TrustSettings:
    """What the validator trusts and how hard it checks.

    Attributes:
        trust_store: folder of PEM certificates (``*.pem``, ``*.crt``,
            ``*.cer``; several per file allowed): the trust anchors.
        internal_ca: folder of the :class:`~signer.ca.InternalCA`; its root is
            a trust anchor when ``trust_internal_ca`` is true (the default).
        trust_internal_ca: see above.
        extra_anchors: more anchors given as objects.
        revocation_mode: ``hard-fail`` (default): a certificate that names an
            OCSP responder or CRL must have valid revocation data, otherwise the
            result is INDETERMINATE (TRY_LATER); ``require``: revocation data is
            needed for every certificate; ``soft-fail``: missing data is
            silently skipped (then the report shows revocation ``unknown``).
        allow_fetching: fetch OCSP responses/CRLs over the network at validation
            time. Off by default: the URLs come from uploaded documents (SSRF);
            certificates themselves are never fetched (AIA chasing is off).
        fetch_timeout_seconds: per-request timeout when fetching.
        validation_time: validate as of this moment instead of now
            (``validate_pdf(at=...)`` wins over it).
    """

    trust_store: str | os.PathLike[str] | None = None
    internal_ca: str | os.PathLike[str] | None = None
    trust_internal_ca: bool = True
    extra_anchors: tuple[x509.Certificate, ...] = ()
    revocation_mode: RevocationMode = "hard-fail"
    allow_fetching: bool = False
    fetch_timeout_seconds: float = 10.0
    validation_time: dt.datetime | None = None

    def anchors(self) -> list[x509.Certificate]:
        """Load every trust anchor (deduplicated). Raises ValidationError on bad files."""
        found: list[x509.Certificate] = list(self.extra_anchors)
        if self.trust_store is not None:
            folder = Path(self.trust_store)
            if not folder.is_dir():
                raise ValidationError(f"trust store folder not found: {folder}")
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() not in _PEM_SUFFIXES or not path.is_file():
                    continue
                try:
                    found.extend(x509.load_pem_x509_certificates(path.read_bytes()))
                except ValueError as exc:
                    raise ValidationError(f"not a PEM certificate file: {path}: {exc}") from None
        if self.internal_ca is not None and self.trust_internal_ca:
            root = InternalCA.root_certificate_of(self.internal_ca)
            if root is not None:
                found.append(root)
        unique: dict[bytes, x509.Certificate] = {}
        for cert in found:
            unique.setdefault(cert.fingerprint(_sha256()), cert)
        return list(unique.values())


def _sha256() -> Any:
    from cryptography.hazmat.primitives import hashes

    return hashes.SHA256()


# ---------------------------------------------------------------------------
# naming helpers
# ---------------------------------------------------------------------------


def _name(name: asn1_x509.Name) -> str:
    """RFC 4514 form of a name (``CN=...,O=...,C=...``)."""
    try:
        rdns: list[x509.RelativeDistinguishedName] = []
        for rdn in name.chosen:
            rdns.append(
                x509.RelativeDistinguishedName(
                    x509.NameAttribute(
                        x509.ObjectIdentifier(atv["type"].dotted), str(atv["value"].native), _validate=False
                    )
                    for atv in rdn
                )
            )
        return x509.Name(rdns).rfc4514_string({x509.NameOID.EMAIL_ADDRESS: "emailAddress"})
    except (ValueError, TypeError, KeyError):
        return str(name.human_friendly)


def _common_name(name: asn1_x509.Name) -> str:
    native = name.native
    if isinstance(native, dict) and native.get("common_name"):
        cn = native["common_name"]
        return str(cn[0] if isinstance(cn, list) else cn)
    return _name(name)


def _serial(cert: asn1_x509.Certificate) -> str:
    return format(cert.serial_number, "X")


def _email(cert: asn1_x509.Certificate) -> str | None:
    try:
        emails = cert.subject_alt_name_value
        if emails is not None:
            for gn in emails:
                if gn.name == "rfc822_name":
                    return str(gn.native)
    except ValueError:
        pass
    native = cert.subject.native
    if isinstance(native, dict) and native.get("email_address"):
        return str(native["email_address"])
    return None


def _cert_info(cert: asn1_x509.Certificate) -> CertificateInfo:
    validity = cert["tbs_certificate"]["validity"]
    return CertificateInfo(
        subject=_name(cert.subject),
        issuer=_name(cert.issuer),
        serial=_serial(cert),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        email=_email(cert),
    )


def _chain(
    leaf: asn1_x509.Certificate,
    path: ValidationPath | None,
    embedded: Iterable[asn1_x509.Certificate],
    anchors: Sequence[asn1_x509.Certificate],
) -> tuple[ChainEntry, ...]:
    """The validated path (leaf first) or, without one, the embedded issuers."""
    anchor_keys = {a.sha256 for a in anchors}
    certs: list[asn1_x509.Certificate]
    if path is not None:
        certs = list(path.iter_certs(include_root=True))
        certs.reverse()
    else:
        pool = list(embedded)
        certs = [leaf]
        current = leaf
        while current.issuer != current.subject:
            nxt = next((c for c in pool if c.subject == current.issuer and c not in certs), None)
            if nxt is None:
                break
            certs.append(nxt)
            current = nxt
    return tuple(
        ChainEntry(
            subject=_name(c.subject),
            issuer=_name(c.issuer),
            serial=_serial(c),
            trust_anchor=c.sha256 in anchor_keys,
        )
        for c in certs
    )


# ---------------------------------------------------------------------------
# revocation evidence
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _DocumentEvidence:
    """Revocation material stored in the document (DSS + signature attributes)."""

    ocsps: tuple[ocsp.OCSPResponse, ...]
    crls: tuple[crl.CertificateList, ...]
    certs: tuple[asn1_x509.Certificate, ...]
    dss_present: bool


def _read_dss(reader: PdfFileReader) -> _DocumentEvidence:
    """Read the DSS of the latest revision (certificates, OCSP responses, CRLs)."""
    try:
        dss = reader.root["/DSS"]
    except KeyError:
        return _DocumentEvidence((), (), (), False)

    def streams(key: str) -> list[bytes]:
        out = []
        try:
            for ref in dss.get(key, []):
                stream = ref.get_object()
                if isinstance(stream, generic.StreamObject):
                    out.append(stream.data)
        except (PdfError, ValueError, TypeError, AttributeError):
            pass
        return out

    ocsps, crls, certs = [], [], []
    for der in streams("/OCSPs"):
        try:
            ocsps.append(ocsp.OCSPResponse.load(der))
        except ValueError:
            continue
    for der in streams("/CRLs"):
        try:
            crls.append(crl.CertificateList.load(der))
        except ValueError:
            continue
    for der in streams("/Certs"):
        try:
            certs.append(asn1_x509.Certificate.load(der))
        except ValueError:
            continue
    return _DocumentEvidence(tuple(ocsps), tuple(crls), tuple(certs), True)


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


def _ocsp_status_for(
    cert: asn1_x509.Certificate, responses: Iterable[ocsp.OCSPResponse]
) -> tuple[str, dt.datetime] | None:
    best: tuple[str, dt.datetime] | None = None
    for resp in responses:
        try:
            if resp["response_status"].native != "successful":
                continue
            basic = resp.basic_ocsp_response
            for single in basic["tbs_response_data"]["responses"]:
                cert_id = single["cert_id"]
                if cert_id["serial_number"].native != cert.serial_number:
                    continue
                algo = cert_id["hash_algorithm"]["algorithm"].native
                if getattr(cert.issuer, algo) != cert_id["issuer_name_hash"].native:
                    continue
                status = single["cert_status"].name  # good | revoked | unknown
                when = single["this_update"].native
                if best is None or when > best[1]:
                    best = (status, when)
        except (KeyError, ValueError, TypeError, AttributeError):
            continue
    return best


def _crl_status_for(cert: asn1_x509.Certificate, crls: Iterable[crl.CertificateList]) -> tuple[str, dt.datetime] | None:
    best: tuple[str, dt.datetime] | None = None
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


def _declares_revinfo(cert: asn1_x509.Certificate) -> bool:
    return bool(cert.ocsp_urls or cert.crl_distribution_points)


def _revocation(
    cert: asn1_x509.Certificate,
    evidence: _DocumentEvidence,
    sig_ocsps: Sequence[ocsp.OCSPResponse],
    sig_crls: Sequence[crl.CertificateList],
    fetched: Iterable[Any],
    sub_indication: str | None,
    trust_checked: bool,
) -> RevocationInfo:
    if sub_indication in ("REVOKED", "REVOKED_NO_POE"):
        embedded_hit = _ocsp_status_for(cert, [*evidence.ocsps, *sig_ocsps]) or _crl_status_for(
            cert, [*evidence.crls, *sig_crls]
        )
        return RevocationInfo("revoked", embedded_hit is not None, embedded_hit[1] if embedded_hit else None)
    doc_hit = _ocsp_status_for(cert, [*evidence.ocsps, *sig_ocsps]) or _crl_status_for(
        cert, [*evidence.crls, *sig_crls]
    )
    fetched_ocsps: list[ocsp.OCSPResponse] = []
    fetched_crls: list[crl.CertificateList] = []
    for vo in fetched:
        if vo.object_type == ValidationObjectType.OCSP_RESPONSE and isinstance(vo.value, OCSPContainer):
            fetched_ocsps.append(vo.value.ocsp_response_data)
        elif vo.object_type == ValidationObjectType.CRL and isinstance(vo.value, CRLContainer):
            fetched_crls.append(vo.value.crl_data)
    net_hit = _ocsp_status_for(cert, fetched_ocsps) or _crl_status_for(cert, fetched_crls)
    hit = doc_hit or net_hit
    if hit is None:
        return RevocationInfo("unknown", False)
    status, when = hit
    if status == "revoked":
        return RevocationInfo("revoked", doc_hit is not None, when)
    if status == "good" and trust_checked:
        return RevocationInfo("good", doc_hit is not None, when)
    return RevocationInfo("unknown", doc_hit is not None, when)


# ---------------------------------------------------------------------------
# the validation itself
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    data: bytes
    reader: PdfFileReader
    anchors: tuple[asn1_x509.Certificate, ...]
    spec: PdfSignatureValidationSpec
    timing: ValidationTimingInfo
    evidence: _DocumentEvidence
    total_revisions: int


def _plain_subindication(sub: str | None) -> str | None:
    return _forensics.PLAIN_SUBINDICATION.get(sub or "", None)


def _changes(level: ModificationLevel | None) -> ChangeKind:
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return "none"
    if level == ModificationLevel.FORM_FILLING:
        return "form_filling"
    if level == ModificationLevel.ANNOTATIONS:
        return "annotations"
    return "other"


def _worse(
    current: tuple[Indication, str | None], candidate: tuple[Indication, str | None]
) -> tuple[Indication, str | None]:
    """Keep the more severe verdict (ties keep the current one)."""
    if _SEVERITY[candidate[0]] > _SEVERITY[current[0]]:
        return candidate
    if current[0] == "INDETERMINATE" and candidate == ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"):
        return candidate  # an integrity finding outranks e.g. TRY_LATER for an auditor
    return current


def _timestamp_info(ts: TimestampSignatureStatus | None) -> TimestampInfo | None:
    if ts is None:
        return None
    return TimestampInfo(
        authority=_common_name(ts.signing_cert.subject),
        time=ts.timestamp,
        valid=bool(ts.intact and ts.valid and ts.trusted),
    )


def _dss_covers(ctx: _Context, cert: asn1_x509.Certificate) -> bool:
    if not ctx.evidence.dss_present:
        return False
    if not _declares_revinfo(cert):
        return any(c.sha256 == cert.sha256 for c in ctx.evidence.certs)
    return (
        _ocsp_status_for(cert, ctx.evidence.ocsps) is not None or _crl_status_for(cert, ctx.evidence.crls) is not None
    )


def _dss_in_revision(reader: PdfFileReader, revision: int) -> bool:
    try:
        root = reader.get_historical_root(revision)
        return "/DSS" in root
    except (PdfError, KeyError, ValueError, IndexError):
        return False


def _pades_level(
    ctx: _Context,
    esig: EmbeddedPdfSignature,
    has_sig_ts: bool,
    doc_ts_revisions: Sequence[int],
) -> PadesLevelName | None:
    subfilter = esig.sig_object.get("/SubFilter")
    if subfilter != "/ETSI.CAdES.detached":
        return None
    later_ts = [r for r in doc_ts_revisions if r > esig.signed_revision]
    if not (has_sig_ts or later_ts):
        return "B-B"
    if not _dss_covers(ctx, esig.signer_cert):
        return "B-T"
    if any(_dss_in_revision(ctx.reader, r) for r in later_ts):
        return "B-LTA"
    return "B-LT"


async def _ades(
    ctx: _Context, esig: EmbeddedPdfSignature, doc_ts_revisions: Sequence[int]
) -> AdESBasicValidationResult[Any]:
    """Run the ETSI process that fits.

    With a later document timestamp: the long-term (LTA) process. Otherwise the
    basic signature validation (EN 319 102-1 5.3) at the validation time, and
    the LTA process only when that result waits for a proof of existence that
    the signature timestamp may give. (pyHanko's with-time process alone is not
    usable: it reports SIG_CONSTRAINTS_FAILURE for B-B signatures and OK for
    OUT_OF_BOUNDS_NO_POE, leaving expiry to the past-validation step.)
    """
    if any(r > esig.signed_revision for r in doc_ts_revisions):
        return await ades_lta_validation(esig, ctx.spec, timing_info=ctx.timing)
    spec = dataclasses.replace(ctx.spec.signature_validation_spec, local_knowledge=_local_knowledge(ctx))
    basic = await ades_basic_validation(
        esig.signed_data,
        spec,
        timing_info=ctx.timing,
        raw_digest=esig.compute_digest(),
    )
    # Without document timestamps the only proof of existence is the signature
    # timestamp: the long-term process can only change the verdicts that wait
    # for one (EN 319 102-1 5.6.3.4), so it runs only for those.
    if basic.ades_subindic in _NEEDS_POE and _has_signature_timestamp(esig):
        return await ades_lta_validation(esig, ctx.spec, timing_info=ctx.timing)
    return basic


_NEEDS_POE = frozenset(
    {
        AdESIndeterminate.REVOKED_NO_POE,
        AdESIndeterminate.REVOKED_CA_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
        AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.TRY_LATER,
    }
)


async def _basic_now(ctx: _Context, esig: EmbeddedPdfSignature) -> AdESBasicValidationResult[Any] | None:
    spec = dataclasses.replace(ctx.spec.signature_validation_spec, local_knowledge=_local_knowledge(ctx))
    try:
        return await ades_basic_validation(
            esig.signed_data, spec, timing_info=ctx.timing, raw_digest=esig.compute_digest()
        )
    except Exception:  # noqa: BLE001
        return None


async def _validate_signature(
    ctx: _Context,
    fq_name: str,
    field_dict: generic.DictionaryObject,
    doc_ts_revisions: Sequence[int],
) -> SignatureReport:
    warnings: list[str] = []
    sig_obj = field_dict.get("/V")
    reason = _text(sig_obj, "/Reason")
    location = _text(sig_obj, "/Location")
    try:
        esig = EmbeddedPdfSignature(ctx.reader, field_dict, fq_name)
        subfilter = esig.sig_object.get("/SubFilter")
        if subfilter not in ("/ETSI.CAdES.detached", "/adbe.pkcs7.detached"):
            raise SignatureValidationError(f"unsupported signature format (SubFilter {subfilter})")
    except Exception as exc:  # noqa: BLE001 - hostile input: never crash, report
        return _broken_signature(fq_name, reason, location, f"The signature could not be read: {exc}")

    signer_cert = esig.signer_cert
    later_revisions = max(ctx.total_revisions - 1 - esig.signed_revision, 0)
    result = None
    error: str | None = None
    details: list[str] = []
    token = _DETAILS.set(details)
    try:
        esig.compute_integrity_info(diff_policy=ctx.spec.diff_policy)  # type: ignore[no-untyped-call]
        result = await _ades(ctx, esig, doc_ts_revisions)
    except Exception as exc:  # noqa: BLE001 - report, never crash
        error = str(exc) or type(exc).__name__
    finally:
        _DETAILS.reset(token)
    status: StandardCMSSignatureStatus | None = result.api_status if result is not None else None
    if result is not None:
        sub: AdESSubIndic = result.ades_subindic
        verdict: tuple[Indication, str | None] = (
            _INDICATION[sub.status],
            None if sub.status == AdESStatus.PASSED else str(sub.standard_name),
        )
        if sub == AdESIndeterminate.NO_POE and (result.failure_msg or "").startswith(
            "Unable to construct plausible past validation"
        ):
            # pyHanko also runs past-signature validation after a PASSED
            # current-time result, and reports NO_POE when that extra step
            # finds no proof of existence (typical for B-LT without document
            # timestamp). EN 319 102-1 5.6.3.4 keeps the current-time result
            # then. pyHanko's with-time step cannot be asked (it returns OK for
            # OUT_OF_BOUNDS_NO_POE, leaving expiry to the past validation), so
            # the basic validation at the current time decides.
            current = await _basic_now(ctx, esig)
            if current is not None:
                sub = current.ades_subindic
                verdict = (
                    _INDICATION[sub.status],
                    None if sub.status == AdESStatus.PASSED else str(sub.standard_name),
                )
        elif sub == AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE and any(
            "no revocation information" in d for d in details
        ):
            verdict = ("INDETERMINATE", "TRY_LATER")
        if verdict[0] != "TOTAL_PASSED":
            warnings.extend(d for d in details[:3] if not d.startswith("Failed to get control time"))
    else:
        verdict = ("TOTAL_FAILED", "FORMAT_FAILURE")
        warnings.append(f"The signature could not be validated: {error}")

    # -- integrity and coverage ---------------------------------------------
    integrity_info = _integrity_info(esig)
    coverage_level = integrity_info.get("coverage")
    diff = integrity_info.get("diff_result")
    docmdp_ok = integrity_info.get("docmdp_ok")
    mod_level = _modification_level(coverage_level, diff)
    if status is not None:
        integrity = Integrity(bool(status.intact), bool(status.valid))
    else:
        integrity = Integrity(_digest_matches(esig), False)
    if not integrity.digest_matches and verdict[0] != "TOTAL_FAILED":
        verdict = ("TOTAL_FAILED", "HASH_FAILURE")
    changes = _changes(mod_level)
    whole = coverage_level == SignatureCoverageLevel.ENTIRE_FILE
    if coverage_level not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        verdict = _worse(verdict, ("TOTAL_FAILED", "FORMAT_FAILURE"))
        changes = "other"
        warnings.append(
            "The signed byte range does not cover the file as one complete revision: bytes "
            "that were not signed are part of what is shown (signature wrapping or a damaged file)."
        )
    if isinstance(diff, SuspiciousModification):
        warnings.append(f"A later revision changes the document in a way that is not allowed: {diff}.")
    elif changes == "other" and later_revisions and coverage_level == SignatureCoverageLevel.ENTIRE_REVISION:
        warnings.append("A later revision changes the document in a way that is not allowed.")

    # -- extra forensics (shadow attacks the diff policy lets through) -------
    if later_revisions and isinstance(diff, DiffResult) and changes in ("form_filling", "annotations"):
        finding = _forensics.overlay_findings(ctx.data, ctx.reader, esig)
        if finding.suspicious:
            changes = "other"
        warnings.extend(finding.warnings)
    if later_revisions and changes == "form_filling" and not any("form field" in w.lower() for w in warnings):
        warnings.append(
            f"{later_revisions} later revision(s) add signatures or fill in form fields; "
            "that is permitted, but those later changes are not covered by this signature."
        )
    if changes == "annotations":
        warnings.append("Comments or other annotations were added after this signature.")
    trailing = _forensics.trailing_garbage(ctx.data)
    if trailing:
        changes, whole = "other", False
        verdict = _worse(verdict, ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"))
        warnings.append(
            f"{trailing} bytes were appended after the last revision without a valid "
            "cross-reference section; some viewers display them."
        )
    if changes == "other":
        verdict = _worse(verdict, ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"))
    if docmdp_ok is False:
        verdict = _worse(verdict, ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"))
        if esig.docmdp_level is not None:
            warnings.append(
                "Changes made after signing exceed what this signature permits "
                f"(DocMDP level {esig.docmdp_level.value})."
            )
        elif changes != "other":
            warnings.append("Changes made after signing exceed what this signature permits.")

    # -- trust, time, revocation ------------------------------------------------
    path = status.validation_path if status is not None else None
    chain = _chain(signer_cert, path, esig.other_embedded_certs, ctx.anchors)
    if not any(c.trust_anchor for c in chain):
        warnings.append("The signer's certificate does not lead to a trusted root certificate.")
    ts_status = status.timestamp_validity if status is not None else None
    if ts_status is None:
        ts_status = await _signature_timestamp(ctx, esig)
    ts_info = _timestamp_info(ts_status)
    if ts_info is None:
        warnings.append("The signing time is only claimed by the signer (no trusted timestamp).")
    elif not ts_info.valid:
        warnings.append("The signature timestamp is not valid or not trusted.")
    sig_ocsps, sig_crls = _signature_revinfo(esig)
    revocation = _revocation(
        signer_cert,
        ctx.evidence,
        sig_ocsps,
        sig_crls,
        result.validation_objects if result is not None else (),
        verdict[1],
        trust_checked=path is not None and verdict[1] not in ("TRY_LATER",),
    )
    if revocation.status == "revoked" and verdict[0] == "TOTAL_PASSED":
        verdict = ("INDETERMINATE", "REVOKED_NO_POE")
    if revocation.status == "unknown":
        if _declares_revinfo(signer_cert):
            warnings.append("The revocation status of the signer's certificate could not be checked.")
        else:
            warnings.append("The signer's certificate names no revocation service (OCSP/CRL).")
    plain = _plain_subindication(verdict[1])
    if plain:
        warnings.insert(0, plain)
    signing_time = (status.signer_reported_dt if status is not None else None) or esig.self_reported_timestamp
    has_sig_ts = _has_signature_timestamp(esig)
    pades = _pades_level(ctx, esig, has_sig_ts, doc_ts_revisions)
    if pades is None:
        warnings.append("Legacy PKCS#7 signature (adbe.pkcs7.detached), not a PAdES signature.")
    return SignatureReport(
        field=fq_name,
        signer=_cert_info(signer_cert),
        chain=chain,
        signing_time=signing_time,
        timestamp=ts_info,
        integrity=integrity,
        coverage=Coverage(whole_document=whole, later_revisions=later_revisions, changes=changes),
        modification_level=mod_level.name.lower() if mod_level is not None else None,
        revocation=revocation,
        pades_level=pades,
        indication=verdict[0],
        sub_indication=verdict[1],
        warnings=tuple(dict.fromkeys(warnings)),
        reason=reason,
        location=location,
        certification=_CERTIFICATION.get(esig.docmdp_level) if _is_certification(esig) else None,  # type: ignore[arg-type]
    )


def _is_certification(esig: EmbeddedPdfSignature) -> bool:
    try:
        refs = esig.sig_object.get("/Reference", [])
        return any(r.get_object().get("/TransformMethod") == "/DocMDP" for r in refs)
    except (KeyError, AttributeError, TypeError):
        return False


def _integrity_info(esig: EmbeddedPdfSignature) -> dict[str, Any]:
    """Coverage, diff result and DocMDP verdict of pyHanko's integrity checks."""
    for attempt in range(2):
        try:
            if attempt:
                esig.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)  # type: ignore[no-untyped-call]
            info: dict[str, Any] = esig.summarise_integrity_info()
            return info
        except Exception:  # noqa: BLE001 - not computed yet, or hostile input
            continue
    return {}


def _modification_level(coverage: Any, diff: Any) -> ModificationLevel | None:
    """pyHanko's ``ModificationInfo.modification_level``, for our loose facts."""
    if diff is None:
        if coverage == SignatureCoverageLevel.ENTIRE_FILE:
            return ModificationLevel.NONE
        return None if coverage == SignatureCoverageLevel.ENTIRE_REVISION else ModificationLevel.OTHER
    if isinstance(diff, DiffResult):
        return diff.modification_level
    return ModificationLevel.OTHER


def _digest_matches(esig: EmbeddedPdfSignature) -> bool:
    try:
        for attr in esig.signer_info["signed_attrs"]:
            if attr["type"].native == "message_digest":
                return bool(attr["values"][0].native == esig.compute_digest())
    except Exception:  # noqa: BLE001
        return False
    return False


def _text(obj: Any, key: str) -> str | None:
    try:
        value = obj.get_object().get(key) if obj is not None else None
    except (AttributeError, PdfError):
        return None
    return str(value) if value is not None else None


def _broken_signature(field: str, reason: str | None, location: str | None, message: str) -> SignatureReport:
    return SignatureReport(
        field=field,
        signer=None,
        chain=(),
        signing_time=None,
        timestamp=None,
        integrity=Integrity(False, False),
        coverage=Coverage(whole_document=False, later_revisions=0, changes="other"),
        modification_level=None,
        revocation=RevocationInfo("unknown", False),
        pades_level=None,
        indication="TOTAL_FAILED",
        sub_indication="FORMAT_FAILURE",
        warnings=(_forensics.PLAIN_SUBINDICATION["FORMAT_FAILURE"], message),
        reason=reason,
        location=location,
        certification=None,
    )


def _local_knowledge(ctx: _Context) -> LocalKnowledge:
    return LocalKnowledge(
        known_ocsps=[OCSPContainer(o) for o in ctx.evidence.ocsps],
        known_crls=[CRLContainer(c) for c in ctx.evidence.crls],
        known_certs=list(ctx.evidence.certs),
    )


def _timestamp_context(ctx: _Context) -> Any:
    """A validation context for timestamp tokens that knows the DSS contents."""
    spec = ctx.spec.signature_validation_spec
    ts_spec = SignatureValidationSpec(
        cert_validation_policy=spec.cert_validation_policy,
        revinfo_gathering_policy=spec.revinfo_gathering_policy,
        local_knowledge=_local_knowledge(ctx),
    )
    handlers = bootstrap_validation_data_handlers(ts_spec, timing_info=ctx.timing)
    return spec.cert_validation_policy.build_validation_context(timing_info=ctx.timing, handlers=handlers)


async def _signature_timestamp(ctx: _Context, esig: EmbeddedPdfSignature) -> TimestampSignatureStatus | None:
    """Validate the signature timestamp on its own (when the AdES run stopped early)."""
    if not _has_signature_timestamp(esig):
        return None
    try:
        info = await generic_cms.collect_timing_info(
            esig.signer_info, _timestamp_context(ctx), raw_digest=esig.compute_digest
        )
    except Exception:  # noqa: BLE001
        return None
    ts = info.get("timestamp_validity")
    return ts if isinstance(ts, TimestampSignatureStatus) else None


def _has_signature_timestamp(esig: EmbeddedPdfSignature) -> bool:
    try:
        attrs = esig.signer_info["unsigned_attrs"]
        return any(a["type"].native == "signature_time_stamp_token" for a in attrs) if attrs else False
    except (KeyError, ValueError, TypeError):
        return False


async def _validate_doc_timestamp(ctx: _Context, esig: EmbeddedPdfSignature) -> DocumentTimestampReport:
    warnings: list[str] = []
    later = max(ctx.total_revisions - 1 - esig.signed_revision, 0)
    try:
        vc = _timestamp_context(ctx)
        st: DocumentTimestampStatus = await async_validate_pdf_timestamp(
            esig, validation_context=vc, diff_policy=ctx.spec.diff_policy
        )
    except Exception as exc:  # noqa: BLE001
        return DocumentTimestampReport(
            field=esig.field_name,
            authority=None,
            time=None,
            valid=False,
            indication="TOTAL_FAILED",
            sub_indication="FORMAT_FAILURE",
            later_revisions=later,
            changes="other",
            warnings=(f"The document timestamp could not be validated: {exc}",),
        )
    verdict: tuple[Indication, str | None]
    if not st.intact:
        verdict = ("TOTAL_FAILED", "HASH_FAILURE")
    elif not st.valid:
        verdict = ("TOTAL_FAILED", "SIG_CRYPTO_FAILURE")
    elif not st.trusted:
        indic = st.trust_problem_indic or AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND
        verdict = (_INDICATION[indic.status], str(indic.standard_name))
        warnings.append("The timestamp authority's certificate is not trusted or could not be checked.")
    else:
        verdict = ("TOTAL_PASSED", None)
    changes = _changes(st.modification_level)
    if st.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        verdict = _worse(verdict, ("TOTAL_FAILED", "FORMAT_FAILURE"))
        changes = "other"
    if changes == "other":
        verdict = _worse(verdict, ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"))
        warnings.append("The document was changed after this timestamp in a way that is not allowed.")
    return DocumentTimestampReport(
        field=esig.field_name,
        authority=_common_name(st.signing_cert.subject),
        time=st.timestamp,
        valid=bool(st.intact and st.valid and st.trusted),
        indication=verdict[0],
        sub_indication=verdict[1],
        later_revisions=later,
        changes=changes,
        warnings=tuple(warnings),
    )


def _build_spec(trust: TrustSettings, anchors: Sequence[asn1_x509.Certificate]) -> PdfSignatureValidationSpec:
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=list(anchors)),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy.from_legacy(trust.revocation_mode)),
    )
    gathering = RevocationInfoGatheringSpec(
        online_fetching_rule=(
            RevinfoOnlineFetchingRule.NO_HISTORICAL_FETCH
            if trust.allow_fetching
            else RevinfoOnlineFetchingRule.LOCAL_ONLY
        ),
        fetcher_backend=(
            RequestsFetcherBackend(per_request_timeout=trust.fetch_timeout_seconds) if trust.allow_fetching else None
        ),
        certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
    )
    return PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=gathering,
            key_usage_settings=KeyUsageConstraints(
                key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
            ),
        ),
        diff_policy=DEFAULT_DIFF_POLICY,
    )


def _trust_summary(trust: TrustSettings, anchors: Sequence[x509.Certificate], given: bool) -> TrustSummary:
    return TrustSummary(
        anchors=tuple(a.subject.rfc4514_string({x509.NameOID.EMAIL_ADDRESS: "emailAddress"}) for a in anchors),
        revocation_mode=trust.revocation_mode,
        allow_fetching=trust.allow_fetching,
        validation_time_given=given,
    )


async def _validate_all(ctx: _Context) -> tuple[list[SignatureReport], list[DocumentTimestampReport]]:
    sig_fields: list[tuple[str, generic.DictionaryObject]] = []
    ts_sigs: list[EmbeddedPdfSignature] = []
    for fq_name, sig_obj, field_ref in enumerate_sig_fields(ctx.reader, filled_status=True):
        field_dict = field_ref.get_object() if isinstance(field_ref, generic.IndirectObject) else field_ref  # type: ignore[no-untyped-call]
        try:
            kind = sig_obj.get_object().get("/Type")
        except (AttributeError, PdfError):
            kind = None
        if kind == "/DocTimeStamp":
            try:
                ts_sigs.append(EmbeddedPdfSignature(ctx.reader, field_dict, fq_name))
            except Exception:  # noqa: BLE001 - reported as a broken signature below
                sig_fields.append((fq_name, field_dict))
        else:
            sig_fields.append((fq_name, field_dict))
    ts_sigs.sort(key=lambda e: e.signed_revision)
    ts_revisions = [e.signed_revision for e in ts_sigs]
    signatures = [await _validate_signature(ctx, name, fd, ts_revisions) for name, fd in sig_fields]
    timestamps = [await _validate_doc_timestamp(ctx, e) for e in ts_sigs]
    return signatures, timestamps


def _open(data: bytes) -> tuple[PdfFileReader, int]:
    """Open the PDF leniently. If appended bytes make it unreadable (an
    incremental-saving attack without xref), read up to the last complete
    revision; the appended bytes are then reported by the trailing-bytes check."""
    candidates = [data]
    end = _forensics.last_revision_end(data)
    if end is not None and end < len(data):
        candidates.append(data[:end])
    error: Exception | None = None
    for candidate in candidates:
        try:
            reader = PdfFileReader(io.BytesIO(candidate), strict=False)
            if reader.encrypted:
                result = reader.decrypt("")
                if not result or result.status == AuthStatus.FAILED:
                    raise ValidationError("the PDF is encrypted with a password")
            return reader, reader.xrefs.total_revisions
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001
            error = error or exc
    raise ValidationError(f"not a readable PDF: {error}")


@outside_event_loop
def validate_pdf(
    data: bytes,
    trust: TrustSettings,
    *,
    at: dt.datetime | None = None,
    filename: str | None = None,
) -> ValidationReport:
    """Validate every signature and document timestamp in ``data``.

    ``at`` validates as of a past (or future) moment; default
    ``trust.validation_time`` or now. Signature problems are reported, never
    raised; :class:`~signer.errors.ValidationError` means the file itself could
    not be read (not a PDF, encrypted with an unknown password, bad trust store).
    """
    when = at or trust.validation_time
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    anchors_pyca = trust.anchors()
    anchors = tuple(to_asn1_certificate(c) for c in anchors_pyca)
    reader, total_revisions = _open(data)
    timing = (
        ValidationTimingInfo(validation_time=when, best_signature_time=when, point_in_time_validation=True)
        if when is not None
        else ValidationTimingInfo.now(tz=dt.UTC)
    )
    ctx = _Context(
        data=data,
        reader=reader,
        anchors=anchors,
        spec=_build_spec(trust, anchors),
        timing=timing,
        evidence=_read_dss(reader),
        total_revisions=total_revisions,
    )
    try:
        signatures, timestamps = asyncio.run(_validate_all(ctx))
    except PdfError as exc:  # e.g. a circular form tree: nothing can be said
        raise ValidationError(f"the PDF's form structure cannot be read: {exc}") from None
    return ValidationReport(
        document=DocumentInfo(sha256=hashlib.sha256(data).hexdigest(), filename=filename),
        validated_at=timing.validation_time,
        signatures=tuple(signatures),
        document_timestamps=tuple(timestamps),
        trust=_trust_summary(trust, anchors_pyca, when is not None),
    )
