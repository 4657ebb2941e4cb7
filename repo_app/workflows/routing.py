"""Routing: which workflow a submitted contract takes, and why.

Design: rules *select* a base workflow (the first matching ``select`` rule wins; without one,
the default workflow) and *append* levels (every matching ``append`` rule adds the levels of
its workflow, in rule order). Amount thresholds are therefore append rules — "≥ ¥1,000,000
adds the CFO level", "≥ ¥10,000,000 adds the CEO level" — and stack naturally, while the
contract type, department, counterparty or tag select the base route. Extra levels are
ordinary one-level workflows, edited in the same screens as every other workflow.

Every rule is evaluated, in position order, and the result records each condition with the
expected and the actual value, so the approval page can show which rules matched and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..contracts.access import ancestors_or_self
from ..contracts.models import Contract
from ..core import registry
from ..core.extensions import db, settings
from ..lifecycle.config import parse_rates
from .models import RoutingRule, Workflow


@dataclass(frozen=True)
class RoutingFact:
    """A number about a contract that a feature above workflows offers as a routing condition
    (review offers "review_findings": the required clauses its latest version lacks)."""

    name: str
    #: Translated name shown in the rule form and the routing explanation.
    label: Any
    value: Callable[[Contract], int]


ROUTING_FACTS: registry.Key[RoutingFact] = registry.Key("workflows.routing_facts")


def routing_facts() -> dict[str, RoutingFact]:
    return {fact.name: fact for fact in registry.items(ROUTING_FACTS)}


@dataclass(frozen=True)
class Check:
    #: contract_type, amount, department, counterparty, tag or the name of a routing fact.
    field: str
    ok: bool
    expected: str
    actual: str
    #: Why a check could not hold (e.g. "no_amount", "no_rate").
    note: str = ""


@dataclass
class RuleResult:
    rule_id: int
    position: int
    name: str
    action: str
    workflow: str
    matched: bool
    #: Whether the match changed the route (a later select rule is not used).
    used: bool = False
    checks: list[Check] = field(default_factory=list)


@dataclass
class Route:
    workflows: list[Workflow]
    results: list[RuleResult]
    #: The default workflow was used because no select rule matched.
    default_used: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "workflows": [workflow.name for workflow in self.workflows],
            "default_used": self.default_used,
            "rules": [asdict(result) for result in self.results],
        }


def ordered_rules() -> list[RoutingRule]:
    return list(db.session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)))


def default_workflow() -> Workflow | None:
    return db.session.scalar(
        select(Workflow).where(Workflow.is_default.is_(True), Workflow.active.is_(True)).order_by(Workflow.id)
    )


def amount_in(contract: Contract, currency: str) -> tuple[Decimal | None, str]:
    """The contract's amount counted in ``currency`` (via ``PACTUM_FX_RATES``), or why not."""
    if contract.amount is None:
        return None, "no_amount"
    source = (contract.currency or "CNY").upper()
    currency = currency.upper()
    if source == currency:
        return Decimal(contract.amount), ""
    rates = parse_rates(settings().fx_rates)
    if source not in rates or currency not in rates:
        return None, "no_rate"
    return (Decimal(contract.amount) * rates[source] / rates[currency]).quantize(Decimal("0.01")), ""


def _money(value: Decimal | None, currency: str) -> str:
    return "" if value is None else f"{currency} {value:,.2f}"


def check_rule(rule: RoutingRule, contract: Contract) -> list[Check]:
    checks: list[Check] = []
    if rule.contract_type_code:
        checks.append(
            Check(
                "contract_type",
                contract.contract_type_code == rule.contract_type_code,
                rule.contract_type_code,
                contract.contract_type_code or "",
            )
        )
    if rule.min_amount is not None or rule.max_amount is not None:
        value, note = amount_in(contract, rule.currency)
        ok = (
            value is not None
            and (rule.min_amount is None or value >= rule.min_amount)
            and (rule.max_amount is None or value < rule.max_amount)
        )
        bounds = []
        if rule.min_amount is not None:
            bounds.append(f"≥ {_money(Decimal(rule.min_amount), rule.currency)}")
        if rule.max_amount is not None:
            bounds.append(f"< {_money(Decimal(rule.max_amount), rule.currency)}")
        actual = _money(value, rule.currency)
        if (
            value is not None
            and contract.amount is not None
            and (contract.currency or "CNY").upper() != rule.currency.upper()
        ):
            actual += f" ({_money(Decimal(contract.amount), (contract.currency or 'CNY').upper())})"
        checks.append(Check("amount", ok, ", ".join(bounds), actual, note))
    if rule.department_id is not None:
        chain = ancestors_or_self(contract.department)
        checks.append(
            Check(
                "department",
                rule.department_id in chain,
                rule.department.name if rule.department else str(rule.department_id),
                contract.department.name if contract.department else "",
            )
        )
    if rule.counterparty:
        wanted = rule.counterparty.strip().lower()
        names = contract.counterparty_names
        checks.append(
            Check("counterparty", any(wanted in name.lower() for name in names), rule.counterparty, "、".join(names))
        )
    if rule.tag:
        tags = [tag.name for tag in contract.tags]
        checks.append(Check("tag", rule.tag in tags, rule.tag, ", ".join(tags)))
    if rule.fact:
        checks.append(_fact_check(rule.fact, rule.fact_min or 1, contract))
    return checks


def _fact_check(name: str, least: int, contract: Contract) -> Check:
    fact = routing_facts().get(name)
    if fact is None:
        return Check(name, False, f"≥ {least}", "", "unknown_fact")
    value = fact.value(contract)
    return Check(name, value >= least, f"≥ {least}", str(value))


def evaluate(contract: Contract) -> Route:
    """The route of ``contract`` under the current rules (does not change anything)."""
    base: Workflow | None = None
    appended: list[Workflow] = []
    results: list[RuleResult] = []
    for rule in ordered_rules():
        if not rule.active or not rule.workflow.active:
            continue
        checks = check_rule(rule, contract)
        matched = all(check.ok for check in checks)
        result = RuleResult(rule.id, rule.position, rule.name, rule.action, rule.workflow.name, matched, checks=checks)
        if matched and rule.action == "select" and base is None:
            base, result.used = rule.workflow, True
        elif matched and rule.action == "append" and rule.workflow not in appended:
            appended.append(rule.workflow)
            result.used = True
        results.append(result)
    default_used = False
    if base is None:
        base = default_workflow()
        default_used = base is not None
    chosen = ([base] if base is not None else []) + [flow for flow in appended if flow is not base]
    return Route(workflows=chosen, results=results, default_used=default_used)
