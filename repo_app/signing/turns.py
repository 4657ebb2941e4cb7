"""Whose turn it is: status moves when signing starts and ends, signers' notifications and
the signing part of "My tasks"."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import ScalarSelect

from ..auth.models import User
from ..contracts.models import Contract
from ..contracts.status import ContractStatus
from ..core.extensions import db
from ..core.tasks import Task
from ..lifecycle import states
from ..lifecycle.services import mark_signed, transition
from ..lifecycle.states import Trigger
from ..notifications.links import path_for
from ..notifications.services import notify
from .models import SigningRequest, SigningRequestSigner, SigningRequestStatus


def open_requests(contract: Contract) -> list[SigningRequest]:
    """The contract's signing requests still waiting for a signature."""
    return list(
        db.session.scalars(
            select(SigningRequest).where(
                SigningRequest.contract_id == contract.id, SigningRequest.status == SigningRequestStatus.OPEN
            )
        )
    )


def request_created(user: User, signing_request: SigningRequest) -> None:
    """A signing request was sent: the contract is now being signed and the first signer hears."""
    contract = signing_request.contract
    if states.find(contract.status, ContractStatus.SIGNING, Trigger.SYSTEM) is not None:
        transition(user, contract, ContractStatus.SIGNING, via=Trigger.SYSTEM)
    _notify_current_signer(signing_request, user)


def signature_added(user: User, contract: Contract, advanced: list[SigningRequest]) -> None:
    """After a signed version is committed. ``advanced``: the requests this signature was a turn
    of. Their next signers hear of it; a request now complete is announced. Once no request is
    left open (or for a signature made without one), the contract is recorded as signed, which
    puts it in force when its effective date has come."""
    for signing_request in advanced:
        if signing_request.status == SigningRequestStatus.COMPLETED:
            _notify(signing_request, [_creator(signing_request), contract.owner], "signing.completed", user)
        else:
            _notify_current_signer(signing_request, user)
    if not open_requests(contract):
        mark_signed(user, contract)


def _notify_current_signer(signing_request: SigningRequest, actor: User) -> None:
    current = signing_request.current_signer
    if current is not None:
        _notify(signing_request, [current.user], "signing.requested", actor)


def _notify(signing_request: SigningRequest, people: list[User | None], kind: str, actor: User) -> None:
    creator = _creator(signing_request)
    notify(
        kind,
        people,
        contract=signing_request.contract,
        exclude=actor,
        url=path_for("signing.sign_page", contract_id=signing_request.contract_id),
        params={
            "requested_by": creator.display_name if creator else "",
            "level": signing_request.level,
            "message": signing_request.message or "",
        },
    )


def _creator(signing_request: SigningRequest) -> User | None:
    return db.session.get(User, signing_request.created_by_id)


# --- "My tasks" -----------------------------------------------------------------------------------


def waiting_for_query(user: User) -> Any:
    """Open requests where it is ``user``'s turn: their line is unsigned and no earlier one is."""
    mine = aliased(SigningRequestSigner)
    earlier = aliased(SigningRequestSigner)
    earlier_unsigned = exists().where(
        earlier.request_id == mine.request_id, earlier.position < mine.position, earlier.signed_at.is_(None)
    )
    return (
        select(SigningRequest)
        .join(mine, mine.request_id == SigningRequest.id)
        .join(Contract, Contract.id == SigningRequest.contract_id)
        .where(
            SigningRequest.status == SigningRequestStatus.OPEN,
            mine.user_id == user.id,
            mine.signed_at.is_(None),
            ~earlier_unsigned,
            Contract.deleted_at.is_(None),
        )
    )


class SigningTasks:
    name = "signing"
    label = _l("Signatures")

    def count_query(self, user: User, today: date) -> ScalarSelect[Any]:
        return select(func.count()).select_from(waiting_for_query(user).subquery()).scalar_subquery()

    def tasks(self, user: User, today: date) -> list[Task]:
        found = []
        for signing_request in db.session.scalars(waiting_for_query(user).order_by(SigningRequest.created_at)):
            contract = signing_request.contract
            creator = _creator(signing_request)
            found.append(
                Task(
                    provider=self.name,
                    kind="signature",
                    title=_("Sign: %(title)s", title=contract.title),
                    url=path_for("signing.sign_page", contract_id=contract.id),
                    contract_id=contract.id,
                    contract_title=contract.title,
                    detail=_(
                        "%(level)s · requested by %(user)s",
                        level=signing_request.level,
                        user=creator.display_name if creator else "—",
                    ),
                    data={"request_id": signing_request.id},
                )
            )
        return found
