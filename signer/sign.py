"""PAdES signing of PDF documents (baseline B-B, B-T, B-LT, B-LTA).

Every signature is appended as an incremental update: the output always starts
with the exact input bytes, so earlier signatures stay valid and the original
can be recovered byte for byte.

A requested level is produced or refused (:class:`~signer.errors.SigningRefused`),
never silently downgraded:

=======  =====================================================================
level    prerequisites
=======  =====================================================================
B-B      a signing key
B-T      + a reachable timestamp authority (``tsa_url``)
B-LT     + revocation information (OCSP/CRL) for the signer's and the TSA's
           chains, fetched at signing time and stored in the DSS
B-LTA    + a document timestamp over the DSS (same TSA)
=======  =====================================================================
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, TypeAlias

from cryptography import x509
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.crypt import PdfKeyNotAvailableError
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from ._loop import outside_event_loop
from .errors import SignerError, SigningRefused
from .fonts import CJKFontFactory, find_cjk_font
from .keys import ProvidesPyHankoSigner, SigningKey, to_asn1_certificate, to_pyhanko_signer

__all__ = [
    "Appearance",
    "CertifyLevel",
    "PadesLevel",
    "RevocationFetching",
    "SignOptions",
    "sign_pdf",
]

PadesLevel: TypeAlias = Literal["B-B", "B-T", "B-LT", "B-LTA"]
CertifyLevel: TypeAlias = Literal["no_changes", "form_filling", "annotations"]

_LEVELS: tuple[str, ...] = ("B-B", "B-T", "B-LT", "B-LTA")
_MDP: dict[str, MDPPerm] = {
    "no_changes": MDPPerm.NO_CHANGES,
    "form_filling": MDPPerm.FILL_FORMS,
    "annotations": MDPPerm.ANNOTATE,
}


@dataclass(frozen=True)
class Appearance:
    """A visible signature stamp.

    Attributes:
        page: 1-based page number.
        box: ``(x1, y1, x2, y2)`` in PDF points, origin bottom-left of the page.
        image_png: PNG (transparency kept) drawn on the left of the box: a
            company seal or a scanned handwritten signature.
        signer_name: name printed in the stamp; default: the certificate's CN.
        show_time: print the signing time.
        font_path: TTF/TTC/OTF with Chinese and Latin glyphs to embed; default:
            the first of :data:`signer.fonts.CJK_FONT_CANDIDATES` installed.
    """

    page: int = 1
    box: tuple[float, float, float, float] = (360.0, 40.0, 560.0, 120.0)
    image_png: bytes | None = None
    signer_name: str | None = None
    show_time: bool = True
    font_path: str | None = None


@dataclass(frozen=True)
class RevocationFetching:
    """How revocation information is gathered at signing time (B-LT, B-LTA).

    Attributes:
        timeout_seconds: per-request timeout for OCSP/CRL/certificate fetches.
        extra_certificates: certificates that help build the signer's and the
            TSA's chains (e.g. the TSA's root). The root of the key's own chain
            is used automatically.
        known_crls: CRLs (DER) the caller already holds, e.g. the current CRL
            of its own CA: they are used (and embedded) before anything is
            fetched, so a certificate they cover needs no network.
    """

    timeout_seconds: float = 10.0
    extra_certificates: tuple[x509.Certificate, ...] = ()
    known_crls: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class SignOptions:
    """What kind of signature :func:`sign_pdf` makes.

    Attributes:
        level: PAdES baseline level; see the module docstring for prerequisites.
        reason: why the document is signed (``/Reason``), e.g. "同意 / Approved".
        location: where (``/Location``).
        field_name: signature field to create or fill; ``None`` = a new
            ``SignatureN`` field.
        appearance: visible stamp, or ``None`` for an invisible signature.
        certify: make a certification (DocMDP) signature allowing only the given
            later changes; only possible as the first signature of a document.
        tsa_url: RFC 3161 timestamp authority (required from B-T on).
        tsa_timeout_seconds: timeout of a timestamp request.
        revocation: revocation fetching settings (B-LT, B-LTA).
        contact_info: optional ``/ContactInfo``.
    """

    level: PadesLevel = "B-B"
    reason: str | None = None
    location: str | None = None
    field_name: str | None = None
    appearance: Appearance | None = None
    certify: CertifyLevel | None = None
    tsa_url: str | None = None
    tsa_timeout_seconds: float = 10.0
    revocation: RevocationFetching = field(default_factory=RevocationFetching)
    contact_info: str | None = None


def _read_input(data: bytes | BinaryIO) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    return data.read()


def _check_prerequisites(options: SignOptions) -> None:
    if options.level not in _LEVELS:
        raise SignerError(f"unknown PAdES level {options.level!r}; use one of {', '.join(_LEVELS)}")
    if options.level != "B-B" and not options.tsa_url:
        raise SigningRefused(f"{options.level} needs a timestamp authority: set PACTUM_TSA_URL")
    if options.certify is not None and options.certify not in _MDP:
        raise SignerError(f"unknown certification level {options.certify!r}")
    app = options.appearance
    if app is not None:
        x1, y1, x2, y2 = app.box
        if x2 <= x1 or y2 <= y1:
            raise SignerError("appearance box must be (x1, y1, x2, y2) with x2 > x1 and y2 > y1")
        if app.page < 1:
            raise SignerError("appearance page numbers start at 1")


def _field_name(writer: IncrementalPdfFileWriter, options: SignOptions) -> tuple[str, bool]:
    """Return the field to use and whether it already exists (empty)."""
    existing = {name: value for name, value, _ in enumerate_sig_fields(writer.prev, filled_status=None)}
    filled = {name for name, _, _ in enumerate_sig_fields(writer.prev, filled_status=True)}
    if options.field_name is not None:
        if options.field_name in filled:
            raise SigningRefused(f"signature field {options.field_name!r} is already signed")
        return options.field_name, options.field_name in existing
    n = sum(1 for value in existing.values() if not _is_doc_timestamp(value)) + 1
    while f"Signature{n}" in existing:
        n += 1
    return f"Signature{n}", False


def _is_doc_timestamp(value: object) -> bool:
    try:
        return bool(value is not None and value.get_object().get("/Type") == "/DocTimeStamp")  # type: ignore[attr-defined]
    except (AttributeError, PdfError):
        return False


def _stamp_style(key: SigningKey, app: Appearance, options: SignOptions) -> TextStampStyle:
    font = CJKFontFactory(find_cjk_font(app.font_path), font_size=9)
    name = app.signer_name or _common_name(key.certificate)
    lines = [name, "数字签名 Digitally signed"]
    if app.show_time:
        lines.append("时间 %(ts)s")
    if options.reason:
        lines.append(f"原因 {options.reason}")
    background: PdfContent | None = None
    if app.image_png is not None:
        from PIL import Image  # pillow comes with pyHanko[image-support]

        try:
            img = Image.open(io.BytesIO(app.image_png))
            img.load()
        except OSError as exc:
            raise SignerError(f"appearance image is not a readable PNG: {exc}") from None
        background = PdfImage(img)
    return TextStampStyle(
        stamp_text="\n".join(line.replace("%", "%%") if "%(ts)s" not in line else line for line in lines),
        text_box_style=TextBoxStyle(font=font, leading=11),
        timestamp_format="%Y-%m-%d %H:%M:%S %z",
        background=background,
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(2),  # type: ignore[no-untyped-call]
        ),
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MAX if background is not None else AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(4),  # type: ignore[no-untyped-call]
        ),
        border_width=1,
    )


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def _validation_context(key: SigningKey, options: SignOptions) -> ValidationContext:
    """Context used to fetch and embed revocation info (hard-fail: B-LT or nothing)."""
    chain = [key.certificate, *key.chain, *options.revocation.extra_certificates]
    roots = [to_asn1_certificate(c) for c in chain if c.subject == c.issuer]
    others = [to_asn1_certificate(c) for c in chain if c.subject != c.issuer]
    if not roots:
        raise SigningRefused(
            f"{options.level} needs the signer's root certificate to collect revocation data: "
            "include it in the key's chain or in RevocationFetching.extra_certificates"
        )
    return ValidationContext(
        trust_roots=roots,
        other_certs=others,
        crls=list(options.revocation.known_crls),
        allow_fetching=True,
        revocation_mode="hard-fail",
        fetcher_backend=RequestsFetcherBackend(per_request_timeout=options.revocation.timeout_seconds),
    )


@outside_event_loop
def sign_pdf(
    input: bytes | BinaryIO,  # noqa: A002 - name fixed by the public API
    key: SigningKey | ProvidesPyHankoSigner,
    options: SignOptions = SignOptions(),
) -> bytes:
    """Sign a PDF and return the signed document (input bytes + incremental update).

    Raises:
        SigningRefused: a prerequisite of ``options.level`` is missing (no TSA,
            TSA unreachable, revocation data unavailable, the document forbids
            further signatures, ...). The message says why.
        SignerError: the input is not a signable PDF or an option is invalid.
        KeyUnavailable: the key cannot be used.
    """
    _check_prerequisites(options)
    data = _read_input(input)
    writer = _open_writer(data)
    field_name, field_exists = _field_name(writer, options)
    _check_certification_allowed(writer, options)
    signer = to_pyhanko_signer(key)
    meta = _signature_metadata(key, options, field_name)
    timestamper = _timestamper(options)
    field_spec, stamp_style = _field_and_stamp(writer, key, options, field_name, field_exists)
    pdf_signer = PdfSigner(meta, signer, timestamper=timestamper, stamp_style=stamp_style, new_field_spec=field_spec)
    result = _sign_or_refuse(pdf_signer, writer, options)
    if not result.startswith(data):  # cheap insurance: the original is never rewritten
        raise SignerError("internal error: signing did not produce an incremental update")
    return result


def _open_writer(data: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer on ``data``; encrypted PDFs are refused."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError) as exc:
        raise SignerError(f"not a readable PDF: {exc}") from None
    if writer.prev.encrypted:
        raise SigningRefused("encrypted PDFs cannot be signed here: remove the password first")
    return writer


def _check_certification_allowed(writer: IncrementalPdfFileWriter, options: SignOptions) -> None:
    if options.certify is None:
        return
    has_signatures = any(True for _ in enumerate_sig_fields(writer.prev, filled_status=True))
    if has_signatures:
        raise SigningRefused("a certification signature must be the first signature of a document")


def _embeds_revocation_info(options: SignOptions) -> bool:
    return options.level in ("B-LT", "B-LTA")


def _signature_metadata(
    key: SigningKey | ProvidesPyHankoSigner, options: SignOptions, field_name: str
) -> PdfSignatureMetadata:
    cert = key.certificate if isinstance(key, SigningKey) else None
    return PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        reason=options.reason,
        location=options.location,
        contact_info=options.contact_info,
        name=(options.appearance.signer_name if options.appearance else None)
        or (_common_name(cert) if cert is not None else None),
        subfilter=SigSeedSubFilter.PADES,
        certify=options.certify is not None,
        docmdp_permissions=_MDP[options.certify] if options.certify else MDPPerm.FILL_FORMS,
        embed_validation_info=_embeds_revocation_info(options),
        use_pades_lta=options.level == "B-LTA",
        validation_context=(
            _validation_context(key, options)
            if _embeds_revocation_info(options) and isinstance(key, SigningKey)
            else None
        ),
    )


def _timestamper(options: SignOptions) -> RequestsHTTPTimeStamper | None:
    if options.level == "B-B" or not options.tsa_url:
        return None
    return RequestsHTTPTimeStamper(  # type: ignore[no-untyped-call]
        options.tsa_url, timeout=options.tsa_timeout_seconds
    )


def _field_and_stamp(
    writer: IncrementalPdfFileWriter,
    key: SigningKey | ProvidesPyHankoSigner,
    options: SignOptions,
    field_name: str,
    field_exists: bool,
) -> tuple[SigFieldSpec | None, TextStampStyle | None]:
    """The new field to create (None: fill the existing one) and the visible stamp, if any."""
    app = options.appearance
    if app is None:
        return (None if field_exists else SigFieldSpec(field_name)), None  # invisible: zero-size widget
    if not isinstance(key, SigningKey):
        raise SignerError("visible stamps need a key that exposes its certificate")
    if app.page > writer.prev.root["/Pages"]["/Count"]:
        raise SignerError(f"page {app.page} does not exist in this document")
    stamp_style = _stamp_style(key, app, options)
    if field_exists:
        return None, stamp_style
    x1, y1, x2, y2 = (int(round(v)) for v in app.box)
    return SigFieldSpec(field_name, on_page=app.page - 1, box=(x1, y1, x2, y2)), stamp_style


def _sign_or_refuse(pdf_signer: PdfSigner, writer: IncrementalPdfFileWriter, options: SignOptions) -> bytes:
    """Run pyHanko's signer; its failures become SigningRefused/SignerError that say why."""
    level = options.level
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out)
    except TimestampRequestError as exc:
        raise SigningRefused(
            f"{level} needs a timestamp, but the timestamp authority at {options.tsa_url} failed: {exc}"
        ) from None
    except (PathBuildingError, PathValidationError, ValidationError) as exc:
        raise SigningRefused(
            f"{level} needs revocation information for the certificates, but it could not "
            f"be obtained or the certificate is not valid: {exc}"
        ) from None
    except SigningError as exc:
        raise _refusal_for(exc, options) from None
    except PdfKeyNotAvailableError:
        raise SigningRefused("encrypted PDFs cannot be signed here") from None
    except PdfError as exc:
        raise SignerError(f"cannot sign this PDF: {exc}") from None
    return out.getvalue()


def _refusal_for(exc: SigningError, options: SignOptions) -> SigningRefused:
    cause = f": {exc.__cause__}" if exc.__cause__ else ""
    if _embeds_revocation_info(options) and "could not be validated" in str(exc):
        return SigningRefused(
            f"{options.level} needs revocation information for the signer's certificate, but the "
            f"certificate could not be validated with it{cause}"
        )
    return SigningRefused(f"pyHanko refused to sign: {exc}{cause}")
