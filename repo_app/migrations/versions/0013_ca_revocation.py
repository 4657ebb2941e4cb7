"""the internal CA's revoked certificates and published CRLs

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ca_revocations",
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("serial", name=op.f("pk_ca_revocations")),
    )
    op.create_index(op.f("ix_ca_revocations_email"), "ca_revocations", ["email"], unique=False)
    op.create_table(
        "ca_crls",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("this_update", sa.DateTime(), nullable=False),
        sa.Column("next_update", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_ca_crls")),
    )


def downgrade() -> None:
    op.drop_table("ca_crls")
    op.drop_index(op.f("ix_ca_revocations_email"), table_name="ca_revocations")
    op.drop_table("ca_revocations")
