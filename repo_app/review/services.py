"""Comments on contract versions: writing, replying, resolving, @mentions and carrying threads
over to a new version. Services flush, never commit."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..auth.models import User
from ..auth.roles import Permission
from ..contracts import access
from ..contracts.models import Contract, ContractVersion, VersionText
from ..core import clock
from ..core.audit import record
from ..core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ..core.extensions import db
from ..notifications.links import path_for
from ..notifications.services import notify
from .anchors import Folded, locate
from .models import CommentStatus, ReviewComment

MAX_BODY = 5000
MAX_QUOTE = 2000
#: ``@someone@example.com`` or ``@name`` (up to white space or punctuation).
_MENTION = re.compile(r"@([\w.+-]+@[\w-]+(?:\.[\w-]+)+|[^\s@,，。;；:：!！?？()（）]+)")


def may_comment(user: User, contract: Contract) -> bool:
    """The access list gives ``user`` the "comment" level (read-only users cannot comment)."""
    return (
        contract.deleted_at is None
        and user.can(Permission.CONTRACT_READ)
        and "comment" in access.contract_levels(user, contract)
    )


def require_comment(user: User, contract: Contract) -> None:
    if not may_comment(user, contract):
        raise Forbidden(_("You may read this contract but not comment on it."))


def _clean_body(body: Any) -> str:
    if not isinstance(body, str) or not body.strip():
        raise ValidationFailed(_("body: write a comment."), field="body")
    if len(body) > MAX_BODY:
        raise ValidationFailed(_("body: a comment has at most %(n)d characters.", n=MAX_BODY), field="body")
    return body.strip()


def threads(contract: Contract) -> list[ReviewComment]:
    """The contract's threads (first comments, replies attached), open ones first, then by place."""
    roots = db.session.scalars(
        select(ReviewComment)
        .where(ReviewComment.contract_id == contract.id, ReviewComment.parent_id.is_(None))
        .order_by(ReviewComment.id)
    ).all()
    return sorted(roots, key=lambda c: (c.status != CommentStatus.OPEN, c.outdated, c.page or 0, c.start_offset or 0))


def get_thread(user: User, comment_id: int) -> ReviewComment:
    """The first comment of a thread ``user`` may read (404 otherwise, like the contract)."""
    comment = db.session.get(ReviewComment, comment_id)
    if comment is None or comment.parent_id is not None:
        raise NotFound(_("No such comment."))
    access.get_contract(user, comment.contract_id)
    return comment


def create(
    user: User, contract: Contract, version: ContractVersion, body: Any, quote: Any, page: Any = None
) -> ReviewComment:
    """Start a thread on ``quote`` in ``version`` (its extracted text must contain the quote)."""
    require_comment(user, contract)
    text = _clean_body(body)
    if not isinstance(quote, str) or not quote.strip():
        raise ValidationFailed(_("quote: select the text to comment on."), field="quote")
    if len(quote) > MAX_QUOTE:
        raise ValidationFailed(_("quote: select at most %(n)d characters.", n=MAX_QUOTE), field="quote")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool) or page < 1):
        raise ValidationFailed(_("page must be a page number."), field="page")
    extracted = db.session.get(VersionText, version.id)
    if extracted is None:
        raise Conflict(_("The text of this version is not extracted yet; comment once it is processed."))
    anchor = locate(extracted.text, quote, extracted.page_offsets, page)
    if anchor is None:
        raise ValidationFailed(_("quote: this text is not in the version's text."), field="quote")
    comment = ReviewComment(
        contract_id=contract.id,
        version_id=version.id,
        origin_version_id=version.id,
        author_id=user.id,
        body=text,
        quote=extracted.text[anchor.start : anchor.end],
        start_offset=anchor.start,
        end_offset=anchor.end,
        page=anchor.page,
        status=CommentStatus.OPEN,
        created_at=clock.now(),
    )
    db.session.add(comment)
    db.session.flush()
    comment.mentions = _notify_mentions(user, contract, comment, text)
    record(
        "review.comment",
        contract_id=contract.id,
        version_id=version.id,
        actor=user,
        comment_id=comment.id,
        quote=comment.quote[:80] if comment.quote else "",
    )
    return comment


def reply(user: User, thread: ReviewComment, body: Any) -> ReviewComment:
    contract = db.session.get(Contract, thread.contract_id)
    assert contract is not None
    require_comment(user, contract)
    text = _clean_body(body)
    answer = ReviewComment(
        contract_id=thread.contract_id,
        version_id=thread.version_id,
        origin_version_id=thread.version_id,
        parent_id=thread.id,
        author_id=user.id,
        body=text,
        created_at=clock.now(),
    )
    thread.replies.append(answer)
    db.session.flush()
    answer.mentions = _notify_mentions(user, contract, thread, text)
    record("review.reply", contract_id=contract.id, actor=user, comment_id=thread.id, reply_id=answer.id)
    return answer


