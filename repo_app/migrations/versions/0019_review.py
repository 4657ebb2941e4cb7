"""review: comments anchored to version text, the clause checklist and its findings, periodic reviews

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("routing_rules") as batch:
        batch.add_column(sa.Column("fact", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("fact_min", sa.Integer(), nullable=True))
    op.create_table(
        "review_checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_type_code", sa.String(length=40), nullable=True),
        sa.Column("name_zh", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("patterns", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_type_code"],
            ["contract_types.code"],
            name=op.f("fk_review_checklist_items_contract_type_code_contract_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_checklist_items")),
    )
    with op.batch_alter_table("review_checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_checklist_items_contract_type_code"), ["contract_type_code"], unique=False
        )

    op.create_table(
        "review_intervals",
        sa.Column("contract_type_code", sa.String(length=40), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_type_code"],
            ["contract_types.code"],
            name=op.f("fk_review_intervals_contract_type_code_contract_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_type_code", name=op.f("pk_review_intervals")),
    )
    op.create_table(
        "review_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_review_outcomes_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_review_outcomes_reviewer_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_outcomes")),
    )
    with op.batch_alter_table("review_outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_outcomes_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "review_schedules",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_review_schedules_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_review_schedules")),
    )
    with op.batch_alter_table("review_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_schedules_due_on"), ["due_on"], unique=False)

    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("origin_version_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("start_offset", sa.Integer(), nullable=True),
        sa.Column("end_offset", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outdated", sa.Boolean(), nullable=False),
        sa.Column("mentions", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_review_comments_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_review_comments_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["origin_version_id"],
            ["contract_versions.id"],
            name=op.f("fk_review_comments_origin_version_id_contract_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["review_comments.id"],
            name=op.f("fk_review_comments_parent_id_review_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_review_comments_resolved_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_versions.id"],
            name=op.f("fk_review_comments_version_id_contract_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
    )
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_comments_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_comments_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_comments_version_id"), ["version_id"], unique=False)

    op.create_table(
        "review_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_review_findings_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["review_checklist_items.id"],
            name=op.f("fk_review_findings_item_id_review_checklist_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_versions.id"],
            name=op.f("fk_review_findings_version_id_contract_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_findings")),
    )
    with op.batch_alter_table("review_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_findings_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_findings_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_findings_version_id"))
        batch_op.drop_index(batch_op.f("ix_review_findings_contract_id"))

    op.drop_table("review_findings")
    with op.batch_alter_table("review_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_comments_version_id"))
        batch_op.drop_index(batch_op.f("ix_review_comments_parent_id"))
        batch_op.drop_index(batch_op.f("ix_review_comments_contract_id"))

    op.drop_table("review_comments")
    with op.batch_alter_table("review_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_schedules_due_on"))

    op.drop_table("review_schedules")
    with op.batch_alter_table("review_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_outcomes_contract_id"))

    op.drop_table("review_outcomes")
    op.drop_table("review_intervals")
    with op.batch_alter_table("review_checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_checklist_items_contract_type_code"))

    op.drop_table("review_checklist_items")
    with op.batch_alter_table("routing_rules") as batch:
        batch.drop_column("fact_min")
        batch.drop_column("fact")
