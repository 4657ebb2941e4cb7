"""Reading a bank statement or finance export: the table of a CSV or XLSX file, the header row
and which column holds what, and the values of one line (date, signed amount, party, memo).

Banks put a few lines above the table (account, period …), so the header is the first of the
first rows in which at least two column names are known (Chinese or English). A file whose
header is not recognised keeps its cells and asks the user to pick the columns.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..core.errors import ValidationFailed

MAX_ROWS = 2000
#: How far down the header row is looked for.
HEADER_SEARCH_ROWS = 20

#: What a column may hold. ``reference`` may be several columns (摘要 + 用途 + 附言), joined.
FIELDS = ("date", "amount", "credit", "debit", "currency", "counterparty", "reference", "transaction_id")

#: Column names of each field, compared after folding (NFKC, case, spaces, "(元)" left out).
#: Longer names are tried first, so 贷方金额 is a credit column and not a plain amount.
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "交易日期",
        "记账日期",
        "入账日期",
        "交易时间",
        "日期",
        "transactiondate",
        "bookingdate",
        "valuedate",
        "date",
    ),
    "credit": ("贷方金额", "贷方发生额", "收入金额", "收入", "贷方", "creditamount", "credit", "moneyin", "paidin"),
    "debit": ("借方金额", "借方发生额", "支出金额", "支出", "借方", "debitamount", "debit", "moneyout", "paidout"),
    "amount": ("交易金额", "发生额", "金额", "amount"),
    "counterparty": (
        "对方账户名称",
        "对方户名",
        "对方名称",
        "对方单位",
        "收付款人",
        "counterparty",
        "payer",
        "payee",
    ),
    "reference": ("摘要", "用途", "附言", "备注", "reference", "memo", "remark", "description", "purpose"),
    "transaction_id": ("交易流水号", "流水号", "交易编号", "transactionid", "transactionno", "txnid"),
    "currency": ("币种", "币别", "货币", "currency", "ccy"),
}
_ORDERED = sorted(
    ((alias, field) for field, aliases in _ALIASES.items() for alias in aliases), key=lambda item: -len(item[0])
)
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
_SPACES = re.compile(r"[\s_\-./:：]+")


@dataclass(frozen=True)
class Table:
    """The cells of a file: the header row found (or None) and the lines below it."""

    header: list[str]
    lines: list[list[str]]
    #: Columns by field, as found from the header (``reference`` a list of columns).
    columns: dict[str, Any]


@dataclass(frozen=True)
class Line:
    """One statement line read with a column mapping."""

    booked_on: date
    #: Positive: money in (credit); negative: money out (debit).
    amount: Decimal
    counterparty: str
    reference: str
    transaction_id: str
    #: ISO code from the currency column or a mark in the amount cell (None: the file says not).
    currency: str | None = None


def _fold(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).casefold()
    return _SPACES.sub("", _BRACKETED.sub("", text))


def field_of(header: str) -> str | None:
    """The field a column name stands for (``"贷方金额(元)"`` → ``"credit"``), or None."""
    folded = _fold(header)
    if not folded:
        return None
    for alias, field in _ORDERED:
        whole_only = len(alias) <= 2 or field == "currency"  # "local currency amount" is an amount
        if folded == alias if whole_only else alias in folded:
            return field
    return None


def recognise(header: Sequence[str]) -> dict[str, Any]:
    """Columns by field from a header row; the first column of a field wins, memos add up."""
    columns: dict[str, Any] = {"reference": []}
    for index, name in enumerate(header):
        field = field_of(name)
        if field == "reference":
            columns["reference"].append(index)
        elif field is not None and field not in columns:
            columns[field] = index
    return columns


def usable(columns: Mapping[str, Any]) -> bool:
    """A mapping can read lines: a date, and a signed amount or a credit/debit column."""
    return columns.get("date") is not None and any(
        columns.get(name) is not None for name in ("amount", "credit", "debit")
    )


def read_table(data: bytes, filename: str) -> Table:
    """The table of a CSV (UTF-8 with or without BOM, GBK/GB18030) or XLSX file."""
    cells = _xlsx_cells(data) if data[:2] == b"PK" or filename.lower().endswith(".xlsx") else _csv_cells(data)
    cells = [row for row in cells if any(cell for cell in row)]
    if not cells:
        raise ValidationFailed(_("The file has no rows."), field="file")
    header_at = 0
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if field_of(cell)) >= 2:
            header_at = index
            break
    header = cells[header_at]
    lines = cells[header_at + 1 :]
    if len(lines) > MAX_ROWS:
        raise ValidationFailed(_("At most %(n)d rows at a time.", n=MAX_ROWS), field="file")
    return Table(header, lines, recognise(header))


def _csv_cells(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise ValidationFailed(_("The CSV file is neither UTF-8 nor GBK/GB18030 text."), field="file")


def _xlsx_cells(data: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ValidationFailed(
            _("The file is not a readable XLSX workbook: %(error)s", error=str(error)), field="file"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    """A cell as the text a person reads: dates as ISO dates, numbers by their shortest form."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # The shortest text of a float is the number typed into the cell; Decimal reads it exactly.
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(text: str) -> date | None:
    """``2026-03-01``, ``2026/3/1``, ``2026年3月1日``, ``20260301`` (a time after it is ignored)."""
    text = unicodedata.normalize("NFKC", text).strip()
    found = _DATE.match(text) or _COMPACT_DATE.match(text)
    if found is None:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


