"""Resolve a :class:`ContractSpec` for a given day into a document and its metadata."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .formatting import (
    Language,
    capital_number,
    chinese_ordinal,
    format_date,
    format_figures,
    format_money,
    format_money_in_words_zh,
)
from .model import Clause, ClauseTemplate, ContractDocument, ContractSpec, LineItem, Party, SignatureBlock, Table

NUMBER_PREFIX = "PAC"
_SIGN_HERE = "_" * 16
_SIGN_HERE_ZH = "_" * 8  # CJK labels are wider: keep the line within half a page


@dataclass(frozen=True)
class Labels:
    """Fixed wording around the contract content, per language."""

    number: str
    address: str
    representative: str
    footer: str
    closing: str
    seal_suffix: str
    signatory_lines: tuple[str, ...]
    person_lines: tuple[str, ...]
    signing_date: str
    signing_place: str
    schedule_columns: tuple[str, ...]
    schedule_total: str
    separator: str  # between a label and its value
    defaults: dict[str, str]  # template values a spec may override


LABELS: dict[Language, Labels] = {
    "zh": Labels(
        number="合同编号",
        address="住所",
        representative="法定代表人",
        footer="第 {page} 页 共 {total} 页",
        closing="（以下无正文）",
        seal_suffix="（盖章）",
        signatory_lines=(f"法定代表人或授权代表（签字）：{_SIGN_HERE_ZH}",),
        person_lines=(f"本人签字：{_SIGN_HERE_ZH}",),
        signing_date="签署日期",
        signing_place="签订地点",
        schedule_columns=("序号", "名称及规格", "单位", "数量", "单价（元）", "金额（元）"),
        schedule_total="合计",
        separator="：",
        defaults={"this": "本合同", "forum": "甲方住所地"},
    ),
    "en": Labels(
        number="Contract No.",
        address="Address",
        representative="Represented by",
        footer="Page {page} of {total}",
        closing="IN WITNESS WHEREOF, the Parties have caused this Agreement to be executed by their duly "
        "authorised representatives on the dates written below.",
        seal_suffix="",
        signatory_lines=(f"By: {_SIGN_HERE}", f"Name and title: {_SIGN_HERE}"),
        person_lines=(f"Signature: {_SIGN_HERE}",),
        signing_date="Date",
        signing_place="Place of signing",
        schedule_columns=("No.", "Description", "Unit", "Qty", "Unit price", "Amount"),
        schedule_total="Total",
        separator=": ",
        defaults={"this": "this Agreement"},
    ),
}


@dataclass(frozen=True)
class ContractDates:
    signed: date
    effective: date
    expiry: date


def contract_dates(spec: ContractSpec, today: date) -> ContractDates:
    """Expiry relative to *today*; effective ``term_months`` earlier (+1 day); signed before."""
    schedule = spec.schedule
    expiry = today + timedelta(days=schedule.expires_in_days)
    effective = add_months(expiry, -schedule.term_months) + timedelta(days=1)
    signed = effective - timedelta(days=schedule.signed_before_effective)
    return ContractDates(signed=signed, effective=effective, expiry=expiry)


def add_months(value: date, months: int) -> date:
    """Same day *months* later (or earlier), clamped to the month's last day."""
    year, month_index = divmod(value.year * 12 + value.month - 1 + months, 12)
    day = min(value.day, calendar.monthrange(year, month_index + 1)[1])
    return date(year, month_index + 1, day)


def contract_number(spec: ContractSpec, dates: ContractDates) -> str:
    """``PAC-CG-2025-017`` from the spec's code ``CG-017`` and the signing year."""
    kind, sequence = spec.number_code.split("-")
    return f"{NUMBER_PREFIX}-{kind}-{dates.signed.year}-{sequence}"


def filename(spec: ContractSpec, dates: ContractDates) -> str:
    """``采购合同-华东精密-2025.pdf``: label, signing year, format."""
    return f"{spec.filename_label}-{dates.signed.year}.{spec.format}"


def metadata(spec: ContractSpec, dates: ContractDates) -> dict[str, object]:
    """JSON-serialisable metadata, as the upload API accepts it."""
    return {
        "title": spec.title,
        "contract_number": contract_number(spec, dates),
        "contract_type": spec.contract_type,
        "counterparties": [party.name for party in spec.counterparties],
        "amount": f"{spec.amount:.2f}",
        "currency": spec.currency,
        "signed_date": dates.signed.isoformat(),
        "effective_date": dates.effective.isoformat(),
        "expiry_date": dates.expiry.isoformat(),
        "department": spec.department,
        "tags": list(spec.tags),
    }


