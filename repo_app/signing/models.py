from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model


class SignatureValidation(Model):
    """The latest validation report of a version's signatures (the auditor's report as JSON)."""

    __tablename__ = "signature_validations"

    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), primary_key=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Number of signatures and the worst indication among them, for lists and badges.
    signature_count: Mapped[int] = mapped_column(default=0)
    overall: Mapped[str | None] = mapped_column(String(20))
    validated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Seal(Model):
    """A seal (公章) or handwritten-signature image (PNG) a user may stamp visible signatures with."""

    __tablename__ = "seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    blob_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SigningRequestStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class SigningRequest(Model):
    """Signers named in order; each signs the version the previous one produced."""

    __tablename__ = "signing_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    level: Mapped[str] = mapped_column(String(8), default="B-B")
    message: Mapped[str | None] = mapped_column(Text)
    #: SigningRequestStatus: open, completed or cancelled
    status: Mapped[str] = mapped_column(String(12), default=SigningRequestStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    completed_at: Mapped[datetime | None]

    signers: Mapped[list[SigningRequestSigner]] = relationship(
        lazy="selectin", order_by="SigningRequestSigner.position", cascade="all, delete-orphan"
    )
    contract = relationship("Contract", lazy="joined")

    @property
    def current_signer(self) -> SigningRequestSigner | None:
        if self.status != SigningRequestStatus.OPEN:
            return None
        return next((signer for signer in self.signers if signer.signed_at is None), None)


class SigningRequestSigner(Model):
    __tablename__ = "signing_request_signers"
    __table_args__ = (UniqueConstraint("request_id", "position", name="uq_signing_request_signers_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("signing_requests.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    signed_at: Mapped[datetime | None]
    signed_version_id: Mapped[int | None] = mapped_column(ForeignKey("contract_versions.id"))

    user = relationship("User", lazy="joined")


class CertificateRevocation(Model):
    """A certificate of the internal CA that is revoked; every CRL from then on lists it."""

    __tablename__ = "ca_revocations"

    #: The serial number in hexadecimal: serials have up to 159 bits, more than any integer column.
    serial: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    #: An RFC 5280 reason, as ``cryptography``'s ReasonFlags names it (``key_compromise``, ...).
    reason: Mapped[str] = mapped_column(String(32))
    #: System time (not the app's clock): validators compare it with real signing times.
    revoked_at: Mapped[datetime]


class PublishedCRL(Model):
    """A CRL the internal CA published; the one with the highest number is current."""

    __tablename__ = "ca_crls"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    this_update: Mapped[datetime]
    next_update: Mapped[datetime]
