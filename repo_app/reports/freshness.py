"""What "nothing has changed" means for kept figures and files: the last audited change.

Every change to a contract, its money, its approvals or a user's access is audited, so the
sequence number of the newest audit event that is not a mere read tells whether anything a
report, an export or the dashboard counts may differ from when it was made.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..core.audit.models import AuditEvent
from ..core.extensions import db

#: Audit actions that change nothing counted (reads, exports, signing in and out, saved report
#: definitions). Any other action counts as a change: an action missing here only costs a count.
NOT_CHANGES = (
    "report.export",
    "audit.export",
    "contract.view",
    "version.download",
    "version.preview",
    "signature.validate_upload",
    "version.compare",
    "signature.report",
    "contract.watch",
    "contract.unwatch",
    "auth.login",
    "auth.login_failed",
    "auth.login_throttled",
    "auth.logout",
    "auth.logout_everywhere",
    "report.builder_export",
    "report.saved_create",
    "report.saved_update",
    "report.saved_delete",
    "report.scheduled_sent",
)


def data_bound() -> int:
    """The sequence number of the last audited change (0: none yet)."""
    query = select(func.max(AuditEvent.seq)).where(AuditEvent.action.not_in(NOT_CHANGES))
    return int(db.session.scalar(query) or 0)
