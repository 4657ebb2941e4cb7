"""contract relations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Links an amendment, supplementary agreement, renewal, termination agreement or sub-contract
to its parent contract.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("relation", sa.String(length=20), nullable=True))
        batch.create_foreign_key(batch.f("fk_contracts_parent_id_contracts"), "contracts", ["parent_id"], ["id"])
        batch.create_index(batch.f("ix_contracts_parent_id"), ["parent_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.drop_index(batch.f("ix_contracts_parent_id"))
        batch.drop_constraint(batch.f("fk_contracts_parent_id_contracts"), type_="foreignkey")
        batch.drop_column("relation")
        batch.drop_column("parent_id")
