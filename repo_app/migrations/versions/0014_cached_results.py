"""results of heavy work (large comparisons, report PDFs) kept by a hash of their inputs

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cached_results",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_cached_results")),
    )
    op.create_index(op.f("ix_cached_results_contract_id"), "cached_results", ["contract_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cached_results_contract_id"), table_name="cached_results")
    op.drop_table("cached_results")
