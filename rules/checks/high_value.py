"""HIGH_VALUE: the total needs a named role's approval."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import money

PATTERN = "HIGH_VALUE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Large payments are never touchless: the approval matrix (policy) names who may
    approve them, however clean the match."""
    total = ctx.invoice.total
    threshold = ctx.policy.high_value_threshold
    if total is None or total <= threshold:
        return
    role = ctx.policy.approver_for(total)
    currency = f" {ctx.invoice.currency}" if ctx.invoice.currency else ""
    yield ctx.finding(
        f"Total {money(total)}{currency} is above the approval threshold of "
        f"{money(threshold)}: needs approval by {role}",
        amount=total,
        threshold=threshold,
        approver_role=role,
    )
