"""CRL publication under concurrency: a CRL number another request took meanwhile is not
a primary-key error (500) but makes the CRL take the next number."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from cryptography import x509
from flask import Flask
from sqlalchemy import event, select, text

from repo_app.core.audit.models import AuditEvent
from repo_app.core.extensions import db
from repo_app.signing.keys import internal_ca
from repo_app.signing.models import PublishedCRL
from repo_app.signing.revocation import publish_crl

_LATEST_NUMBER_QUERY = "ORDER BY ca_crls.number DESC"


def _store_competitor_crl(conn: Any, number: int) -> None:
    conn.execute(
        text(
            "INSERT INTO ca_crls (number, der, this_update, next_update) SELECT :n, :d, :t, :t"
            " WHERE NOT EXISTS (SELECT 1 FROM ca_crls WHERE number = :n)"
        ),
        {"n": number, "d": b"competitor", "t": "2026-01-01 00:00:00"},
    )


@contextmanager
def _competitor_takes_next_numbers(connection: Any, times: int) -> Iterator[None]:
    """After each of the first ``times`` reads of the latest CRL number, a concurrent
    publisher stores the CRL with the next number. It shares the test's connection, so
    its rows are stored again when the publisher rolls back its savepoint: as if they had
    been committed by another transaction."""
    remaining = [times]
    taken: list[int] = []

    def competitor(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("ROLLBACK TO SAVEPOINT"):
            for number in taken:
                _store_competitor_crl(conn, number)
        elif remaining[0] and _LATEST_NUMBER_QUERY in statement and "ca_crls.der" not in statement:
            remaining[0] -= 1
            taken.append(conn.execute(text("SELECT COALESCE(MAX(number), 0) + 1 FROM ca_crls")).scalar_one())
            _store_competitor_crl(conn, taken[-1])

    event.listen(connection.engine, "after_cursor_execute", competitor)
    try:
        yield
    finally:
        event.remove(connection.engine, "after_cursor_execute", competitor)


@pytest.mark.parametrize("conflicts", [1, 2])
def test_a_crl_number_taken_concurrently_is_skipped(app: Flask, conflicts: int) -> None:
    with app.app_context():
        before = db.session.scalar(select(PublishedCRL.number).order_by(PublishedCRL.number.desc()).limit(1)) or 0
        authority = internal_ca()
        with _competitor_takes_next_numbers(db.session.connection(), conflicts):
            crl = publish_crl(authority)
        db.session.commit()

        assert crl.number == before + conflicts + 1
        published = x509.load_der_x509_crl(crl.der)
        assert published.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == crl.number
        numbers = list(db.session.scalars(select(PublishedCRL.number).order_by(PublishedCRL.number)))
        assert numbers[-(conflicts + 1) :] == list(range(before + 1, before + conflicts + 2))
        audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "ca.crl_publish")).all()
        assert [e for e in audited if (e.details or {}).get("number") == crl.number]
