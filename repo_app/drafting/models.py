"""Templates (versioned Word documents with a variable schema), the clause library, and the
record of which template version a contract was drafted from."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import clock
from ..core.extensions import Model


class VersionState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Clause(Model):
    """One version of a named standard clause. A new text is a new version; templates pin the
    versions they were published with, so a change reaches each template at its next version."""

    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_clauses_key_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), index=True)
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    text_zh: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    def text(self, language: str) -> str:
        """The clause in ``language``, else in the other language."""
        return (self.text_en or self.text_zh) if language == "en" else (self.text_zh or self.text_en)


class Template(Model):
    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: A starter template's stable key (``purchase_zh``), so loading the library twice adds nothing.
    starter_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5), default="zh")
    contract_type_code: Mapped[str | None] = mapped_column(ForeignKey("contract_types.code"))
    #: Only this department's members (and administrators) see it; none: everyone who drafts.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    retired_at: Mapped[datetime | None] = mapped_column()

    versions: Mapped[list[TemplateVersion]] = relationship(
        back_populates="template", order_by="TemplateVersion.number", cascade="all, delete-orphan"
    )
    department = relationship("Department", lazy="joined")
    contract_type = relationship("ContractType", lazy="joined")

    @property
    def published(self) -> TemplateVersion | None:
        """The newest published version: the one contracts are drafted from."""
        done = [v for v in self.versions if v.state == VersionState.PUBLISHED]
        return done[-1] if done else None

    @property
    def draft(self) -> TemplateVersion | None:
        """The version being edited, if any (at most one)."""
        return next((v for v in self.versions if v.state == VersionState.DRAFT), None)


class TemplateVersion(Model):
    """A template's Word file and variable schema. Once published it never changes."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number", name="uq_template_versions_template_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(12), default=VersionState.DRAFT)
    blob_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    #: The variables: a list of {name, type, label, help, required, options, columns, maps_to, sample}.
    variables: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Clause key → clause version, fixed when the version is published.
    clause_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    published_at: Mapped[datetime | None] = mapped_column()

    template: Mapped[Template] = relationship(back_populates="versions")


class DraftedContract(Model):
    """A contract drafted from a template version, with the values it was filled with."""

    __tablename__ = "drafted_contracts"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"), index=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    template_version: Mapped[TemplateVersion] = relationship(lazy="joined")
