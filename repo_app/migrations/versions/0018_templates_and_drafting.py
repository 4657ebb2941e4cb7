"""templates, clause library, drafted contracts; four more contract types

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: Types the starter templates need beyond those seeded by 0001 (placed before "other").
NEW_TYPES = [
    ("tech_development", "技术开发合同", "Technology development"),
    ("loan", "借款合同", "Loan"),
    ("construction", "建设工程合同", "Construction"),
    ("agency", "委托代理合同", "Agency"),
]


def upgrade() -> None:
    op.create_table(
        "clauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_clauses_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clauses")),
        sa.UniqueConstraint("key", "version", name="uq_clauses_key_version"),
    )
    op.create_index(op.f("ix_clauses_key"), "clauses", ["key"])
    op.create_table(
        "templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starter_key", sa.String(length=60), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("contract_type_code", sa.String(length=40), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_type_code"], ["contract_types.code"], name=op.f("fk_templates_contract_type_code_contract_types")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_templates_department_id_departments")
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_templates_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_templates_name")),
        sa.UniqueConstraint("starter_key", name=op.f("uq_templates_starter_key")),
    )
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("blob_key", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("clause_versions", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            name=op.f("fk_template_versions_template_id_templates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_template_versions_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_versions")),
        sa.UniqueConstraint("template_id", "number", name="uq_template_versions_template_number"),
    )
    op.create_table(
        "drafted_contracts",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("template_version_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_drafted_contracts_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["template_versions.id"],
            name=op.f("fk_drafted_contracts_template_version_id_template_versions"),
        ),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["users.id"], name=op.f("fk_drafted_contracts_drafted_by_id_users")),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_drafted_contracts")),
    )
    op.create_index(op.f("ix_drafted_contracts_template_version_id"), "drafted_contracts", ["template_version_id"])
    _add_contract_types()


def _add_contract_types() -> None:
    bind = op.get_bind()
    types = sa.table(
        "contract_types", sa.column("code"), sa.column("name_zh"), sa.column("name_en"), sa.column("position")
    )
    existing = set(bind.scalars(sa.select(types.c.code)))
    other = bind.scalar(sa.select(types.c.position).where(types.c.code == "other"))
    base = other if other is not None else 100
    bind.execute(types.update().where(types.c.code == "other").values(position=base + len(NEW_TYPES)))
    rows = [
        {"code": code, "name_zh": zh, "name_en": en, "position": base + index}
        for index, (code, zh, en) in enumerate(NEW_TYPES)
        if code not in existing
    ]
    if rows:
        op.bulk_insert(types, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_drafted_contracts_template_version_id"), table_name="drafted_contracts")
    op.drop_table("drafted_contracts")
    op.drop_table("template_versions")
    op.drop_table("templates")
    op.drop_index(op.f("ix_clauses_key"), table_name="clauses")
    op.drop_table("clauses")
    types = sa.table("contract_types", sa.column("code"))
    codes = [code for code, _zh, _en in NEW_TYPES]
    op.execute(types.delete().where(types.c.code.in_(codes)))
