"""access lists

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Per-contract access lists (grants to users, departments, groups), confidential contracts,
the department's access level, and user groups.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_groups_name")),
    )
    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_group_members_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_group_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_members")),
    )
    op.create_table(
        "contract_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("grantee_type", sa.String(length=12), nullable=False),
        sa.Column("grantee_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_contract_grants_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["granted_by_id"], ["users.id"], name=op.f("fk_contract_grants_granted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_grants")),
        sa.UniqueConstraint("contract_id", "grantee_type", "grantee_id", name="uq_contract_grants_grantee"),
    )
    with op.batch_alter_table("contract_grants") as batch:
        batch.create_index(batch.f("ix_contract_grants_contract_id"), ["contract_id"], unique=False)
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("department_level", sa.String(length=10), nullable=True, server_default="read"))


def downgrade() -> None:
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("department_level")
        batch.drop_column("confidential")
    op.drop_table("contract_grants")
    op.drop_table("group_members")
    op.drop_table("groups")
