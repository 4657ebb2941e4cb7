"""retention and legal hold

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Retention per contract type (years kept after expiry) and legal holds on contracts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contract_types") as batch:
        batch.add_column(sa.Column("retention_years", sa.Integer(), nullable=True))
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("legal_hold_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("legal_hold_reason")
        batch.drop_column("legal_hold")
    with op.batch_alter_table("contract_types") as batch:
        batch.drop_column("retention_years")
