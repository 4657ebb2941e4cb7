"""lifecycle, approval workflows and notifications

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

Contract terms (auto-renewal, notice, termination), milestones, watchers; workflow
definitions, routing rules and running approvals; notifications, preferences, the delivery
outbox, webhook endpoints and the ledgers that make reminders and digests go out once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_state")),
    )
    op.create_table(
        "workflows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflows")),
        sa.UniqueConstraint("name", name=op.f("uq_workflows_name")),
    )
    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("workflow_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("contract_type_code", sa.String(length=40), nullable=True),
        sa.Column("min_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("max_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("counterparty", sa.String(length=255), nullable=True),
        sa.Column("tag", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_type_code"],
            ["contract_types.code"],
            name=op.f("fk_routing_rules_contract_type_code_contract_types"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_routing_rules_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name=op.f("fk_routing_rules_workflow_id_workflows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    with op.batch_alter_table("routing_rules") as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_rules_position"), ["position"], unique=False)

    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email_approvals", sa.Boolean(), nullable=False),
        sa.Column("email_reminders", sa.Boolean(), nullable=False),
        sa.Column("email_status", sa.Boolean(), nullable=False),
        sa.Column("daily_digest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "sent_digests",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sent_digests_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_sent_digests")),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("events", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_webhook_endpoints_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_table(
        "workflow_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("sla_hours", sa.Integer(), nullable=True),
        sa.Column("escalate_to_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["escalate_to_id"], ["users.id"], name=op.f("fk_workflow_levels_escalate_to_id_users")),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name=op.f("fk_workflow_levels_workflow_id_workflows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_levels")),
    )
    with op.batch_alter_table("workflow_levels") as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_levels_workflow_id"), ["workflow_id"], unique=False)

    op.create_table(
        "contract_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("remind_days", sa.String(length=60), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_milestones_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_contract_milestones_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"], name=op.f("fk_contract_milestones_done_by_id_users")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_contract_milestones_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_milestones")),
    )
    with op.batch_alter_table("contract_milestones") as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_milestones_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_milestones_due_date"), ["due_date"], unique=False)

    op.create_table(
        "contract_terms",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("renewal_months", sa.Integer(), nullable=True),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("notice_given_on", sa.Date(), nullable=True),
        sa.Column("notice_given_by_id", sa.Integer(), nullable=True),
        sa.Column("renewals", sa.Integer(), nullable=False),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=True),
        sa.Column("termination_agreement_id", sa.Integer(), nullable=True),
        sa.Column("terminated_by_id", sa.Integer(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_contract_terms_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notice_given_by_id"], ["users.id"], name=op.f("fk_contract_terms_notice_given_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["terminated_by_id"], ["users.id"], name=op.f("fk_contract_terms_terminated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["termination_agreement_id"],
            ["contracts.id"],
            name=op.f("fk_contract_terms_termination_agreement_id_contracts"),
        ),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_contract_terms")),
    )
    op.create_table(
        "contract_watchers",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_watchers_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_contract_watchers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("contract_id", "user_id", name=op.f("pk_contract_watchers")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_notifications_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_notifications_user_unread", ["user_id", "read_at"], unique=False)

    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("occurrence", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_sent_reminders_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint("contract_id", "rule", "occurrence", name="uq_sent_reminders_occurrence"),
    )
    op.create_table(
        "workflow_level_approvers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["workflow_levels.id"],
            name=op.f("fk_workflow_level_approvers_level_id_workflow_levels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_workflow_level_approvers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_level_approvers")),
    )
    with op.batch_alter_table("workflow_level_approvers") as batch_op:
        batch_op.create_index(batch_op.f("ix_workflow_level_approvers_level_id"), ["level_id"], unique=False)

    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("workflow_names", sa.String(length=400), nullable=False),
        sa.Column("routing", sa.JSON(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("restarted_from_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_approvals_contract_id_contracts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["restarted_from_id"], ["approvals.id"], name=op.f("fk_approvals_restarted_from_id_approvals")
        ),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["users.id"], name=op.f("fk_approvals_submitted_by_id_users")),
        sa.ForeignKeyConstraint(
            ["version_id"], ["contract_versions.id"], name=op.f("fk_approvals_version_id_contract_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    with op.batch_alter_table("approvals") as batch_op:
        batch_op.create_index(batch_op.f("ix_approvals_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_approvals_status"), ["status"], unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("endpoint_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_deliveries_notification_id_notifications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_deliveries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.create_index("ix_deliveries_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_deliveries_endpoint_id"), ["endpoint_id"], unique=False)

    op.create_table(
        "approval_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("sla_hours", sa.Integer(), nullable=True),
        sa.Column("escalate_to_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approval_id"], ["approvals.id"], name=op.f("fk_approval_steps_approval_id_approvals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["escalate_to_id"], ["users.id"], name=op.f("fk_approval_steps_escalate_to_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_steps")),
        sa.UniqueConstraint("approval_id", "position", name="uq_approval_steps_position"),
    )
    with op.batch_alter_table("approval_steps") as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_steps_approval_id"), ["approval_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_approval_steps_status"), ["status"], unique=False)

    op.create_table(
        "approval_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("origin_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["origin_user_id"], ["users.id"], name=op.f("fk_approval_assignments_origin_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["approval_steps.id"],
            name=op.f("fk_approval_assignments_step_id_approval_steps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_approval_assignments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_assignments")),
    )
    with op.batch_alter_table("approval_assignments") as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_assignments_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_approval_assignments_step_id"), ["step_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_approval_assignments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "approval_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=14), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("target_user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approvals.id"],
            name=op.f("fk_approval_decisions_approval_id_approvals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["approval_steps.id"],
            name=op.f("fk_approval_decisions_step_id_approval_steps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_user_id"], ["users.id"], name=op.f("fk_approval_decisions_target_user_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_approval_decisions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_decisions")),
    )
    with op.batch_alter_table("approval_decisions") as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_decisions_approval_id"), ["approval_id"], unique=False)


def downgrade() -> None:
    for table in (
        "approval_decisions",
        "approval_assignments",
        "approval_steps",
        "deliveries",
        "approvals",
        "workflow_level_approvers",
        "sent_reminders",
        "notifications",
        "contract_watchers",
        "contract_terms",
        "contract_milestones",
        "workflow_levels",
        "webhook_endpoints",
        "sent_digests",
        "notification_preferences",
        "routing_rules",
        "workflows",
        "scheduler_state",
    ):
        op.drop_table(table)
