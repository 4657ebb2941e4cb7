"""Named signals: how features hear about each other's changes without importing each other.

A feature sends a signal right after it changed the database, inside the same unit of work;
receivers run at once, in the same transaction, and may change the database too (restart an
approval, move a status). Work that must wait until the change is durable (refreshing the
search index, sending e-mails and webhooks) is scheduled by receivers through
:func:`repo_app.core.uow.after_commit` and dropped if the transaction rolls back.

Receivers are connected for one application (the app is the sender), so two apps built in one
process, as the tests do, never hear each other; :func:`connect` is the one way to connect.

Every signal's keyword arguments are listed beside it; receivers take them as keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import NamedSignal, Namespace
from flask import Flask, current_app

_pactum = Namespace()

#: A contract was created: ``contract``, ``version`` (its first version, or None for a renewal
#: created without a file), ``user``.
contract_created = _pactum.signal("contract-created")
#: A version was uploaded to, or restored in, an existing contract (signing sends ``signed``).
#: ``contract``, ``version``, ``user``.
version_added = _pactum.signal("version-added")
#: Title, parties, dates, amounts, tags or other metadata changed. ``contract``, ``user``, ``changes``.
metadata_changed = _pactum.signal("metadata-changed")
#: Who may read the contract changed (department, confidentiality, access list). ``contract``, ``user``.
access_changed = _pactum.signal("access-changed")
#: The contract moved from one status to another. ``contract``, ``user``, ``old``, ``new``, ``via``.
status_changed = _pactum.signal("status-changed")
#: The contract went to the trash, came back, or is purged: ``contract``, ``user``, ``action``
#: ("trash", "restore", "purging" just before its rows are deleted, "purge" after).
contract_removed = _pactum.signal("contract-removed")
#: A signature was added to a version. ``contract``, ``version``, ``user``, ``requests`` (the
#: signing requests this signature was a turn of).
signed = _pactum.signal("signed")
#: An approval step was decided (approved, rejected, returned). ``approval``, ``user``, ``decision``.
approval_decided = _pactum.signal("approval-decided")

#: An account was deactivated or activated again. ``user``, ``actor``, ``active`` (the new state).
user_active_changed = _pactum.signal("user-active-changed")

Receiver = Callable[..., Any]


def connect(app: Flask, signal: NamedSignal, receiver: Receiver) -> None:
    """Let ``receiver`` hear ``signal`` when ``app`` sends it (held strongly, for the app's life)."""
    signal.connect(receiver, sender=app, weak=False)


def send(signal: NamedSignal, **values: Any) -> None:
    """Send ``signal`` from the current application to the receivers its features connected."""
    signal.send(current_app._get_current_object(), **values)  # type: ignore[attr-defined]
