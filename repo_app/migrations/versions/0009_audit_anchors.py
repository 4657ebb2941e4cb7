"""audit anchors: RFC 3161 timestamps of the audit chain's head

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("tsa_url", sa.String(length=500), nullable=False),
        sa.Column("timestamped_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("scheduled_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
        sa.UniqueConstraint("scheduled_day", name=op.f("uq_audit_anchors_scheduled_day")),
    )
    with op.batch_alter_table("audit_anchors") as batch:
        batch.create_index(batch.f("ix_audit_anchors_seq"), ["seq"], unique=False)


def downgrade() -> None:
    op.drop_table("audit_anchors")