#: Currency names and marks as statements write them, longest first (澳大利亚元 before 元, HK$
#: before $); ¥ and a bare 元 are the yuan in a Chinese bank's file. A code comes first.
_CURRENCY_MARKS = sorted(
    {
        "人民币": "CNY",
        "元": "CNY",
        "¥": "CNY",
        "美元": "USD",
        "US$": "USD",
        "$": "USD",
        "港币": "HKD",
        "港元": "HKD",
        "HK$": "HKD",
        "澳门元": "MOP",
        "澳门币": "MOP",
        "新台币": "TWD",
        "台币": "TWD",
        "NT$": "TWD",
        "欧元": "EUR",
        "€": "EUR",
        "日元": "JPY",
        "英镑": "GBP",
        "£": "GBP",
        "新加坡元": "SGD",
        "新元": "SGD",
        "S$": "SGD",
        "澳大利亚元": "AUD",
        "澳元": "AUD",
        "A$": "AUD",
        "加拿大元": "CAD",
        "加元": "CAD",
        "C$": "CAD",
        "新西兰元": "NZD",
        "纽元": "NZD",
        "韩元": "KRW",
        "瑞士法郎": "CHF",
        "卢布": "RUB",
    }.items(),
    key=lambda item: -len(item[0]),
)
#: ISO 4217 codes read from a file, and the letters banks use for them (CNH: offshore yuan).
_CODES = frozenset(
    "CNY USD EUR JPY GBP HKD MOP TWD SGD AUD CAD NZD CHF KRW RUB INR THB MYR IDR PHP VND SEK NOK DKK "
    "AED SAR BRL ZAR MXN TRY PLN".split()
)
_CODE_ALIASES = {"RMB": "CNY", "CNH": "CNY"}
_LETTERS = re.compile(r"(?<![A-Z])([A-Z]{3})(?![A-Z])")
#: ``currency`` of a line whose currency column names a currency not known here (ISO 4217's
#: "no currency"): matched to no instalment, so a person records it.
UNKNOWN_CURRENCY = "XXX"


def parse_currency(text: str) -> str | None:
    """``"人民币"``, ``"RMB"``, ``"usd"``, ``"US$"`` → an ISO code; None when the text names none."""
    folded = unicodedata.normalize("NFKC", text).strip().upper()
    for found in _LETTERS.finditer(folded):
        named = _CODE_ALIASES.get(found[1], found[1])
        if named in _CODES:
            return named
    for mark, code in _CURRENCY_MARKS:
        if mark in folded:
            return code
    return None


def _column_currency(text: str) -> str | None:
    """The currency column's value: a code, None when empty, :data:`UNKNOWN_CURRENCY` when it
    names something else (a line must not be taken for yuan because its currency is unknown)."""
    if not text.strip():
        return None
    return parse_currency(text) or UNKNOWN_CURRENCY


def parse_money(text: str) -> tuple[Decimal | None, str | None]:
    """The amount of a cell and the currency it names (``"US$1,000.00"`` → 1000.00, USD)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    currency = parse_currency(cleaned)
    for mark, _code in _CURRENCY_MARKS:
        cleaned = cleaned.replace(mark, "")
    cleaned = _LETTERS.sub("", cleaned)
    return _number(cleaned), currency


def parse_amount(text: str) -> Decimal | None:
    """``"¥1,280,000.50"`` → 1280000.50; ``"(300.00)"`` and ``"-300"`` → −300; empty → None."""
    return parse_money(text)[0]


def _number(cleaned: str) -> Decimal | None:
    for mark in (",", " ", "+"):
        cleaned = cleaned.replace(mark, "")
    if not cleaned or cleaned in ("-", "--"):
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return -value if negative else value


def _cell(line: Sequence[str], index: Any) -> str:
    return line[index] if isinstance(index, int) and 0 <= index < len(line) else ""


def read_line(line: Sequence[str], columns: Mapping[str, Any]) -> Line | None:
    """The values of one line, or None for a line that is no transaction (a total, a blank)."""
    booked_on = parse_date(_cell(line, columns.get("date")))
    if booked_on is None:
        return None
    credit, credit_currency = parse_money(_cell(line, columns.get("credit")))
    debit, debit_currency = parse_money(_cell(line, columns.get("debit")))
    amount, amount_currency = parse_money(_cell(line, columns.get("amount")))
    if credit:
        signed, marked = abs(credit), credit_currency
    elif debit:
        signed, marked = -abs(debit), debit_currency
    elif amount:
        signed, marked = amount, amount_currency
    else:
        return None
    references = columns.get("reference") or []
    if isinstance(references, int):
        references = [references]
    memo = " ".join(text for text in (_cell(line, index) for index in references) if text)
    return Line(
        booked_on,
        signed,
        _cell(line, columns.get("counterparty"))[:255],
        memo[:1000],
        _cell(line, columns.get("transaction_id"))[:120],
        _column_currency(_cell(line, columns.get("currency"))) or marked,
    )
