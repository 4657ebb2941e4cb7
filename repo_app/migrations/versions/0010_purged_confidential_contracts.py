"""purged confidential contracts: their audit events stay admin-only

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purged_confidential_contracts",
        sa.Column("contract_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_purged_confidential_contracts")),
    )


def downgrade() -> None:
    op.drop_table("purged_confidential_contracts")
