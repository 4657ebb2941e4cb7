"""results made for one user (audit-trail PDFs); OCR of big scans in batches that resume

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cached_results") as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
    op.create_table(
        "extraction_batches",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("first_page", sa.Integer(), nullable=False),
        sa.Column("next_page", sa.Integer(), nullable=False),
        sa.Column("total_pages", sa.Integer(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("ocr_pages", sa.Integer(), nullable=False),
        sa.Column("ocr_used", sa.Integer(), nullable=False),
        sa.Column("ocr_skipped", sa.Integer(), nullable=False),
        sa.Column("ocr_seconds", sa.Float(), nullable=False),
        sa.Column("ocr_texts", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_versions.id"],
            name=op.f("fk_extraction_batches_version_id_contract_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "first_page", name=op.f("pk_extraction_batches")),
    )


def downgrade() -> None:
    op.drop_table("extraction_batches")
    with op.batch_alter_table("cached_results") as batch:
        batch.drop_column("owner_id")
