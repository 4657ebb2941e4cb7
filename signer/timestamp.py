"""RFC 3161 timestamps of a digest: asking a timestamp authority for a token, and checking a
token later (its message imprint, the authority's signature over it, and whether the
authority's certificate chains to a trust anchor).

The digest is timestamped as it is (algorithm SHA-256): whoever holds the data it is the
SHA-256 of can show that the data existed at the token's time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from asn1crypto import cms, tsp
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext

from ._loop import outside_event_loop
from .errors import SignerError
from .keys import to_asn1_certificate
from .validate import TrustSettings

__all__ = ["TimestampCheck", "check_timestamp", "request_timestamp"]

DIGEST_ALGORITHM = "sha256"
DIGEST_SIZE = 32


@dataclass(frozen=True)
class TimestampCheck:
    """What a timestamp token proves about the digest it is checked against.

    Attributes:
        time: the time the authority put in the token (UTC), if it could be read.
        authority: the common name (or subject) of the authority's certificate.
        imprint_matches: the token is over exactly the expected digest.
        signature_valid: the authority's signature over the token verifies.
        trusted: the authority's certificate chains to a trust anchor (and has the
            time-stamping extended key usage).
        problem: why the token proves nothing, for a person; ``None`` when it does.
    """

    time: dt.datetime | None
    authority: str | None
    imprint_matches: bool
    signature_valid: bool
    trusted: bool
    problem: str | None

    @property
    def ok(self) -> bool:
        """The token is a valid timestamp of the digest (trust is reported separately)."""
        return self.problem is None


def _check_digest(digest: bytes) -> None:
    if len(digest) != DIGEST_SIZE:
        raise SignerError(f"a SHA-256 digest has {DIGEST_SIZE} bytes, not {len(digest)}")


@outside_event_loop
def request_timestamp(digest: bytes, tsa_url: str, *, timeout_seconds: float = 10.0) -> bytes:
    """Ask the authority at ``tsa_url`` to timestamp the SHA-256 ``digest``; the token as DER.

    Raises :class:`SignerError` naming the authority when it cannot be reached or refuses.
    """
    _check_digest(digest)
    stamper = RequestsHTTPTimeStamper(tsa_url, timeout=timeout_seconds)  # type: ignore[no-untyped-call]
    try:
        token: cms.ContentInfo = asyncio.run(stamper.async_timestamp(digest, DIGEST_ALGORITHM))
    except (TimestampRequestError, OSError) as exc:
        raise SignerError(f"the timestamp authority at {tsa_url} failed: {exc}") from None
    return bytes(token.dump())


def _signed_data(token: bytes) -> tuple[cms.SignedData, tsp.TSTInfo]:
    content_info = cms.ContentInfo.load(token)
    if content_info["content_type"].native != "signed_data":
        raise ValueError("not CMS signed data")
    signed_data = content_info["content"]
    tst_info = signed_data["encap_content_info"]["content"].parsed
    if not isinstance(tst_info, tsp.TSTInfo):
        raise ValueError("the signed data does not hold a TSTInfo")
    return signed_data, tst_info


def _validation_context(trust: TrustSettings | None) -> ValidationContext:
    anchors = [to_asn1_certificate(cert) for cert in trust.anchors()] if trust is not None else []
    return ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail")


def _authority(status: dict[str, object], tst_info: tsp.TSTInfo) -> str | None:
    cert = status.get("signing_cert")
    subject = getattr(cert, "subject", None)
    if subject is not None:
        return str(subject.native.get("common_name") or subject.human_friendly)
    tsa = tst_info["tsa"]
    return None if tsa.native is None else str(tsa.chosen.native)


def _trusted(status: dict[str, object]) -> bool:
    """What pyHanko's ``SignatureStatus.trusted`` says, from the validation's keyword arguments."""
    return (
        bool(status.get("valid"))
        and status.get("validation_path") is not None
        and status.get("trust_problem_indic") is None
    )


@outside_event_loop
def check_timestamp(token: bytes, digest: bytes, trust: TrustSettings | None = None) -> TimestampCheck:
    """Check that ``token`` timestamps the SHA-256 ``digest`` and that its signature verifies.

    Never raises for a bad token: the answer's ``problem`` says what is wrong with it.
    """
    _check_digest(digest)
    try:
        signed_data, tst_info = _signed_data(token)
    except (ValueError, TypeError, KeyError) as exc:
        return TimestampCheck(None, None, False, False, False, f"not an RFC 3161 timestamp token ({exc})")
    imprint = tst_info["message_imprint"]
    token_imprint: bytes = imprint["hashed_message"].native
    imprint_matches = imprint["hash_algorithm"]["algorithm"].native == DIGEST_ALGORITHM and token_imprint == digest
    time: dt.datetime | None = tst_info["gen_time"].native
    try:
        # The imprint is compared above; here only the signature (and the trust in its signer).
        status = asyncio.run(
            validate_tst_signed_data(signed_data, _validation_context(trust), lambda _algorithm: token_imprint)
        )
    except SignatureValidationError as exc:
        return TimestampCheck(
            time, None, imprint_matches, False, False, f"the token's signature cannot be checked: {exc.failure_message}"
        )
    signature_valid = bool(status.get("valid")) and bool(status.get("intact"))
    problem = None
    if not imprint_matches:
        problem = "the token timestamps a different digest"
    elif not signature_valid:
        problem = "the timestamp authority's signature over the token does not verify"
    return TimestampCheck(
        time=time,
        authority=_authority(status, tst_info),
        imprint_matches=imprint_matches,
        signature_valid=signature_valid,
        trusted=_trusted(status),
        problem=problem,
    )
