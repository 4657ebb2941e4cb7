"""Signing contracts and validating signatures. The bytes of a version are never changed:
signing produces a new version (an incremental update of the old bytes) linked to it."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar, get_args

from cryptography.hazmat.primitives.serialization import Encoding
from flask_babel import gettext as _
from sqlalchemy import func, select

from signer import (
    Appearance,
    CertifyLevel,
    PadesLevel,
    RevocationFetching,
    SignerError,
    SigningRefused,
    SignOptions,
    ValidationError,
    render_report_pdf,
    sign_pdf,
    validate_pdf,
)
from signer.report import ValidationReport, explanations
from signer.report_pdf import Language

from ..auth import authenticator
from ..auth.models import User
from ..auth.roles import Permission
from ..auth.services import password_matches
from ..contracts import access
from ..contracts.models import Contract, ContractVersion
from ..contracts.services import discard_on_rollback, next_version_number
from ..contracts.status import VersionStatus
from ..core import clock, registry, results, signals, uow
from ..core.audit import record
from ..core.audit.models import AuditEvent
from ..core.bodies import MAX_ID, is_id
from ..core.errors import Forbidden, NotFound, PactumError, PayloadTooLarge, TooManyRequests, ValidationFailed
from ..core.extensions import blob_store, db, settings
from ..core.fonts import configured_font_path
from . import keys, revocation, turns
from .models import Seal, SignatureValidation, SigningRequest, SigningRequestSigner, SigningRequestStatus
from .turns import open_requests
from .validation import bytes_of, validate_version, worst_indication

PDF = "application/pdf"
LEVELS: tuple[PadesLevel, ...] = get_args(PadesLevel)
CERTIFY: tuple[CertifyLevel, ...] = get_args(CertifyLevel)


class SigningFailed(PactumError):
    status = 422
    code = "signing_refused"


class ReauthenticationFailed(PactumError):
    status = 403
    code = "reauthentication_failed"


@dataclass(frozen=True)
class SignRequest:
    level: PadesLevel = "B-B"
    reason: str | None = None
    location: str | None = None
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    seal_id: int | None = None
    certify: CertifyLevel | None = None
    password: str = ""
    #: A code from the signer's authenticator app, instead of the password.
    otp: str = ""


def parse_sign_request(body: Any) -> SignRequest:
    """The JSON body of POST …/sign, checked field by field."""
    if not isinstance(body, dict):
        raise ValidationFailed(_("Send the signing options as a JSON object."))
    level = _one_of(body.get("level", "B-B"), LEVELS)
    if level is None:
        raise ValidationFailed(_("level must be one of: %(levels)s", levels=", ".join(LEVELS)))
    certify = _one_of(body.get("certify"), CERTIFY)
    if certify is None and body.get("certify"):
        raise ValidationFailed(_("certify must be false or one of: %(names)s", names=", ".join(CERTIFY)))
    appearance = body.get("appearance")
    page = box = seal_id = None
    if appearance:
        try:
            page = int(appearance.get("page", 1))
            x1, y1, x2, y2 = (float(value) for value in appearance["box"])
            seal_id = int(appearance["image_id"]) if appearance.get("image_id") else None
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValidationFailed(_("appearance needs page and box: [x1, y1, x2, y2] in PDF points.")) from None
        if seal_id is not None and not is_id(seal_id):
            raise NotFound(_("No such seal image."))
        if not 1 <= page <= MAX_ID or x2 - x1 < 20 or y2 - y1 < 10:
            raise ValidationFailed(_("The signature box is too small or the page number is wrong."))
        box = (x1, y1, x2, y2)
    return SignRequest(
        level=level,
        reason=_text(body, "reason"),
        location=_text(body, "location"),
        page=page,
        box=box,
        seal_id=seal_id,
        certify=certify,
        password=str(body.get("password") or ""),
        otp=str(body.get("otp") or ""),
    )


Choice = TypeVar("Choice", bound=str)


def _one_of(value: object, choices: tuple[Choice, ...]) -> Choice | None:
    """The one of ``choices`` that ``value`` equals, or None."""
    return next((choice for choice in choices if choice == value), None)


def _text(body: dict[str, Any], name: str) -> str | None:
    value = str(body.get(name) or "").strip()[:200]
    return value or None


def _seal_png(user: User, seal_id: int | None) -> bytes | None:
    if seal_id is None:
        return None
    seal = db.session.get(Seal, seal_id)
    if seal is None or seal.owner_id != user.id:
        raise NotFound(_("No such seal image."))
    with blob_store().open(seal.blob_key) as stream:
        return stream.read()


def _reauthenticated(user: User, request: SignRequest) -> bool:
    """The signer proves it is them: their password, or a fresh code of their authenticator app."""
    if request.password and password_matches(user, request.password):
        return True
    return bool(request.otp) and authenticator.accepts_code(user, request.otp)


def _refuse_while_guessing(user: User) -> None:
    """After as many wrong passwords or codes as a log-in may fail, within the same window, no
    more tries: a six-digit code must not be guessable by trying them all."""
    since = clock.now() - timedelta(minutes=settings().login_window_minutes)
    failures = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "contract.sign_refused", AuditEvent.actor_id == user.id, AuditEvent.at >= since
        )
    )
    if (failures or 0) >= settings().login_max_failures:
        raise TooManyRequests(
            _(
                "Too many wrong passwords or codes. Wait %(minutes)d minutes and try again.",
                minutes=settings().login_window_minutes,
            )
        )


def sign_contract(user: User, contract: Contract, request: SignRequest) -> ContractVersion:
    """Sign the latest version as ``user``; the result is a new version."""
    if not access.may(user, contract, Permission.CONTRACT_SIGN):
        raise Forbidden(_("You may not sign this contract."))
    _refuse_while_guessing(user)
    if not _reauthenticated(user, request):
        record("contract.sign_refused", actor=user, contract_id=contract.id, reason="reauthentication")
        uow.keep_on_error()  # the refusal counts towards the throttle
        raise ReauthenticationFailed(_("Enter your password again, or a code from your authenticator app, to sign."))
    source = contract.latest_version
    if source is None:
        raise ValidationFailed(_("Only PDF versions can be signed. Upload the PDF to sign."))
    unsigned = signable_pdf(source)
    for guard in registry.items(SIGNING_GUARDS):
        guard(contract, source)
    appearance = None
    if request.box is not None:
        appearance = Appearance(
            page=request.page or 1,
            box=request.box,
            image_png=_seal_png(user, request.seal_id),
            signer_name=user.display_name,
            font_path=configured_font_path(),
        )
    trust = revocation.trust_settings()
    options = SignOptions(
        level=request.level,
        reason=request.reason,
        location=request.location,
        appearance=appearance,
        certify=request.certify,
        tsa_url=settings().tsa_url or None,
        # B-LT/B-LTA gather revocation data for the TSA's chain too: its root comes from the
        # configured trust store. The internal CA's CRL comes from the database, not the network.
        revocation=RevocationFetching(extra_certificates=tuple(trust.anchors()), known_crls=trust.known_crls),
    )
    try:
        key = keys.user_key(user.email, user.display_name)
        signed = sign_pdf(unsigned, key, options)
    except SigningRefused as refused:
        raise SigningFailed(str(refused)) from None
    except SignerError as error:
        raise SigningFailed(_("Signing failed: %(reason)s", reason=str(error))) from None
    return _store_signed(user, contract, source, signed, request)


def signable_pdf(version: ContractVersion) -> bytes:
    """The PDF that signing a version signs: the version itself, or for a Word, ODT, RTF or DOC
    version (a drafted contract, say) its PDF rendition, the pages its preview shows."""
    if version.media_type == PDF:
        return bytes_of(version)
    rendition = getattr(version, "rendition", None)
    if rendition is None or rendition.status != "ready" or not rendition.blob_key:
        raise ValidationFailed(
            _("This version can be signed once its PDF is ready (see its preview), or upload the PDF to sign it.")
        )
    with blob_store().open(rendition.blob_key) as stream:
        return stream.read()


SigningGuard = Callable[[Contract, ContractVersion], None]
#: Checks that may veto signing a version, e.g. "the approval workflow has not approved it".
#: Each takes (contract, version) and raises a PactumError to refuse; features add theirs in
#: ``init_app``.
SIGNING_GUARDS: registry.Key[SigningGuard] = registry.Key("signing.guards")


def _store_signed(
    user: User, contract: Contract, source: ContractVersion, signed: bytes, request: SignRequest
) -> ContractVersion:
    blob = blob_store().save(io.BytesIO(signed), PDF)
    discard_on_rollback(blob)
    version = ContractVersion(
        number=next_version_number(contract),
        blob_key=blob.key,
        sha256=blob.sha256,
        size=blob.size,
        media_type=PDF,
        original_filename=_pdf_name(source.original_filename),
        uploaded_by_id=user.id,
        origin="signed",
        source_version_id=source.id,
        status=VersionStatus.PROCESSING,
    )
    contract.versions.append(version)
    contract.updated_at = clock.now()
    db.session.flush()
    record(
        "contract.sign",
        actor=user,
        contract_id=contract.id,
        version_id=version.id,
        level=request.level,
        visible=request.box is not None,
        certify=request.certify,
        signed_from=source.number,
        sha256=blob.sha256,
    )
    advanced = _advance_requests(user, contract, version)
    validate_version(version)
    signals.send(signals.signed, contract=contract, version=version, user=user, requests=advanced)
    turns.signature_added(user, contract, advanced)
    return version


def _pdf_name(filename: str) -> str:
    """The signed file's name: a Word version's name with ``.pdf`` (it is its PDF now)."""
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.pdf" if dot and suffix.lower() != "pdf" else filename


def _advance_requests(user: User, contract: Contract, version: ContractVersion) -> list[SigningRequest]:
    """Mark the user's turn in an open signing request done; complete the request at the end.
    Returns the requests whose turn this signature was."""
    advanced = []
    for signing_request in open_requests(contract):
        current = signing_request.current_signer
        if current is not None and current.user_id == user.id:
            current.signed_at = clock.now()
            current.signed_version_id = version.id
            advanced.append(signing_request)
            if signing_request.current_signer is None:
                signing_request.status = SigningRequestStatus.COMPLETED
                signing_request.completed_at = clock.now()
                record("signing_request.complete", actor=user, contract_id=contract.id, request_id=signing_request.id)
    return advanced


def report_for(user: User, contract: Contract, version: ContractVersion, *, refresh: bool = False) -> dict[str, Any]:
    """The signature report of a version (validated now if never, or if asked); audited."""
    row = db.session.get(SignatureValidation, version.id)
    if row is None or refresh:
        row = validate_version(version)
    record("signature.report", actor=user, contract_id=contract.id, version_id=version.id, refreshed=refresh)
    if row is None:
        return {
            "document": {"sha256": version.sha256, "filename": version.original_filename},
            "validated_at": None,
            "signatures": [],
        }
    return row.report


#: The largest outside PDF whose signatures are checked (the upload limit when that is smaller).
VALIDATE_MAX_MB = 50


def validate_max_bytes() -> int:
    return min(VALIDATE_MAX_MB * 1024 * 1024, settings().max_upload_bytes)


def read_limited(stream: Any) -> bytes:
    """The uploaded bytes, refused with 413 beyond :func:`validate_max_bytes`."""
    limit = validate_max_bytes()
    data: bytes = stream.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    return data


def validate_outside(user: User, data: bytes, filename: str) -> ValidationReport:
    """Validate any PDF without storing it; audited (``signature.validate_upload``)."""
    if len(data) > validate_max_bytes():
        raise PayloadTooLarge(_("The file is larger than %(mb)d MB.", mb=validate_max_bytes() // (1024 * 1024)))
    if not data.startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ValidationFailed(_("Only PDF files carry PAdES signatures."))
    try:
        result = validate_pdf(data, revocation.trust_settings(), filename=filename)
    except ValidationError as error:
        raise ValidationFailed(_("The PDF cannot be validated: %(reason)s", reason=str(error))) from None
    report = result.to_dict()
    record(
        "signature.validate_upload",
        actor=user,
        filename=filename,
        signatures=len(report.get("signatures", [])),
        overall=worst_indication(report),
    )
    return result


def validate_upload(user: User, data: bytes, filename: str) -> dict[str, Any]:
    """Validate any PDF without storing it: the report as JSON."""
    return validate_outside(user, data, filename).to_dict()


def outside_report_pdf(report: ValidationReport, language: str) -> bytes:
    """The signed PDF report of an outside file's validation."""
    report_language: Language = "zh" if language.startswith("zh") else "en"
    return render_report_pdf(report, report_language, keys.organisation_key(), font_path=configured_font_path())


