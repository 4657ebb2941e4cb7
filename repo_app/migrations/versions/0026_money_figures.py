"""instalments keep what was paid towards them; contract parties indexed in their order

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "instalments", sa.Column("paid_amount", sa.Numeric(precision=18, scale=2), server_default="0", nullable=False)
    )
    op.execute(
        "UPDATE instalments SET paid_amount = COALESCE((SELECT SUM(payments.amount) FROM payments"
        " WHERE payments.instalment_id = instalments.id AND payments.reversed_at IS NULL), 0)"
    )

    op.create_index("ix_contract_parties_order", "contract_parties", ["contract_id", "position", "counterparty_id"])


def downgrade() -> None:
    op.drop_index("ix_contract_parties_order", table_name="contract_parties")
    # a plain ALTER TABLE (SQLite 3.35+): a batch copy of the table would break the payments'
    # foreign keys
    op.drop_column("instalments", "paid_amount")
