"""Imports every model module so the metadata knows all tables (for Alembic and tests)."""

from __future__ import annotations

from .auth.models import ApiToken, Group, LoginAttempt, User, group_members
from .contracts.field_models import ContractFieldValue, CustomField
from .contracts.models import (
    Contract,
    ContractGrant,
    ContractParty,
    ContractType,
    ContractVersion,
    Counterparty,
    Department,
    Tag,
    VersionText,
    contract_tags,
)
from .core.audit.models import AuditAnchor, AuditEvent, AuditHead
from .core.results import CachedResult
from .drafting.models import Clause, DraftedContract, Template, TemplateVersion
from .lifecycle.models import ContractTerms, ContractWatcher, Milestone, SchedulerState
from .money.invoice_models import Invoice
from .money.models import Instalment, Payment, PaymentPlan
from .money.statement_models import StatementImport, StatementRow
from .notifications.models import (
    Delivery,
    Notification,
    NotificationPreference,
    SentDigest,
    SentReminder,
    WebhookEndpoint,
)
from .review.models import (
    ChecklistItem,
    PeriodicReview,
    ReviewComment,
    ReviewFinding,
    ReviewInterval,
    ReviewSchedule,
)
from .search.models import ExtractionBatch, SavedSearch
from .signing.models import Seal, SignatureValidation, SigningRequest, SigningRequestSigner
from .workflows.models import (
    Approval,
    ApprovalAssignment,
    ApprovalDecision,
    ApprovalStep,
    LevelApprover,
    RoutingRule,
    Workflow,
    WorkflowLevel,
)

__all__ = [
    "ApiToken",
    "AuditAnchor",
    "AuditEvent",
    "AuditHead",
    "CachedResult",
    "Clause",
    "DraftedContract",
    "Template",
    "TemplateVersion",
    "Contract",
    "ContractFieldValue",
    "ContractGrant",
    "CustomField",
    "ContractParty",
    "ContractType",
    "ContractVersion",
    "Counterparty",
    "Department",
    "Group",
    "LoginAttempt",
    "SavedSearch",
    "Seal",
    "SignatureValidation",
    "SigningRequest",
    "SigningRequestSigner",
    "Tag",
    "User",
    "VersionText",
    "contract_tags",
    "group_members",
    # lifecycle, workflows, notifications, money
    "Instalment",
    "Invoice",
    "Payment",
    "PaymentPlan",
    "StatementImport",
    "StatementRow",
    "Approval",
    "ApprovalAssignment",
    "ApprovalDecision",
    "ApprovalStep",
    "ContractTerms",
    "ContractWatcher",
    "ExtractionBatch",
    "Delivery",
    "LevelApprover",
    "Milestone",
    "Notification",
    "NotificationPreference",
    "RoutingRule",
    "SchedulerState",
    "SentDigest",
    "SentReminder",
    "WebhookEndpoint",
    "Workflow",
    "WorkflowLevel",
    # review
    "ChecklistItem",
    "PeriodicReview",
    "ReviewComment",
    "ReviewFinding",
    "ReviewInterval",
    "ReviewSchedule",
]