def with_explanations(report: dict[str, Any]) -> dict[str, Any]:
    """A stored report with each signature's plain-words ``explanation`` (reports kept from
    before it existed get it computed from their indication)."""
    shown = dict(report)
    shown["signatures"] = [
        sig
        if "explanation" in sig
        else {
            **sig,
            "explanation": explanations(
                str(sig.get("indication")), sig.get("sub_indication"), (sig.get("revocation") or {}).get("status")
            ),
        }
        for sig in report.get("signatures", [])
    ]
    return shown


#: The job that validates a version and writes its signature report PDF.
REPORT_PDF_JOB = "signing.report_pdf"
#: Changed whenever the report PDF's content changes, so reports kept from before are not served.
REPORT_PDF_FORMAT = "1"


def _report_language(language: str) -> Language:
    return "zh" if language.startswith("zh") else "en"


def _may_read_report(user: User, row: results.CachedResult) -> bool:
    return access.may_read_result(user, row)


REPORT_PDF_KIND = results.ResultKind(
    name="signature-report",
    job=REPORT_PDF_JOB,
    may_read=_may_read_report,
    working=lambda: _("Validating the signatures and writing the report"),
    ready=lambda: _("The signature report is ready."),
    failed=lambda: _("The signature report could not be made"),
    filename=lambda row: f"signature-report-{row.contract_id}.pdf",
)


