"""Indexes the dashboard's aggregations read (migration 0022). The tables are the contracts
feature's; the indexes are the reports feature's, so they are declared here.

Each covers one GROUP BY of the dashboard and the columns of the access filter
(``contracts.access``), so counting 100,000 contracts reads an index, not the table: the
overview (type × status × department × currency with amounts, expiry and signing dates) and the
months signed and created.
"""

from __future__ import annotations

from sqlalchemy import Index

from ..contracts.models import Contract

_AMOUNTS = (Contract.currency, Contract.deleted_at, Contract.amount)
_ACCESS = (Contract.owner_id, Contract.confidential, Contract.department_id, Contract.department_level)

OVERVIEW_INDEX = Index(
    "ix_contracts_report_overview",
    Contract.contract_type_code,
    Contract.status,
    Contract.department_id,
    Contract.currency,
    Contract.deleted_at,
    Contract.amount,
    Contract.signed_date,
    Contract.expiry_date,
    Contract.owner_id,
    Contract.confidential,
    Contract.department_level,
)
SIGNED_INDEX = Index("ix_contracts_report_signed", Contract.signed_date, *_AMOUNTS, *_ACCESS)
CREATED_INDEX = Index("ix_contracts_report_created", Contract.created_at, *_AMOUNTS, *_ACCESS)
