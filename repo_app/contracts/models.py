from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core import clock
from ..core.extensions import Model, db
from .party_names import name_key
from .status import ContractStatus, VersionStatus

#: How a contract relates to its parent.
RELATIONS = ("amendment", "supplement", "renewal", "termination", "subcontract")

contract_tags = Table(
    "contract_tags",
    db.metadata,
    Column("contract_id", ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Department(Model):
    """A unit of the organisation; departments form a tree through ``parent_id``."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))

    parent: Mapped[Department | None] = relationship(remote_side=[id], lazy="joined", join_depth=8)


class OwnName(Model):
    """A name the organisation itself goes by (Chinese, English, short forms …): the party
    on "our" side of a contract, so never suggested as a counterparty."""

    __tablename__ = "own_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class ContractType(Model):
    """The configurable list of contract types (采购, 销售, 服务 …)."""

    __tablename__ = "contract_types"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    #: Contracts of this type are kept this many years after they expire (None: no rule).
    retention_years: Mapped[int | None]

    def label(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


class Tag(Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Counterparty(Model):
    """A party on the other side of contracts; the directory details are kept by the money
    feature (``repo_app.money.directory``), contracts only need the name."""

    __tablename__ = "counterparties"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(255))
    #: The name folded for duplicate checks (width, spaces, brackets, company-form suffix).
    name_key: Mapped[str | None] = mapped_column(String(255), index=True)
    #: 统一社会信用代码 (18 characters, check digit validated), unique when given.
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    #: Another registration number (foreign parties).
    registration_no: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    #: [{"name", "role", "email", "phone"}, …]
    contacts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    bank_account: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime | None] = mapped_column(default=clock.now)

    @validates("name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class ContractParty(Model):
    """A counterparty's place in one contract, in the order the user gave."""

    __tablename__ = "contract_parties"
    #: A contract's first counterparty in one index seek (the money charts group by it).
    __table_args__ = (Index("ix_contract_parties_order", "contract_id", "position", "counterparty_id"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    counterparty_id: Mapped[int] = mapped_column(ForeignKey("counterparties.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    counterparty: Mapped[Counterparty] = relationship(lazy="joined")


class Contract(Model):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    contract_number: Mapped[str | None] = mapped_column(String(100), index=True)
    contract_type_code: Mapped[str | None] = mapped_column(ForeignKey("contract_types.code"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    signed_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Lifecycle status; the lifecycle issue adds the transitions.
    status: Mapped[str] = mapped_column(String(20), default=ContractStatus.DRAFT)
    description: Mapped[str | None] = mapped_column(Text)
    #: The contract this one amends, renews, terminates or belongs to (see RELATIONS).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    relation: Mapped[str | None] = mapped_column(String(20))
    #: A legal hold blocks deleting and purging the contract and all its versions.
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(Text)
    #: Confidential contracts are visible only to the owner, explicit grants and admins.
    confidential: Mapped[bool] = mapped_column(default=False)
    #: What members of the contract's department may do (None: nothing by membership).
    department_level: Mapped[str | None] = mapped_column(String(10), default="read")
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)
    #: Set when the contract is in the trash.
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    contract_type: Mapped[ContractType | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")
    owner = relationship("User", foreign_keys=[owner_id], lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=contract_tags, lazy="selectin", order_by=Tag.name)
    parties: Mapped[list[ContractParty]] = relationship(
        lazy="selectin", order_by=ContractParty.position, cascade="all, delete-orphan"
    )
    grants: Mapped[list[ContractGrant]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ContractGrant.id"
    )
    versions: Mapped[list[ContractVersion]] = relationship(
        back_populates="contract", lazy="selectin", order_by="ContractVersion.number", cascade="all, delete-orphan"
    )

    parent: Mapped[Contract | None] = relationship(remote_side=[id], lazy="select", back_populates="children")
    children: Mapped[list[Contract]] = relationship(
        back_populates="parent", lazy="select", order_by="Contract.created_at"
    )

    @property
    def counterparty_names(self) -> list[str]:
        return [party.counterparty.name for party in self.parties]

    @property
    def latest_version(self) -> ContractVersion | None:
        return self.versions[-1] if self.versions else None


class ContractGrant(Model):
    """One entry of a contract's access list: a user, department or group and a level."""

    __tablename__ = "contract_grants"
    __table_args__ = (UniqueConstraint("contract_id", "grantee_type", "grantee_id", name="uq_contract_grants_grantee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    #: "user", "department" or "group".
    grantee_type: Mapped[str] = mapped_column(String(12))
    grantee_id: Mapped[int] = mapped_column(Integer)
    #: read, comment, edit, sign or manage.
    level: Mapped[str] = mapped_column(String(10))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=clock.now)


class PurgedConfidentialContract(Model):
    """A confidential contract deleted for good. Its audit events stay (the trail is never
    shortened) but, with the contract and its access list gone, only admins may read them."""

    __tablename__ = "purged_confidential_contracts"

    contract_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    purged_at: Mapped[datetime] = mapped_column(default=clock.now)


class ContractVersion(Model):
    """One stored file of a contract. Versions are never modified or overwritten."""

    __tablename__ = "contract_versions"
    __table_args__ = (
        UniqueConstraint("contract_id", "number", name="uq_contract_versions_contract_number"),
        Index("ix_contract_versions_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    blob_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(120))
    original_filename: Mapped[str] = mapped_column(String(255))
    #: How the version came to be: uploaded, signed, restored, converted.
    origin: Mapped[str] = mapped_column(String(20), default="uploaded")
    source_version_id: Mapped[int | None] = mapped_column(ForeignKey("contract_versions.id"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: Processing state (VersionStatus): processing → indexed | failed (with the reason).
    status: Mapped[str] = mapped_column(String(20), default=VersionStatus.PROCESSING)
    status_detail: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship(back_populates="versions")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id], lazy="joined")


class VersionText(Model):
    """The text extracted from one version and how it was obtained.

    Kept so that the search index (derived data) can be rebuilt without extracting or
    OCR-ing every file again.
    """

    __tablename__ = "version_texts"

    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    page_offsets: Mapped[list[int]] = mapped_column(JSON, default=list)
    page_count: Mapped[int] = mapped_column(default=0)
    characters: Mapped[int] = mapped_column(default=0)
    ocr_pages: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(String(10), default="unknown")
    extractor: Mapped[str] = mapped_column(String(40))
    seconds: Mapped[float] = mapped_column(default=0.0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Metadata found in the text (dates, amounts, parties, number) for the user to accept.
    suggestions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    extracted_at: Mapped[datetime] = mapped_column(default=clock.now)

    version: Mapped[ContractVersion] = relationship(
        backref=db.backref("extracted", uselist=False, lazy="select", passive_deletes=True)
    )


class VersionRendition(Model):
    """A PDF made from a Word, ODT, RTF or DOC version for its preview (derived data).

    The PDF is a blob of its own (content-addressed like every blob), kept beside the original,
    which it never replaces: downloads always give the original. ``status`` is ``ready`` (the
    blob exists) or ``failed`` (``reason`` is the code, ``detail`` the converter's sentence).
    """

    __tablename__ = "version_renditions"

    version_id: Mapped[int] = mapped_column(ForeignKey("contract_versions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    blob_key: Mapped[str | None] = mapped_column(String(200), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    converter: Mapped[str] = mapped_column(String(20))
    seconds: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    version: Mapped[ContractVersion] = relationship(
        backref=db.backref("rendition", uselist=False, lazy="select", passive_deletes=True)
    )

    @property
    def ready(self) -> bool:
        return self.status == "ready" and self.blob_key is not None


def rendition_of(version: ContractVersion) -> VersionRendition | None:
    """The version's PDF rendition row, if one was made (or tried)."""
    return db.session.get(VersionRendition, version.id)
