"""money: the counterparty directory, payment plans, instalments and payments

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("counterparties") as batch:
        batch.add_column(sa.Column("name_en", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("name_key", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("credit_code", sa.String(length=18), nullable=True))
        batch.add_column(sa.Column("registration_no", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("address", sa.Text(), nullable=True))
        batch.add_column(sa.Column("contacts", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("bank_account", sa.Text(), nullable=True))
        batch.add_column(sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("notes", sa.Text(), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
        batch.create_index(batch.f("ix_counterparties_name_key"), ["name_key"], unique=False)
        batch.create_unique_constraint(batch.f("uq_counterparties_credit_code"), ["credit_code"])
    _fill_name_keys()
    op.create_table(
        "payment_plans",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_payment_plans_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_payment_plans")),
    )
    op.create_table(
        "instalments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_rule", sa.String(length=12), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("percent", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_instalments_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["contract_milestones.id"],
            name=op.f("fk_instalments_milestone_id_contract_milestones"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instalments")),
    )
    op.create_index(op.f("ix_instalments_contract_id"), "instalments", ["contract_id"], unique=False)
    op.create_index(op.f("ix_instalments_settled_on"), "instalments", ["settled_on"], unique=False)
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("instalment_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("overpaid", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("receipt_key", sa.String(length=200), nullable=True),
        sa.Column("receipt_name", sa.String(length=255), nullable=True),
        sa.Column("receipt_type", sa.String(length=120), nullable=True),
        sa.Column("receipt_size", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reversed_at", sa.DateTime(), nullable=True),
        sa.Column("reversed_by_id", sa.Integer(), nullable=True),
        sa.Column("reversal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_payments_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["instalment_id"], ["instalments.id"], name=op.f("fk_payments_instalment_id_instalments")
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_payments_recorded_by_id_users")),
        sa.ForeignKeyConstraint(["reversed_by_id"], ["users.id"], name=op.f("fk_payments_reversed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_contract_id"), "payments", ["contract_id"], unique=False)
    op.create_index(op.f("ix_payments_instalment_id"), "payments", ["instalment_id"], unique=False)


def _fill_name_keys() -> None:
    """The duplicate-check key of every existing counterparty (the model keeps it up to date later)."""
    from repo_app.contracts.party_names import name_key

    table = sa.table(
        "counterparties",
        sa.column("id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("name_key", sa.String()),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(table.c.id, table.c.name)).all():
        bind.execute(table.update().where(table.c.id == row.id).values(name_key=name_key(row.name)))


def downgrade() -> None:
    op.drop_table("payments")
    op.drop_table("instalments")
    op.drop_table("payment_plans")
    with op.batch_alter_table("counterparties") as batch:
        batch.drop_constraint(batch.f("uq_counterparties_credit_code"), type_="unique")
        batch.drop_index(batch.f("ix_counterparties_name_key"))
        for name in (
            "created_at",
            "external_id",
            "notes",
            "tags",
            "bank_account",
            "contacts",
            "address",
            "registration_no",
            "credit_code",
            "name_key",
            "name_en",
        ):
            batch.drop_column(name)
