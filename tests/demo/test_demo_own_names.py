"""`pactum demo` tells Pactum the demo company's names, so no demo contract offers "us" (甲方)
as its counterparty."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from demo.clauses import OWN_NAME_EN, OWN_NAME_ZH
from demo.loader import load_demo
from repo_app.contracts.models import Contract, VersionText
from repo_app.contracts.own_names import comparable, own_names
from repo_app.contracts.suggestions import suggestions_to_offer
from repo_app.core.extensions import db

OURS = {comparable(OWN_NAME_ZH), comparable(OWN_NAME_EN)}


def test_no_demo_contract_offers_our_own_company_as_counterparty(app: Flask) -> None:
    with app.app_context():
        load_demo("admin@example.com", "Violet-Kestrel-Quay-8341")
        assert set(own_names()) >= {OWN_NAME_ZH, OWN_NAME_EN}
        contracts = list(db.session.scalars(select(Contract)))
        assert len(contracts) == 12
        found_ours = 0
        for contract in contracts:
            version = contract.latest_version
            assert version is not None
            stored = db.session.scalar(select(VersionText.suggestions).where(VersionText.version_id == version.id))
            candidates = (stored or {}).get("counterparties", [])
            found_ours += any(comparable(item["value"]) in OURS for item in candidates)
            offered = [item for item in suggestions_to_offer(contract) if item.field == "counterparties"]
            assert not [item for item in offered if comparable(item.value) in OURS], contract.title
            assert not [item for item in offered if item.value in contract.counterparty_names], contract.title
        # The texts do name us as a party (so this test would see the old behaviour).
        assert found_ours >= 10
