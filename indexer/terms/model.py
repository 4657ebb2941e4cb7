"""What :func:`suggest_metadata` returns: ranked candidates per field, each with its evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

__all__ = ["Amount", "Candidate", "Party", "Suggestions"]

T = TypeVar("T")


@dataclass(frozen=True)
class Amount:
    value: Decimal
    #: ISO 4217 code: CNY, USD, HKD, EUR, GBP, JPY.
    currency: str


@dataclass(frozen=True)
class Party:
    name: str
    #: How the contract calls this party: 甲方, 出租方, "Licensor", "Company" … (None if unnamed).
    role: str | None = None


@dataclass(frozen=True)
class Candidate(Generic[T]):
    value: T
    #: 0–1; comparable within one field, not a calibrated probability.
    confidence: float
    #: The text the value was read from.
    evidence: str
    #: Character offset of the evidence in the analysed text.
    start: int


@dataclass(frozen=True)
class Suggestions:
    """Candidates per field, best first. Empty tuples when nothing was found."""

    signing_dates: tuple[Candidate[dt.date], ...] = ()
    effective_dates: tuple[Candidate[dt.date], ...] = ()
    expiry_dates: tuple[Candidate[dt.date], ...] = ()
    amounts: tuple[Candidate[Amount], ...] = ()
    parties: tuple[Candidate[Party], ...] = ()
    contract_numbers: tuple[Candidate[str], ...] = ()

    @property
    def signing_date(self) -> dt.date | None:
        return self.signing_dates[0].value if self.signing_dates else None

    @property
    def effective_date(self) -> dt.date | None:
        return self.effective_dates[0].value if self.effective_dates else None

    @property
    def expiry_date(self) -> dt.date | None:
        return self.expiry_dates[0].value if self.expiry_dates else None

    @property
    def amount(self) -> Amount | None:
        return self.amounts[0].value if self.amounts else None

    @property
    def contract_number(self) -> str | None:
        return self.contract_numbers[0].value if self.contract_numbers else None
