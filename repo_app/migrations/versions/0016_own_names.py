"""the organisation's own names (never suggested as a counterparty)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "own_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_names")),
        sa.UniqueConstraint("name", name=op.f("uq_own_names_name")),
    )


def downgrade() -> None:
    op.drop_table("own_names")
