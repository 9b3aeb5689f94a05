"""Reads what the report needs from the store and hands it to the pure metrics."""

from __future__ import annotations

from datetime import UTC, datetime

from config.loader import load_benchmarks, load_catalog
from metrics.facts import InvoiceFacts, build_facts, default_period, in_period, latest_activity
from metrics.kpis import ControllerReport, controller_report
from models.policy import Policy
from rules.registry import load_rules
from store.repository import Store


def load_facts(store: Store) -> list[InvoiceFacts]:
    """Every stored invoice's history: rows, findings, calls, audit events, vouchers, reviews."""
    return build_facts(store.invoices(), store.all_findings(), store.model_calls(),
                       store.audit_events(), store.vouchers(), store.review_records())


def build_report(
    facts: list[InvoiceFacts], policy: Policy, *, since: datetime | None = None,
    until: datetime | None = None, days: int = 30,
) -> ControllerReport:
    """The report over [since, until); by default the last `days` days of the database."""
    default_since, default_until = default_period(facts, datetime.now(UTC).date(), days)
    until = _utc(until) if until is not None else default_until
    since = _utc(since) if since is not None else (
        default_since if until == default_until else until - (default_until - default_since))
    chosen = in_period(facts, since, until)
    return controller_report(
        chosen, since=since, until=until, policy=policy, catalog=load_catalog(),
        benchmarks=load_benchmarks(), rule_patterns=[pattern for pattern, _ in load_rules()],
        as_of=latest_activity(facts),
    )


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at
