"""The index documents read in bulk carry what the contract objects say: the latest version's
text, names in order, and the same principals as ``access.document_principals``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from repo_app.contracts import access
from repo_app.contracts.models import Contract, ContractGrant, ContractVersion, VersionText
from repo_app.core.extensions import db
from repo_app.search.indexing import all_documents, index_documents
from tests.conftest import ensure_department
from tests.lifecycle.conftest import make_contract


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def _version(contract_id: int, number: int, text: str, owner_id: int) -> None:
    version = ContractVersion(
        contract_id=contract_id,
        number=number,
        blob_key="-",
        sha256=f"{number}" * 64,
        size=len(text),
        media_type="application/pdf",
        original_filename="c.pdf",
        uploaded_by_id=owner_id,
        status="indexed",
    )
    db.session.add(version)
    db.session.flush()
    db.session.add(VersionText(version_id=version.id, text=text, page_offsets=[0], extractor="test"))


def test_bulk_documents_match_the_contracts(ctx: Flask, make_user: Callable[..., Any]) -> None:
    owner = make_user("editor", email="owner@example.com", department="华东区")
    ensure_department("上海分公司", parent="华东区")
    cid = make_contract(
        "owner@example.com",
        department="上海分公司",
        counterparties=("乙方公司", "甲方公司"),
        tags=("采购", "2025"),
    )
    secret = make_contract("owner@example.com", confidential=True)
    trashed = make_contract("owner@example.com")
    _version(cid, 1, "旧文本", owner.id)
    _version(cid, 2, "新文本", owner.id)
    db.session.add(ContractGrant(contract_id=cid, grantee_type="group", grantee_id=7, level="read"))
    db.session.get(Contract, trashed).deleted_at = db.func.now()
    db.session.commit()

    documents = {document.id: document for document in index_documents([cid, secret, trashed])}

    assert set(documents) == {cid, secret}
    document = documents[cid]
    assert document.text == "新文本"
    assert document.counterparties == ("乙方公司", "甲方公司") and document.tags == ("2025", "采购")
    assert document.department == "上海分公司" and document.owner == "owner@example.com"
    for contract_id in (cid, secret):
        expected = access.document_principals(db.session.get(Contract, contract_id))
        assert documents[contract_id].principals == expected
    assert "group:7" in document.principals and "role:auditor" not in documents[secret].principals
    assert [[d.id for d in batch] for batch in all_documents(1)] == [[cid], [secret]]