def _trust_inputs() -> list[str]:
    """What a validation's outcome depends on besides the document: the trust anchors, the
    revocation data the app holds (the internal CA's current CRL), the revocation policy and
    the organisation key that signs the report. The day is one too: certificates expire and
    fetched revocation data changes, so a report is made again at most once a day."""
    trust = revocation.trust_settings()
    anchors = sorted(hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest() for cert in trust.anchors())
    crls = [hashlib.sha256(der).hexdigest() for der in trust.known_crls]
    config = settings()
    return [
        ",".join(anchors),
        ",".join(crls),
        f"{trust.revocation_mode}:{trust.allow_fetching}",
        f"{config.org_signing_p12}:{config.org_name}:{config.cjk_font}",
        f"{clock.now():%Y-%m-%d}",
    ]


def report_pdf_key(version: ContractVersion, language: str) -> str:
    """The key of a version's report PDF: its bytes' hash, the trust and the language."""
    inputs = [REPORT_PDF_FORMAT, version.sha256, _report_language(language), *_trust_inputs()]
    return results.result_key(REPORT_PDF_KIND.name, inputs)


def request_report_pdf(user: User, contract: Contract, version: ContractVersion, language: str) -> results.CachedResult:
    """The version's signature report PDF as kept, or the job making it (audited either way)."""
    if version.media_type != PDF:
        raise ValidationError(f"version {version.number} is a {version.media_type} file, not a PDF")
    record(
        "signature.report", actor=user, contract_id=contract.id, version_id=version.id, format="pdf", language=language
    )
    key = report_pdf_key(version, language)
    return results.request(key, REPORT_PDF_KIND, (version.id, _report_language(language)), contract.id)


