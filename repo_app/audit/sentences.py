"""The audit trail in sentences: every action code read as what a person did.

Each code has a short label (for the action filter) and a sentence template with named
placeholders: ``actor`` (display name), ``contract`` (its title, a link when the reader may
open it), ``version`` (number), ``target`` (the account acted on), ``renewal`` (another
contract) and any key of the event's details. A code without a template (one added later)
still reads as a sentence. The exports keep the codes: machines read those.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

#: code → (short label, sentence)
ACTIONS: dict[str, tuple[LazyString, LazyString]] = {
    # accounts and sign-in
    "auth.login": (_l("Sign-in"), _l("%(actor)s signed in")),
    "auth.logout": (_l("Sign-out"), _l("%(actor)s signed out")),
    "auth.logout_everywhere": (
        _l("Sign-out on every device"),
        _l("%(actor)s signed out on every device (%(sessions_ended)s sessions ended)"),
    ),
    "auth.login_failed": (_l("Failed sign-in"), _l("Failed sign-in attempt for %(email)s")),
    "auth.login_throttled": (
        _l("Sign-in blocked"),
        _l("Sign-in for %(email)s was blocked after too many attempts"),
    ),
    "auth.password_change": (_l("Password change"), _l("%(actor)s changed their password")),
    "auth.password_change_refused": (
        _l("Password change refused"),
        _l("%(actor)s tried to change their password, but the current password was wrong"),
    ),
    "auth.password_reset_requested": (
        _l("Password reset requested"),
        _l("A password reset was requested for %(email)s"),
    ),
    "auth.password_reset_throttled": (
        _l("Password reset blocked"),
        _l("Password reset requests for %(email)s were blocked (too many)"),
    ),
    "auth.password_reset_by_link": (
        _l("Password set with a reset link"),
        _l("%(actor)s set a new password with a reset link"),
    ),
    "auth.authenticator_added": (_l("Two-step sign-in on"), _l("%(actor)s turned on two-step sign-in")),
    "auth.authenticator_removed": (_l("Two-step sign-in off"), _l("%(actor)s turned off two-step sign-in")),
    "user.create": (_l("Account created"), _l("%(actor)s created the account %(target)s (role: %(role)s)")),
    "user.role_change": (
        _l("Role changed"),
        _l("%(actor)s changed the role of %(target)s from %(old)s to %(new)s"),
    ),
    "user.activate": (_l("Account activated"), _l("%(actor)s activated the account %(target)s")),
    "user.deactivate": (_l("Account deactivated"), _l("%(actor)s deactivated the account %(target)s")),
    "user.department_change": (_l("Department changed"), _l("%(actor)s moved %(target)s to another department")),
    "user.password_reset": (_l("Password reset by an administrator"), _l("%(actor)s reset the password of %(target)s")),
    "user.password_reset_link": (
        _l("Password reset link made"),
        _l("%(actor)s made a password reset link for %(target)s"),
    ),
    "token.create": (_l("API token created"), _l("%(actor)s created the API token %(name)s")),
    "token.revoke": (_l("API token revoked"), _l("%(actor)s revoked the API token %(name)s")),
    # organisation
    "department.save": (_l("Department saved"), _l("%(actor)s saved a department")),
    "group.create": (_l("Group created"), _l("%(actor)s created the group %(name)s")),
    "group.member_add": (_l("Group member added"), _l("%(actor)s added %(target)s to a group")),
    "group.member_remove": (_l("Group member removed"), _l("%(actor)s removed %(target)s from a group")),
    "contract_type.save": (_l("Contract type saved"), _l("%(actor)s saved the contract type %(code)s")),
    "custom_field.save": (_l("Custom field saved"), _l("%(actor)s saved the custom field %(key)s")),
    "custom_field.retire": (_l("Custom field retired"), _l("%(actor)s retired the custom field %(key)s")),
    "custom_field.restore": (_l("Custom field restored"), _l("%(actor)s brought back the custom field %(key)s")),
    "organisation.own_names_change": (
        _l("Own names changed"),
        _l("%(actor)s changed the names that mark our side of a contract from %(old)s to %(new)s"),
    ),
    # contracts
    "contract.create": (_l("Contract uploaded"), _l("%(actor)s uploaded %(contract)s")),
    "contract.view": (_l("Contract viewed"), _l("%(actor)s viewed %(contract)s")),
    "contract.update": (_l("Details changed"), _l("%(actor)s changed the details of %(contract)s")),
    "contract.trash": (_l("Moved to the trash"), _l("%(actor)s moved %(contract)s to the trash")),
    "contract.restore": (_l("Restored from the trash"), _l("%(actor)s restored %(contract)s from the trash")),
    "contract.purge": (_l("Deleted for good"), _l("%(actor)s deleted %(contract)s for good")),
    "contract.share": (_l("Access changed"), _l("%(actor)s changed who may access %(contract)s")),
    "contract.access": (_l("Access granted"), _l("%(grantee)s was given access to %(contract)s (%(why)s)")),
    "contract.status": (
        _l("Status changed"),
        _l("%(actor)s changed the status of %(contract)s from %(old)s to %(new)s"),
    ),
    "contract.terms": (_l("Term changed"), _l("%(actor)s changed the term of %(contract)s")),
    "contract.notice": (_l("Notice given"), _l("%(actor)s gave notice on %(contract)s")),
    "contract.renew": (_l("Renewed"), _l("%(actor)s renewed %(contract)s as %(renewal)s")),
    "contract.auto_renew": (
        _l("Renewed automatically"),
        _l("%(contract)s was renewed automatically until %(new_expiry)s"),
    ),
    "contract.terminate": (_l("Terminated"), _l("%(actor)s terminated %(contract)s")),
    "contract.watch": (_l("Following"), _l("%(actor)s started following %(contract)s")),
    "contract.unwatch": (_l("Not following"), _l("%(actor)s stopped following %(contract)s")),
    "contract.legal_hold": (_l("Legal hold"), _l("%(actor)s put %(contract)s on legal hold")),
    "contract.legal_hold_release": (_l("Legal hold released"), _l("%(actor)s released the legal hold on %(contract)s")),
    "contract.relate": (_l("Related contracts changed"), _l("%(actor)s changed the related contracts of %(contract)s")),
    "contract.sign": (
        _l("Signed"),
        _l("%(actor)s signed %(contract)s (PAdES %(level)s), which made version %(version)s"),
    ),
    "contract.sign_refused": (
        _l("Signing refused"),
        _l("%(actor)s could not sign %(contract)s: the password or code was wrong"),
    ),
    # versions
    "version.create": (_l("Version uploaded"), _l("%(actor)s uploaded version %(number)s of %(contract)s")),
    "version.preview": (_l("Version previewed"), _l("%(actor)s previewed %(contract)s, version %(number)s")),
    "version.download": (_l("Version downloaded"), _l("%(actor)s downloaded %(contract)s, version %(number)s")),
    "version.compare": (_l("Versions compared"), _l("%(actor)s compared versions %(old)s and %(new)s of %(contract)s")),
    "version.reprocess": (
        _l("Text extracted again"),
        _l("%(actor)s had the text of %(contract)s, version %(version)s, extracted again"),
    ),
    "version.restore": (
        _l("Version restored"),
        _l("%(actor)s restored an earlier version of %(contract)s as version %(number)s"),
    ),
    "milestone.create": (_l("Milestone added"), _l("%(actor)s added the milestone %(title)s to %(contract)s")),
    "milestone.done": (_l("Milestone done"), _l("%(actor)s marked the milestone %(title)s of %(contract)s as done")),
    "milestone.reopen": (_l("Milestone reopened"), _l("%(actor)s reopened the milestone %(title)s of %(contract)s")),
    "milestone.delete": (_l("Milestone deleted"), _l("%(actor)s deleted the milestone %(title)s of %(contract)s")),
    # signatures
    "signature.report": (
        _l("Signature report read"),
        _l("%(actor)s read the signature report of %(contract)s, version %(version)s"),
    ),
    "signature.validate_upload": (
        _l("Outside PDF validated"),
        _l("%(actor)s validated the signatures of the outside file %(filename)s: %(overall)s"),
    ),
    "signing_request.create": (_l("Signing requested"), _l("%(actor)s asked people to sign %(contract)s")),
    "signing_request.complete": (_l("Signing request complete"), _l("Everyone asked has signed %(contract)s")),
    "signing_request.cancel": (
        _l("Signing request cancelled"),
        _l("%(actor)s cancelled the signing request of %(contract)s"),
    ),
    "seal.create": (_l("Seal uploaded"), _l("%(actor)s uploaded a seal image")),
    "ca.crl_publish": (_l("Revocation list published"), _l("The internal CA published revocation list no. %(number)s")),
    "ca.certificate_revoke": (
        _l("Certificate revoked"),
        _l("%(actor)s revoked the certificate of %(subject_email)s (%(reason)s)"),
    ),
    # approvals
    "approval.submit": (_l("Submitted for approval"), _l("%(actor)s submitted %(contract)s for approval")),
    "approval.restart": (_l("Approval restarted"), _l("%(actor)s restarted the approval of %(contract)s")),
    "approval.decide": (_l("Approval decision"), _l("%(actor)s decided on %(contract)s: %(decision)s")),
    "approval.complete": (_l("Approval complete"), _l("The approval of %(contract)s is complete")),
    "approval.withdraw": (_l("Approval withdrawn"), _l("%(actor)s withdrew %(contract)s from approval")),
    "approval.supersede": (
        _l("Approval replaced"),
        _l("The approval of %(contract)s was replaced by one of version %(new_version)s"),
    ),
    "approval.escalate": (
        _l("Approval escalated"),
        _l("The approval of %(contract)s was escalated to %(escalated_to)s"),
    ),
    "workflow.create": (_l("Workflow created"), _l("%(actor)s created the approval workflow %(name)s")),
    "workflow.update": (_l("Workflow changed"), _l("%(actor)s changed the approval workflow %(name)s")),
    "workflow.delete": (_l("Workflow deleted"), _l("%(actor)s deleted the approval workflow %(name)s")),
    "workflow.level_create": (_l("Approval level added"), _l("%(actor)s added the approval level %(level)s")),
    "workflow.level_update": (_l("Approval level changed"), _l("%(actor)s changed the approval level %(level)s")),
    "workflow.level_delete": (_l("Approval level removed"), _l("%(actor)s removed the approval level %(level)s")),
    "workflow.level_move": (_l("Approval levels reordered"), _l("%(actor)s reordered the approval levels")),
    "routing.create": (_l("Routing rule created"), _l("%(actor)s created the routing rule %(name)s")),
    "routing.update": (_l("Routing rule changed"), _l("%(actor)s changed the routing rule %(name)s")),
    "routing.delete": (_l("Routing rule deleted"), _l("%(actor)s deleted the routing rule %(name)s")),
    "routing.move": (_l("Routing rules reordered"), _l("%(actor)s reordered the routing rules")),
    # templates and drafting
    "template.create": (_l("Template created"), _l("%(actor)s created the template %(name)s")),
    "template.update": (_l("Template changed"), _l("%(actor)s changed the details of the template %(name)s")),
    "template.file": (
        _l("Template file uploaded"),
        _l("%(actor)s uploaded a Word file for version %(version)s of the template %(name)s"),
    ),
    "template.variables": (
        _l("Template variables changed"),
        _l("%(actor)s changed the variables of version %(version)s of the template %(name)s"),
    ),
    "template.publish": (
        _l("Template published"),
        _l("%(actor)s published version %(version)s of the template %(name)s"),
    ),
    "template.retire": (_l("Template retired"), _l("%(actor)s retired the template %(name)s")),
    "template.reinstate": (_l("Template reinstated"), _l("%(actor)s reinstated the template %(name)s")),
    "template.from_contract": (
        _l("Contract saved as template"),
        _l("%(actor)s saved %(contract)s as the template %(name)s"),
    ),
    "clause.save": (
        _l("Clause saved"),
        _l("%(actor)s saved version %(version)s of the standard clause %(title)s"),
    ),
    "contract.drafted": (
        _l("Contract drafted"),
        _l("%(actor)s drafted %(contract)s from version %(template_version)s of the template %(template)s"),
    ),
    # search, notifications, the trail itself
    "search.save": (_l("Search saved"), _l("%(actor)s saved the search %(name)s")),
    "search.delete_saved": (_l("Saved search deleted"), _l("%(actor)s deleted the saved search %(name)s")),
    "notifications.preferences": (_l("Notification settings"), _l("%(actor)s changed their notification settings")),
    "webhook.create": (_l("Webhook added"), _l("%(actor)s added the webhook %(url)s")),
    "webhook.update": (_l("Webhook changed"), _l("%(actor)s changed the webhook %(url)s")),
    "webhook.delete": (_l("Webhook removed"), _l("%(actor)s removed the webhook %(url)s")),
    "delivery.retry": (_l("Delivery retried"), _l("%(actor)s sent a failed notification again")),
    "audit.export": (_l("Audit trail exported"), _l("%(actor)s exported the audit trail (%(format)s)")),
    "report.export": (
        _l("Contract ledger exported"),
        _l("%(actor)s exported the contract ledger (%(format)s, %(rows)s contracts)"),
    ),
    "report.saved_create": (_l("Report saved"), _l("%(actor)s saved the report %(name)s")),
    "report.saved_update": (_l("Saved report changed"), _l("%(actor)s changed the saved report %(name)s")),
    "report.saved_delete": (_l("Saved report deleted"), _l("%(actor)s deleted the saved report %(name)s")),
    "report.builder_export": (
        _l("Report exported"),
        _l("%(actor)s exported the report %(name)s (%(format)s, %(rows)s groups)"),
    ),
    "report.scheduled_sent": (
        _l("Scheduled report e-mailed"),
        _l("The report %(name)s was e-mailed to %(recipient)s for %(period)s"),
    ),
    "audit.verify": (_l("Audit chain verified"), _l("%(actor)s verified the audit chain (%(checked)s events checked)")),
    # money: the counterparty directory, payment plans, payments
    "counterparty.create": (_l("Counterparty added"), _l("%(actor)s added %(name)s to the counterparty directory")),
    "counterparty.update": (_l("Counterparty changed"), _l("%(actor)s changed the counterparty %(name)s")),
    "counterparty.merge": (
        _l("Counterparties merged"),
        _l("%(actor)s merged the counterparty %(other)s into %(name)s (its contracts moved)"),
    ),
    "money.direction": (_l("Payment direction set"), _l("%(actor)s set the payment direction of %(contract)s")),
    "instalment.create": (_l("Instalment added"), _l("%(actor)s added an instalment of %(amount)s to %(contract)s")),
    "instalment.update": (
        _l("Instalment changed"),
        _l("%(actor)s changed an instalment of %(contract)s to %(amount)s"),
    ),
    "instalment.delete": (
        _l("Instalment deleted"),
        _l("%(actor)s deleted an instalment of %(amount)s from %(contract)s"),
    ),
    "payment.record": (_l("Payment recorded"), _l("%(actor)s recorded a payment of %(amount)s for %(contract)s")),
    "payment.reverse": (
        _l("Payment reversed"),
        _l("%(actor)s reversed a payment of %(amount)s for %(contract)s (%(reason)s)"),
    ),
    "invoice.create": (
        _l("Invoice recorded"),
        _l("%(actor)s recorded the invoice %(invoice)s for %(contract)s (%(status)s)"),
    ),
    "invoice.update": (
        _l("Invoice changed"),
        _l("%(actor)s changed the invoice %(invoice)s of %(contract)s (%(fields)s)"),
    ),
    "invoice.status": (
        _l("Invoice status changed"),
        _l("%(actor)s moved the invoice %(invoice)s of %(contract)s from %(previous)s to %(status)s"),
    ),
    "statement.import": (
        _l("Bank statement imported"),
        _l("%(actor)s imported the bank statement %(filename)s (%(rows)s lines)"),
    ),
    "statement.confirm": (
        _l("Bank statement lines recorded"),
        _l("%(actor)s recorded %(rows)s lines of the bank statement %(filename)s as payments"),
    ),
    "statement.ignore": (
        _l("Bank statement line ignored"),
        _l("%(actor)s ignored line %(line)s of the bank statement %(filename)s (%(reason)s)"),
    ),
    "audit.anchor": (_l("Audit chain timestamped"), _l("The audit chain up to event %(seq)s was timestamped")),
    # review
    "review.comment": (_l("Comment"), _l("%(actor)s commented on %(contract)s (version %(version)s): “%(quote)s”")),
    "review.reply": (_l("Reply to a comment"), _l("%(actor)s replied to a comment on %(contract)s")),
    "review.resolve": (_l("Comment resolved"), _l("%(actor)s resolved a comment on %(contract)s")),
    "review.reopen": (_l("Comment reopened"), _l("%(actor)s reopened a comment on %(contract)s")),
    "review.carry_over": (
        _l("Comments carried over"),
        _l("Comments of %(contract)s moved to version %(version)s: %(moved)s carried over, %(outdated)s outdated"),
    ),
    "review.checklist": (
        _l("Clause checklist run"),
        _l("Version %(version)s of %(contract)s was checked: %(missing)s of %(checked)s required clauses missing"),
    ),
    "review.checklist_item": (_l("Checklist changed"), _l("%(actor)s saved the checklist clause %(item)s")),
    "review.interval": (
        _l("Review interval changed"),
        _l("%(actor)s set the review interval of type %(contract_type)s to %(months)s months"),
    ),
    "review.schedule": (
        _l("Review date set"),
        _l("%(actor)s set the next review of %(contract)s to %(due_on)s (interval: %(months)s months)"),
    ),
    "review.periodic": (
        _l("Periodic review"),
        _l("%(actor)s reviewed %(contract)s: %(outcome)s; next review %(next_on)s"),
    ),
}

#: The first part of a code, for the filter's groups.
GROUPS: dict[str, LazyString] = {
    "auth": _l("Sign-in"),
    "user": _l("Accounts"),
    "token": _l("Accounts"),
    "department": _l("Organisation"),
    "group": _l("Organisation"),
    "contract_type": _l("Organisation"),
    "custom_field": _l("Organisation"),
    "contract": _l("Contracts"),
    "version": _l("Versions"),
    "milestone": _l("Contracts"),
    "counterparty": _l("Money"),
    "money": _l("Money"),
    "instalment": _l("Money"),
    "payment": _l("Money"),
    "invoice": _l("Money"),
    "signature": _l("Signatures"),
    "signing_request": _l("Signatures"),
    "seal": _l("Signatures"),
    "ca": _l("Signatures"),
    "approval": _l("Approvals"),
    "workflow": _l("Approvals"),
    "routing": _l("Approvals"),
    "template": _l("Templates"),
    "clause": _l("Templates"),
    "search": _l("Other"),
    "notifications": _l("Other"),
    "webhook": _l("Other"),
    "delivery": _l("Other"),
    "audit": _l("Audit trail"),
    "review": _l("Review"),
}

GENERIC = _l("%(actor)s: %(action)s")
GENERIC_ON_CONTRACT = _l("%(actor)s: %(action)s (%(contract)s)")


def label(code: str) -> str:
    """The short label of a code (the code itself when unknown)."""
    known = ACTIONS.get(code)
    return str(known[0]) if known else code


def template(code: str, has_contract: bool) -> str:
    """The sentence template of a code, or the generic one."""
    known = ACTIONS.get(code)
    if known:
        return str(known[1])
    return str(GENERIC_ON_CONTRACT if has_contract else GENERIC)


def grouped_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """The filter's options: groups in order, each with (code, label) pairs sorted by label."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in ACTIONS:
        name = str(GROUPS.get(code.split(".", 1)[0], _l("Other")))
        groups.setdefault(name, []).append((code, label(code)))
    return [(name, sorted(items, key=lambda item: item[1])) for name, items in groups.items()]
