"""The logical index schema shared by every engine, and document preparation.

Each engine maps these field names onto its own field types; the values come
from :func:`prepare` (analysis, the expensive part, which can run in a process
pool: :func:`indexer.search.parallel.parallel_segment`) and the small helpers
below, so all engines index identical terms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from math import ceil, floor

from indexer.text.analysis import CJK_CLASS, Analysis, analyze_sections, normalize_for_match
from indexer.text.segment import segment_run

from .protocols import CustomValue, IndexDocument

__all__ = [
    "PreparedDocument",
    "StoredDoc",
    "prepare",
    "search_sections",
    "scope_text",
    "keyword_values",
    "numeric_values",
    "suggest_terms",
    "day_number",
    "amount_cents",
    "SUGGEST_SEP",
    "CUSTOM_KW",
    "CUSTOM_NUM",
    "custom_keywords",
    "custom_numbers",
    "custom_bound",
    "custom_field_key",
]

# Positional text fields (pre-segmented tokens).
ALL_W, ALL_B = "all_w", "all_b"
TITLE_W, TITLE_B = "title_w", "title_b"
PARTY_W, PARTY_B = "party_w", "party_b"
TEXT_FIELDS = (ALL_W, ALL_B, TITLE_W, TITLE_B, PARTY_W, PARTY_B)
# Keyword fields with raw values (filters and facets).
TYPE, STATUS, TAG, PARTY, DEPARTMENT, OWNER, YEAR = ("type", "status", "tag", "party", "department", "owner", "year")
FACET_FIELDS = {
    "contract_type": TYPE,
    "status": STATUS,
    "tags": TAG,
    "department": DEPARTMENT,
    "counterparty": PARTY,
    "year": YEAR,
}
# Keyword fields with normalised values (the type:, tag: and number: prefixes).
TYPE_LC, TAG_LC, NUMBER_LC = "type_lc", "tag_lc", "number_lc"
PRINCIPALS = "principals"
SUGGEST = "suggest"
KEYWORD_FIELDS = (TYPE, STATUS, TAG, PARTY, DEPARTMENT, OWNER, YEAR, TYPE_LC, TAG_LC, NUMBER_LC, PRINCIPALS, SUGGEST)
# Integer fields (range filters and sorting).
AMOUNT, SIGNED, EXPIRY, CREATED = "amount", "signed", "expiry", "created"
NUMERIC_FIELDS = (AMOUNT, SIGNED, EXPIRY, CREATED)
SORT_FIELDS = {"amount": AMOUNT, "signed_date": SIGNED, "expiry_date": EXPIRY, "created": CREATED}
# Custom fields: one dynamic family of keyword fields (exact filters, facets) and one of integer
# fields (ranges, sorting), named ``cfk.<key>`` and ``cfn.<key>``; a new key needs no new schema.
CUSTOM_KW, CUSTOM_NUM = "cfk", "cfn"
#: Decimals and money are indexed as integers in units of 1/10 000.
CUSTOM_DECIMAL_SCALE = 10_000

SUGGEST_SEP = "\x1f"
_SCOPE_SEP = "\n\u00b6\n"  # a pilcrow: punctuation, so no phrase spans two sections
_EPOCH = date(1970, 1, 1).toordinal()
_WORD_START = re.compile(r"(?:(?<=[^\w])|^)[^\W_]")
_CJK_RUN = re.compile(f"[{CJK_CLASS}]+")


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """What engines store per document for highlights and phrase confirmation."""

    id: int
    title: str
    text: str
    page_offsets: tuple[int, ...]
    number: str
    type: str
    parties: tuple[str, ...]
    tags: tuple[str, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "title": self.title,
                "text": self.text,
                "pages": list(self.page_offsets),
                "number": self.number,
                "type": self.type,
                "parties": list(self.parties),
                "tags": list(self.tags),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, data: str | bytes) -> StoredDoc:
        d = json.loads(data)
        return cls(
            int(d["id"]),
            d["title"],
            d["text"],
            tuple(d["pages"]),
            d["number"],
            d["type"],
            tuple(d["parties"]),
            tuple(d["tags"]),
        )

    @classmethod
    def of(cls, doc: IndexDocument) -> StoredDoc:
        return cls(
            doc.id,
            doc.title,
            doc.text,
            tuple(doc.page_offsets),
            doc.contract_number or "",
            doc.contract_type or "",
            tuple(doc.counterparties),
            tuple(doc.tags),
        )


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """An :class:`IndexDocument` with its analysis done (picklable)."""

    doc: IndexDocument
    all: Analysis
    title: Analysis
    party: Analysis
    suggest: tuple[str, ...]


def search_sections(
    title: str, number: str, type_: str, parties: tuple[str, ...], tags: tuple[str, ...], text: str
) -> list[str]:
    """The values searched by default, in index order (a gap separates them)."""
    return [title, number, type_, *parties, *tags, text]


def scope_text(stored: StoredDoc, scope: str) -> str:
    """Text a phrase is confirmed against, for a scope of :class:`IrConfirm`."""
    if scope == "title":
        return stored.title
    if scope == "party":
        return _SCOPE_SEP.join(stored.parties)
    return _SCOPE_SEP.join(
        search_sections(stored.title, stored.number, stored.type, stored.parties, stored.tags, stored.text)
    )


def prepare(doc: IndexDocument) -> PreparedDocument:
    """Analyse a document (segmentation is most of the indexing cost)."""
    sections = search_sections(
        doc.title,
        doc.contract_number or "",
        doc.contract_type or "",
        tuple(doc.counterparties),
        tuple(doc.tags),
        doc.text,
    )
    return PreparedDocument(
        doc,
        analyze_sections(sections),
        analyze_sections([doc.title]),
        analyze_sections(list(doc.counterparties)),
        suggest_terms(doc),
    )


def _word_starts(norm: str) -> list[int]:
    """Offsets where a word starts: Latin words and segmented Chinese words."""
    starts: set[int] = {m.start() for m in _WORD_START.finditer(norm)}
    for m in _CJK_RUN.finditer(norm):
        offset = m.start()
        for seg in segment_run(m.group()):
            starts.add(offset)
            offset += len(seg.word)
    return sorted(starts)


def suggest_terms(doc: IndexDocument) -> tuple[str, ...]:
    """``key<US>display`` terms for as-you-type completion: the key is the
    normalised value or its tail from any word start (so 采购 completes
    设备采购合同), the display is the value itself."""
    out: dict[str, None] = {}
    for value in (doc.title, *doc.counterparties, *doc.tags):
        display = " ".join(value.split())
        norm = normalize_for_match(display)
        if not norm:
            continue
        for start in _word_starts(norm):
            key = norm[start:].lstrip()
            if key:
                out[f"{key}{SUGGEST_SEP}{display}"] = None
    return tuple(out)


def keyword_values(doc: IndexDocument) -> dict[str, tuple[str, ...]]:
    def one(value: str | None) -> tuple[str, ...]:
        return (value,) if value else ()

    return {
        TYPE: one(doc.contract_type),
        STATUS: one(doc.status),
        TAG: tuple(dict.fromkeys(doc.tags)),
        PARTY: tuple(dict.fromkeys(doc.counterparties)),
        DEPARTMENT: one(doc.department),
        OWNER: one(doc.owner),
        YEAR: one(str(doc.signed_date.year) if doc.signed_date else None),
        TYPE_LC: one(normalize_for_match(doc.contract_type or "")),
        TAG_LC: tuple(dict.fromkeys(normalize_for_match(t) for t in doc.tags if t)),
        NUMBER_LC: one(normalize_for_match(doc.contract_number or "")),
        PRINCIPALS: tuple(dict.fromkeys(doc.principals)),
    }


def day_number(value: date) -> int:
    return value.toordinal() - _EPOCH


def amount_cents(value: Decimal) -> int:
    return int(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) * 100)


def micros(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def numeric_values(doc: IndexDocument) -> dict[str, int | None]:
    return {
        AMOUNT: amount_cents(doc.amount) if doc.amount is not None else None,
        SIGNED: day_number(doc.signed_date) if doc.signed_date else None,
        EXPIRY: day_number(doc.expiry_date) if doc.expiry_date else None,
        CREATED: micros(doc.created),
    }


def custom_field_key(field: str) -> tuple[str, str] | None:
    """``("cfk" | "cfn", key)`` for a custom index field name, else None."""
    family, dot, key = field.partition(".")
    return (family, key) if dot and family in (CUSTOM_KW, CUSTOM_NUM) else None


def custom_keywords(doc: IndexDocument) -> dict[str, tuple[str, ...]]:
    """Exact values of the custom fields: text and choices as given, yes/no as ``true``/``false``."""
    out: dict[str, tuple[str, ...]] = {}
    for key, value in doc.custom:
        if isinstance(value, bool):
            out[key] = ("true" if value else "false",)
        elif isinstance(value, str):
            if value:
                out[key] = (value,)
        elif isinstance(value, tuple):
            if value:
                out[key] = tuple(dict.fromkeys(value))
    return out


def custom_numbers(doc: IndexDocument) -> dict[str, int]:
    """Whole numbers, decimals (× 10 000) and days (days since 1970) of the custom fields."""
    out: dict[str, int] = {}
    for key, value in doc.custom:
        number = _custom_int(value)
        if number is not None:
            out[key] = number
    return out


def _custom_int(value: CustomValue) -> int | None:
    if isinstance(value, bool) or isinstance(value, str | tuple):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int((value * CUSTOM_DECIMAL_SCALE).to_integral_value(rounding=ROUND_HALF_EVEN))
    return day_number(value)


def custom_bound(value: int | Decimal | date, upper: bool) -> int:
    """A range bound in the indexed units; a decimal bound between two units rounds inwards."""
    if isinstance(value, Decimal):
        scaled = value * CUSTOM_DECIMAL_SCALE
        return floor(scaled) if upper else ceil(scaled)
    if isinstance(value, date):
        return day_number(value)
    return int(value)
