"""saved reports of the report builder and the ledger of their scheduled e-mails

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("shared_roles", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.String(length=10), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_saved_reports_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_reports")),
    )
    op.create_index(op.f("ix_saved_reports_owner_id"), "saved_reports", ["owner_id"])
    op.create_table(
        "sent_reports",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["saved_reports.id"],
            name=op.f("fk_sent_reports_report_id_saved_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sent_reports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("report_id", "period", "user_id", name=op.f("pk_sent_reports")),
    )


def downgrade() -> None:
    op.drop_table("sent_reports")
    op.drop_index(op.f("ix_saved_reports_owner_id"), table_name="saved_reports")
    op.drop_table("saved_reports")