def set_resolved(user: User, thread: ReviewComment, resolved: bool) -> ReviewComment:
    """Resolve or reopen a thread (a no-op when it is already so, and then nothing is recorded)."""
    contract = db.session.get(Contract, thread.contract_id)
    assert contract is not None
    require_comment(user, contract)
    wanted = CommentStatus.RESOLVED if resolved else CommentStatus.OPEN
    if thread.status == wanted:
        return thread
    thread.status = wanted
    thread.resolved_at = clock.now() if resolved else None
    thread.resolved_by_id = user.id if resolved else None
    db.session.flush()
    record("review.resolve" if resolved else "review.reopen", contract_id=contract.id, actor=user, comment_id=thread.id)
    return thread


# --- mentions --------------------------------------------------------------------------------


def mentioned_users(body: str) -> list[User]:
    """Active users named in ``body`` by ``@e-mail`` or ``@display name`` (exact, any case)."""
    names = {match.group(1).strip().lower() for match in _MENTION.finditer(body)}
    if not names:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                or_(func.lower(User.email).in_(names), func.lower(User.display_name).in_(names)),
            )
            .order_by(User.id)
        )
    )


def _notify_mentions(author: User, contract: Contract, thread: ReviewComment, body: str) -> list[int]:
    """Notify the mentioned users who may read the contract (others learn nothing of it)."""
    readers = [user for user in mentioned_users(body) if access.may(user, contract, Permission.CONTRACT_READ)]
    notify(
        "review.mentioned",
        readers,
        url=path_for("contracts.detail", contract_id=contract.id) + f"#comment-{thread.id}",
        contract=contract,
        params={"author": author.display_name, "excerpt": body[:200]},
        exclude=author,
    )
    return [user.id for user in readers if user.id != author.id]


def mention_candidates(contract: Contract, prefix: str, limit: int = 8) -> list[User]:
    """Users whose name or e-mail starts with ``prefix`` and who may read ``contract``."""
    pattern = prefix.strip().lower().replace("%", "").replace("_", "") + "%"
    rows = db.session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern)),
        )
        .order_by(User.display_name)
        .limit(limit * 4)
    )
    return [user for user in rows if access.may(user, contract, Permission.CONTRACT_READ)][:limit]


# --- a new version ----------------------------------------------------------------------------


def carry_over(version: ContractVersion) -> tuple[int, int]:
    """Move the contract's current threads to ``version`` where their quote is still found
    (re-anchored there); mark the others outdated. Returns (moved, outdated)."""
    extracted = db.session.get(VersionText, version.id)
    if extracted is None:
        return 0, 0
    roots = db.session.scalars(
        select(ReviewComment).where(
            ReviewComment.contract_id == version.contract_id,
            ReviewComment.parent_id.is_(None),
            ReviewComment.outdated.is_(False),
            ReviewComment.version_id != version.id,
        )
    ).all()
    moved = outdated = 0
    folded = Folded(extracted.text) if roots else None
    for thread in roots:
        previous = db.session.get(ContractVersion, thread.version_id)
        if previous is not None and previous.number > version.number:
            continue  # an older version restored later is handled when it is extracted
        assert folded is not None
        anchor = locate(folded, thread.quote or "", extracted.page_offsets, thread.page)
        if anchor is None:
            thread.outdated = True
            outdated += 1
            continue
        thread.version_id = version.id
        thread.start_offset, thread.end_offset, thread.page = anchor.start, anchor.end, anchor.page
        for answer in thread.replies:
            answer.version_id = version.id
        moved += 1
    if moved or outdated:
        db.session.flush()
        record(
            "review.carry_over",
            contract_id=version.contract_id,
            version_id=version.id,
            actor=None,
            version=version.number,
            moved=moved,
            outdated=outdated,
        )
    return moved, outdated


# --- reading -----------------------------------------------------------------------------------


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.id, "name": user.display_name, "email": user.email}


def to_dict(thread: ReviewComment) -> dict[str, Any]:
    version = db.session.get(ContractVersion, thread.version_id)
    return {
        "id": thread.id,
        "version": version.number if version else None,
        "quote": thread.quote,
        "start": thread.start_offset,
        "end": thread.end_offset,
        "page": thread.page,
        "status": thread.status,
        "outdated": thread.outdated,
        "author": _person(thread.author),
        "body": thread.body,
        "mentions": list(thread.mentions or []),
        "created_at": thread.created_at.isoformat(),
        "resolved_at": thread.resolved_at.isoformat() if thread.resolved_at else None,
        "resolved_by": _person(thread.resolved_by),
        "replies": [
            {
                "id": answer.id,
                "author": _person(answer.author),
                "body": answer.body,
                "mentions": list(answer.mentions or []),
                "created_at": answer.created_at.isoformat(),
            }
            for answer in thread.replies
        ],
    }
