"""STALE_INVOICE: the invoice is older than the policy allows."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext

PATTERN = "STALE_INVOICE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A very old invoice is often already paid, disputed or in a closed period; someone
    should confirm it is still owed."""
    dated = ctx.invoice.invoice_date
    if dated is None:
        return
    age = (ctx.as_of - dated).days
    limit = ctx.policy.dates.stale_after_days
    if age <= limit:
        return
    yield ctx.finding(
        f"Invoice dated {dated.isoformat()} is {age} days old (limit {limit} days)",
        invoice_date=dated,
        age_days=age,
        limit_days=limit,
    )