def make_report_pdf(key: str, version_id: int, language: Language) -> None:
    """The job: validate the version and write its signed report under ``key``."""

    def make() -> tuple[bytes, str]:
        version = db.session.get(ContractVersion, version_id)
        if version is None:
            raise NotFound(_("The version is gone."))
        report = validate_pdf(bytes_of(version), revocation.trust_settings(), filename=version.original_filename)
        pdf = render_report_pdf(report, language, keys.organisation_key(), font_path=configured_font_path())
        return pdf, PDF

    results.produce(key, make)


# --- signing requests ------------------------------------------------------------------------


def requests_of(contract: Contract) -> list[SigningRequest]:
    return list(
        db.session.scalars(
            select(SigningRequest)
            .where(SigningRequest.contract_id == contract.id)
            .order_by(SigningRequest.created_at.desc())
        )
    )


def create_request(
    user: User, contract: Contract, signer_emails: list[str], level: str, message: str | None
) -> SigningRequest:
    if level not in LEVELS:
        raise ValidationFailed(_("level must be one of: %(levels)s", levels=", ".join(LEVELS)))
    if not signer_emails:
        raise ValidationFailed(_("Name at least one signer."))
    if open_requests(contract):
        raise ValidationFailed(_("This contract has an open signing request already."))
    signing_request = SigningRequest(contract_id=contract.id, created_by_id=user.id, level=level, message=message)
    for position, email in enumerate(signer_emails):
        signer = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if signer is None or not access.may(signer, contract, Permission.CONTRACT_SIGN):
            raise ValidationFailed(
                _("%(email)s cannot sign this contract (unknown user, or no right to sign it).", email=email)
            )
        signing_request.signers.append(SigningRequestSigner(position=position, user_id=signer.id))
    db.session.add(signing_request)
    db.session.flush()
    record(
        "signing_request.create",
        actor=user,
        contract_id=contract.id,
        request_id=signing_request.id,
        signers=[email.strip().lower() for email in signer_emails],
        level=level,
    )
    turns.request_created(user, signing_request)
    return signing_request


