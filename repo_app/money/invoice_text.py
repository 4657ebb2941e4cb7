"""Reading an invoice's fields from its text (a 数电票 or a VAT invoice PDF's text layer).

Pure functions on a string, no Flask and no database: each finds one field and answers None
when the text does not show it. The results are suggestions for a person to confirm.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

_AMOUNT = r"(-?[\d,]+\.\d{2})"
_TAX_ID = r"([0-9A-Z]{15,20})"
_ID_LABEL = r"(?:统一社会信用代码\s*/\s*纳税人识别号|纳税人识别号|统一社会信用代码)"


@dataclass(frozen=True)
class InvoiceFields:
    type: str | None = None
    code: str | None = None
    number: str | None = None
    issued_on: date | None = None
    amount: Decimal | None = None
    tax_rate: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    buyer_name: str | None = None
    buyer_tax_id: str | None = None
    seller_name: str | None = None
    seller_tax_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fields found, as the API and the form want them (amounts and dates as text)."""
        found: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if value is None:
                continue
            found[key] = value.isoformat() if isinstance(value, date) else str(value)
        return found


def normalise(text: str) -> str:
    """Full-width colons, brackets, digits and ¥ made plain (NFKC), spaces between CJK labels kept."""
    return unicodedata.normalize("NFKC", text).replace("￥", "¥")


def _amount(raw: str) -> Decimal:
    return Decimal(raw.replace(",", ""))


def find_number(text: str) -> str | None:
    found = re.search(r"发\s*票\s*号\s*码\s*:?\s*(\d{8,20})", text)
    return found.group(1) if found else None


def find_code(text: str) -> str | None:
    found = re.search(r"发\s*票\s*代\s*码\s*:?\s*(\d{10,12})", text)
    return found.group(1) if found else None


def find_date(text: str) -> date | None:
    found = re.search(r"开\s*票\s*日\s*期\s*:?\s*(\d{4})\s*[年-]\s*(\d{1,2})\s*[月-]\s*(\d{1,2})", text)
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def find_names(text: str) -> list[str]:
    """The party names in the order they appear (buyer first on every Chinese invoice layout)."""
    return re.findall(r"名\s*称\s*:\s*([^\s:]+)", text)


def find_tax_ids(text: str) -> list[str]:
    """The parties' tax ids (统一社会信用代码 / 纳税人识别号) in the order they appear."""
    return re.findall(_ID_LABEL + r"\s*:?\s*" + _TAX_ID, text)


def find_sums(text: str) -> tuple[Decimal, Decimal] | None:
    """The 合计 line: the amount before tax and the tax (not the 价税合计 line)."""
    found = re.search(r"(?<!价税)合\s*计\s*¥?\s*" + _AMOUNT + r"\s*¥?\s*" + _AMOUNT, text)
    return (_amount(found.group(1)), _amount(found.group(2))) if found else None


def find_total(text: str) -> Decimal | None:
    """价税合计 in figures: the amount after ``(小写)``."""
    found = re.search(r"\(\s*小\s*写\s*\)\s*¥?\s*" + _AMOUNT, text)
    return _amount(found.group(1)) if found else None


def find_tax_rate(text: str) -> Decimal | None:
    """The VAT rate when every line of the invoice has the same one."""
    rates = set(re.findall(r"(?<![\d.])(\d{1,2})\s*%", text))
    return Decimal(rates.pop()) if len(rates) == 1 else None


def find_type(text: str, code: str | None, number: str | None) -> str | None:
    if number is not None and len(number) == 20 and code is None:
        return "electronic"
    if "专用发票" in text:
        return "vat_special"
    if "普通发票" in text:
        return "vat_normal"
    return None


def read_invoice(text: str) -> InvoiceFields:
    """Every field the text shows."""
    plain = normalise(text)
    code, number = find_code(plain), find_number(plain)
    names, ids = find_names(plain), find_tax_ids(plain)
    sums = find_sums(plain)
    return InvoiceFields(
        type=find_type(plain, code, number),
        code=code,
        number=number,
        issued_on=find_date(plain),
        amount=sums[0] if sums else None,
        tax_rate=find_tax_rate(plain),
        tax=sums[1] if sums else None,
        total=find_total(plain),
        buyer_name=names[0] if names else None,
        buyer_tax_id=ids[0] if ids else None,
        seller_name=names[1] if len(names) > 1 else None,
        seller_tax_id=ids[1] if len(ids) > 1 else None,
    )