def template_values(spec: ContractSpec, dates: ContractDates) -> dict[str, str]:
    """Values the clause templates may use, e.g. ``{amount}``, ``{expiry_date}``, ``{party_b}``."""
    lang = spec.language
    values = dict(LABELS[lang].defaults)
    values |= {
        "title": spec.title,
        "number": contract_number(spec, dates),
        "amount": format_money(spec.amount, spec.currency),
        "signed_date": format_date(dates.signed, lang),
        "effective_date": format_date(dates.effective, lang),
        "expiry_date": format_date(dates.expiry, lang),
        "term_months": str(spec.schedule.term_months),
    }
    if lang == "zh":
        values["amount_caps"] = format_money_in_words_zh(spec.amount, spec.currency)
        values["copies"] = capital_number(2 * len(spec.parties))
        two_sided = len(spec.parties) == 2
        values["both"], values["other"] = ("双方", "对方") if two_sided else ("各方", "其他方")
    for party, letter in zip(spec.parties, "abcdef", strict=False):
        values[f"party_{letter}"] = party.name
    return values | spec.fields


def compose(spec: ContractSpec, dates: ContractDates) -> ContractDocument:
    """The resolved document for *spec* with the given dates."""
    _check_schedule_total(spec)
    labels = LABELS[spec.language]
    values = template_values(spec, dates)
    return ContractDocument(
        language=spec.language,
        title=spec.title,
        number=values["number"],
        reference_lines=_reference_lines(spec, labels, values),
        footer_template=labels.footer,
        parties=tuple(_party_lines(party, labels, spec.language) for party in spec.parties),
        preamble=spec.preamble.format_map(values),
        clauses=tuple(
            _clause(spec, template, position, values) for position, template in enumerate(spec.clauses, start=1)
        ),
        closing=labels.closing,
        signatures=tuple(_signature(party, labels, values) for party in spec.parties),
        author=spec.own_party.name,
        subject=f"{spec.title} {values['number']}",
        signed_on=dates.signed,
    )


def _check_schedule_total(spec: ContractSpec) -> None:
    if spec.line_items and sum(item.total for item in spec.line_items) != spec.amount:
        raise ValueError(f"{spec.title}: line items do not add up to {spec.amount}")


def _reference_lines(spec: ContractSpec, labels: Labels, values: dict[str, str]) -> tuple[str, ...]:
    pairs = [(labels.number, values["number"]), (labels.signing_date, values["signed_date"])]
    if spec.signing_place:
        pairs.append((labels.signing_place, spec.signing_place))
    return tuple(f"{label}{labels.separator}{value}" for label, value in pairs)


def role_label(party: Party, language: Language) -> str:
    """``甲方（买方）`` / ``Party A (Customer)``."""
    return f"{party.role}（{party.capacity}）" if language == "zh" else f"{party.role} ({party.capacity})"


def _party_lines(party: Party, labels: Labels, language: Language) -> tuple[str, ...]:
    lines = [
        f"{role_label(party, language)}{labels.separator}{party.name}",
        f"{labels.address}{labels.separator}{party.address}",
    ]
    if party.representative:
        lines.append(f"{labels.representative}{labels.separator}{party.representative}")
    return tuple(lines)


def clause_heading(language: Language, position: int, heading: str) -> str:
    """``第三条　交付与验收`` / ``3. Delivery and Acceptance``."""
    if language == "zh":
        return f"第{chinese_ordinal(position)}条　{heading}"
    return f"{position}. {heading}"


def _clause(spec: ContractSpec, template: ClauseTemplate, position: int, values: dict[str, str]) -> Clause:
    items = tuple(f"{position}.{index} {text.format_map(values)}" for index, text in enumerate(template.items, start=1))
    table = _schedule_table(spec) if template.schedule else None
    return Clause(heading=clause_heading(spec.language, position, template.heading), items=items, table=table)


def _schedule_table(spec: ContractSpec) -> Table:
    if not spec.line_items:
        raise ValueError(f"{spec.title}: a clause wants a price schedule but there are no line items")
    labels = LABELS[spec.language]
    rows = [_schedule_row(index, item) for index, item in enumerate(spec.line_items, start=1)]
    rows.append((labels.schedule_total, "", "", "", "", format_figures(spec.amount)))
    return Table(
        columns=spec.schedule_columns or labels.schedule_columns,
        rows=tuple(rows),
        numeric_columns=frozenset({3, 4, 5}),
    )


def _schedule_row(index: int, item: LineItem) -> tuple[str, ...]:
    return (
        str(index),
        item.description,
        item.unit,
        f"{item.quantity:,}",
        format_figures(item.unit_price),
        format_figures(item.total),
    )


def _signature(party: Party, labels: Labels, values: dict[str, str]) -> SignatureBlock:
    if party.is_person:
        party_line, lines = f"{party.role}{labels.separator}{party.name}", labels.person_lines
    else:
        party_line = f"{party.role}{labels.seal_suffix}{labels.separator}{party.name}"
        lines = labels.signatory_lines
    date_line = f"{labels.signing_date}{labels.separator}{values['signed_date']}"
    return SignatureBlock(party_line=party_line, lines=(*lines, date_line))
