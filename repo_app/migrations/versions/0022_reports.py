"""indexes of the dashboard's aggregations (reports)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_ACCESS = ["owner_id", "confidential", "department_id", "department_level"]
INDEXES = {
    "ix_contracts_report_overview": [
        "contract_type_code",
        "status",
        "department_id",
        "currency",
        "deleted_at",
        "amount",
        "signed_date",
        "expiry_date",
        "owner_id",
        "confidential",
        "department_level",
    ],
    "ix_contracts_report_signed": ["signed_date", "currency", "deleted_at", "amount", *_ACCESS],
    "ix_contracts_report_created": ["created_at", "currency", "deleted_at", "amount", *_ACCESS],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "contracts", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="contracts")
