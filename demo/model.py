"""Data model shared by the contract catalogue, the composer and both renderers.

Two layers:

* *specs* (:class:`ContractSpec`, :class:`ClauseTemplate`) are the demo content
  as data: text templates with ``{placeholders}`` and dates relative to "today";
* a :class:`ContractDocument` is the fully resolved document (final strings,
  clause numbers, tables) that the PDF and DOCX renderers lay out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from .formatting import Language

ContractType = Literal["purchase", "sales", "service", "nda", "employment", "lease", "other"]
CONTRACT_TYPES: tuple[ContractType, ...] = (
    "purchase", "sales", "service", "nda", "employment", "lease", "other",
)  # fmt: skip
DocumentFormat = Literal["pdf", "docx"]
Currency = Literal["CNY", "USD", "EUR"]
CURRENCIES: tuple[Currency, ...] = ("CNY", "USD", "EUR")


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Party:
    """One side of a contract. ``representative`` is ``None`` for a natural person.

    ``own`` marks our own company (the Pactum user); every other party is a
    counterparty in the metadata.
    """

    role: str  # "甲方" / "Party A"
    capacity: str  # "买方" / "Customer": printed as "甲方（买方）" / "Party A (Customer)"
    name: str
    address: str
    representative: str | None = None
    own: bool = False

    @property
    def is_person(self) -> bool:
        return self.representative is None


@dataclass(frozen=True)
class LineItem:
    """A row of a price schedule; the schedule's total is the contract amount."""

    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class ClauseTemplate:
    """A clause heading and its sub-clauses, as ``str.format`` templates.

    With ``schedule=True`` the contract's price schedule (its line items) is
    rendered as a table after the sub-clauses.
    """

    heading: str
    items: tuple[str, ...]
    schedule: bool = False


@dataclass(frozen=True)
class Schedule:
    """Contract dates relative to "today".

    The term ends ``expires_in_days`` after today (negative: already expired)
    and lasts ``term_months``; the contract is signed ``signed_before_effective``
    days before it takes effect.
    """

    expires_in_days: int
    term_months: int
    signed_before_effective: int = 7


@dataclass(frozen=True)
class ContractSpec:
    """Everything needed to produce one demo contract."""

    language: Language
    format: DocumentFormat
    title: str
    filename_label: str  # "采购合同-华东精密" → "采购合同-华东精密-2025.pdf"
    number_code: str  # "CG-017" → "PAC-CG-2025-017"
    contract_type: ContractType
    parties: tuple[Party, ...]  # in printed order (甲方 first); exactly one is ``own``
    amount: Decimal
    currency: Currency
    schedule: Schedule
    department: str
    tags: tuple[str, ...]
    preamble: str
    clauses: tuple[ClauseTemplate, ...]
    line_items: tuple[LineItem, ...] = ()
    #: Column headings of the price schedule when the default ones do not fit.
    schedule_columns: tuple[str, ...] | None = None
    signing_place: str = ""
    #: Extra values for the clause templates (e.g. ``{forum}``).
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def own_party(self) -> Party:
        (own,) = (party for party in self.parties if party.own)
        return own

    @property
    def counterparties(self) -> tuple[Party, ...]:
        return tuple(party for party in self.parties if not party.own)


# ------------------------------------------------------------------------ resolved


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_columns: frozenset[int] = frozenset()  # right-aligned


@dataclass(frozen=True)
class Clause:
    heading: str  # numbered: "第一条　合同标的" / "1. Definitions"
    items: tuple[str, ...]  # numbered: "1.1 ……"
    table: Table | None = None


@dataclass(frozen=True)
class SignatureBlock:
    party_line: str  # "甲方（盖章）：上海澄衡科技股份有限公司"
    lines: tuple[str, ...]  # "法定代表人或授权代表（签字）：______", "签署日期：2025年3月1日"


@dataclass(frozen=True)
class ContractDocument:
    """A contract ready to be laid out; every string is final."""

    language: Language
    title: str
    number: str  # "PAC-CG-2025-017"
    reference_lines: tuple[str, ...]  # under the title: "合同编号：…", "签订地点：…"
    footer_template: str  # "第 {page} 页 共 {total} 页"
    parties: tuple[tuple[str, ...], ...]  # per party: its lines, name line first
    preamble: str
    clauses: tuple[Clause, ...]
    closing: str  # "（以下无正文）" / "IN WITNESS WHEREOF …"
    signatures: tuple[SignatureBlock, ...]
    author: str
    subject: str
    signed_on: date  # document date for file properties

    def plain_text(self) -> str:
        """Every string the renderers print, one per line (for glyph checks)."""
        lines: list[str] = [self.title, *self.reference_lines, self.footer_template]
        lines += [line for party in self.parties for line in party]
        lines.append(self.preamble)
        for clause in self.clauses:
            lines += [clause.heading, *clause.items]
            if clause.table:
                lines += [*clause.table.columns, *(cell for row in clause.table.rows for cell in row)]
        lines.append(self.closing)
        for block in self.signatures:
            lines += [block.party_line, *block.lines]
        return "\n".join(lines)
