"""The ETSI EN 319 102-1 validation process, run by pyHanko, and its verdict.

pyHanko reports *why* a chain failed only through its log; the reasons are
collected (per validation, via a context variable) to explain verdicts and to
tell "no revocation data" (TRY_LATER) from other chain failures.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeAlias

from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.ades import (
    AdESBasicValidationResult,
    ades_basic_validation,
    ades_lta_validation,
)
from pyhanko.sign.validation.policy_decl import SignatureValidationSpec

from .context import DocumentContext
from .revocation import local_knowledge
from .timestamps import has_signature_timestamp
from .verdict import FORMAT_FAILURE, Findings, Verdict, verdict_of

__all__ = ["AdESResult", "check_ades"]

AdESResult: TypeAlias = "AdESBasicValidationResult[Any]"

_DETAILS: ContextVar[list[str] | None] = ContextVar("pactum_signer_details", default=None)
_CERT_CONTEXT = re.compile(r"^Validation error \[cert context: .*?\]: ")


class _DetailCollector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        sink = _DETAILS.get()
        if sink is not None:
            sink.append(_CERT_CONTEXT.sub("", record.getMessage()))


logging.getLogger("pyhanko.sign.validation.generic_cms").addHandler(_DetailCollector(logging.WARNING))

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


@dataclass(frozen=True)
class _AdESRun:
    """The result of the ETSI process (None if it raised, then ``error`` says why) and
    the chain-failure reasons pyHanko logged meanwhile."""

    result: AdESResult | None
    error: str | None
    details: list[str]


def _spec_with_dss(ctx: DocumentContext) -> SignatureValidationSpec:
    """The signature validation spec, knowing the revocation data of the document's DSS
    besides what the validator knew already (the known CRLs of its settings)."""
    spec = ctx.spec.signature_validation_spec
    return dataclasses.replace(spec, local_knowledge=local_knowledge(ctx.evidence, spec.local_knowledge))


async def _ades(ctx: DocumentContext, esig: EmbeddedPdfSignature, doc_ts_revisions: Sequence[int]) -> AdESResult:
    """Run the ETSI process that fits.

    A signature with a signature timestamp and a later document timestamp goes
    through the long-term (LTA) process. Otherwise the basic signature
    validation (EN 319 102-1 5.3) at the validation time decides, and the LTA
    process runs only when that result waits for a proof of existence that the
    signature timestamp may give. (pyHanko's with-time process alone is not
    usable: it reports SIG_CONSTRAINTS_FAILURE for B-B signatures and OK for
    OUT_OF_BOUNDS_NO_POE, leaving expiry to the past-validation step.)

    A B-B signature followed by a document timestamp is validated like a B-B
    one: pyHanko's LTA process starts with that with-time step and stops at its
    SIG_CONSTRAINTS_FAILURE, although the document timestamp is a proof of
    existence of the signature. The basic validation needs none when the
    signature passes at the validation time; when it waits for one (e.g. a
    certificate revoked since), its INDETERMINATE verdict stands (see
    docs/signing.md, "Long-term validation").
    """
    signature_timestamped = has_signature_timestamp(esig)
    if signature_timestamped and any(r > esig.signed_revision for r in doc_ts_revisions):
        return await ades_lta_validation(esig, ctx.spec, timing_info=ctx.timing)
    basic = await ades_basic_validation(
        esig.signed_data,
        _spec_with_dss(ctx),
        timing_info=ctx.timing,
        raw_digest=esig.compute_digest(),
    )
    # The long-term process can only change the verdicts that wait for a proof
    # of existence (EN 319 102-1 5.6.3.4), so it runs only for those.
    if basic.ades_subindic in _NEEDS_POE and signature_timestamped:
        return await ades_lta_validation(esig, ctx.spec, timing_info=ctx.timing)
    return basic


async def _basic_now(ctx: DocumentContext, esig: EmbeddedPdfSignature) -> AdESResult | None:
    """The basic signature validation at the validation time (None if it raises)."""
    try:
        return await ades_basic_validation(
            esig.signed_data, _spec_with_dss(ctx), timing_info=ctx.timing, raw_digest=esig.compute_digest()
        )
    except Exception:  # noqa: BLE001
        return None


async def _run_collecting_details(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, doc_ts_revisions: Sequence[int]
) -> _AdESRun:
    """pyHanko's integrity checks and the ETSI process, never raising."""
    details: list[str] = []
    token = _DETAILS.set(details)
    try:
        esig.compute_integrity_info(diff_policy=ctx.spec.diff_policy)  # type: ignore[no-untyped-call]
        return _AdESRun(await _ades(ctx, esig, doc_ts_revisions), None, details)
    except Exception as exc:  # noqa: BLE001 - report, never crash
        return _AdESRun(None, str(exc) or type(exc).__name__, details)
    finally:
        _DETAILS.reset(token)


def _past_validation_found_no_poe(result: AdESResult) -> bool:
    return result.ades_subindic == AdESIndeterminate.NO_POE and (result.failure_msg or "").startswith(
        "Unable to construct plausible past validation"
    )


async def _verdict(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, result: AdESResult, details: Sequence[str]
) -> Verdict:
    """pyHanko's verdict, corrected where it does not follow EN 319 102-1 or hides TRY_LATER."""
    if _past_validation_found_no_poe(result):
        # pyHanko also runs past-signature validation after a PASSED
        # current-time result, and reports NO_POE when that extra step
        # finds no proof of existence (typical for B-LT without document
        # timestamp). EN 319 102-1 5.6.3.4 keeps the current-time result
        # then. pyHanko's with-time step cannot be asked (it returns OK for
        # OUT_OF_BOUNDS_NO_POE, leaving expiry to the past validation), so
        # the basic validation at the current time decides.
        current = await _basic_now(ctx, esig)
        return verdict_of(current.ades_subindic if current is not None else result.ades_subindic)
    if result.ades_subindic == AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE and any(
        "no revocation information" in d for d in details
    ):
        return ("INDETERMINATE", "TRY_LATER")
    return verdict_of(result.ades_subindic)


async def check_ades(
    ctx: DocumentContext, esig: EmbeddedPdfSignature, doc_ts_revisions: Sequence[int], findings: Findings
) -> AdESResult | None:
    """The ETSI verdict on a signature (the first check: it sets the verdict the others may
    only make worse), with pyHanko's reasons as warnings when it did not pass.

    A process that could not run at all is a FORMAT_FAILURE.
    """
    run = await _run_collecting_details(ctx, esig, doc_ts_revisions)
    if run.result is None:
        findings.downgrade(FORMAT_FAILURE)
        findings.warn(f"The signature could not be validated: {run.error}")
        return None
    findings.downgrade(await _verdict(ctx, esig, run.result, run.details))
    if findings.verdict[0] != "TOTAL_PASSED":
        findings.warnings.extend(d for d in run.details[:3] if not d.startswith("Failed to get control time"))
    return run.result