def cancel_request(user: User, signing_request: SigningRequest) -> None:
    if signing_request.status != SigningRequestStatus.OPEN:
        return
    signing_request.status = SigningRequestStatus.CANCELLED
    record("signing_request.cancel", actor=user, contract_id=signing_request.contract_id, request_id=signing_request.id)


def request_to_dict(signing_request: SigningRequest) -> dict[str, Any]:
    current = signing_request.current_signer
    return {
        "id": signing_request.id,
        "contract_id": signing_request.contract_id,
        "level": signing_request.level,
        "status": signing_request.status,
        "message": signing_request.message,
        "signers": [
            {
                "email": s.user.email,
                "position": s.position,
                "signed_at": s.signed_at and s.signed_at.isoformat() + "Z",
                "current": s is current,
            }
            for s in signing_request.signers
        ],
    }


def save_seal(user: User, data: bytes, name: str) -> Seal:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationFailed(_("A seal image must be a PNG (transparent background recommended)."))
    if len(data) > 2 * 1024 * 1024:
        raise ValidationFailed(_("A seal image may be 2 MB at most."))
    blob = blob_store().save(io.BytesIO(data), "image/png")
    seal = Seal(owner_id=user.id, name=(name or "seal").strip()[:120], blob_key=blob.key)
    db.session.add(seal)
    db.session.flush()
    record("seal.create", actor=user, seal_id=seal.id, sha256=blob.sha256)

    return seal


def seals_of(user: User) -> list[Seal]:
    return list(db.session.scalars(select(Seal).where(Seal.owner_id == user.id).order_by(Seal.created_at)))
