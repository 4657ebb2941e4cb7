"""signing

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Signature validation reports, seal images and signing requests.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature_validations",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("signature_count", sa.Integer(), nullable=False),
        sa.Column("overall", sa.String(length=20), nullable=True),
        sa.Column("validated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["contract_versions.id"],
            name=op.f("fk_signature_validations_version_id_contract_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_signature_validations")),
    )
    op.create_table(
        "seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_seals_owner_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seals")),
    )
    with op.batch_alter_table("seals") as batch:
        batch.create_index(batch.f("ix_seals_owner_id"), ["owner_id"], unique=False)
    op.create_table(
        "signing_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_signing_requests_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_signing_requests_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_requests")),
    )
    with op.batch_alter_table("signing_requests") as batch:
        batch.create_index(batch.f("ix_signing_requests_contract_id"), ["contract_id"], unique=False)
    op.create_table(
        "signing_request_signers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signed_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["signing_requests.id"],
            name=op.f("fk_signing_request_signers_request_id_signing_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_version_id"],
            ["contract_versions.id"],
            name=op.f("fk_signing_request_signers_signed_version_id_contract_versions"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_signing_request_signers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_request_signers")),
        sa.UniqueConstraint("request_id", "position", name="uq_signing_request_signers_position"),
    )
    with op.batch_alter_table("signing_request_signers") as batch:
        batch.create_index(batch.f("ix_signing_request_signers_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("signing_request_signers")
    op.drop_table("signing_requests")
    op.drop_table("seals")
    op.drop_table("signature_validations")
