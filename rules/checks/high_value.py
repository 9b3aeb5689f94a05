"""HIGH_VALUE: above an approval threshold: needs a role's approval.

Fires when: the total is above `high_value_threshold` (strictly). The finding names the role that
may approve that total: the first of `routing.approver_roles` whose `up_to` is at least the total
(or has no limit). Vendor-independent.
Why it matters: large payments are never touchless, however clean the match: the approval matrix
names who may approve them.
Example: a Harbor invoice totals 18,240.00 USD, threshold 10,000.00: "Total 18,240.00 USD is above
the approval threshold of 10,000.00: needs approval by ap_manager".
Policy keys: high_value_threshold, routing.approver_roles
Does not fire when: no total was read; the total equals the threshold or is below it (credit notes
always are). Totals are compared as numbers, without currency conversion: 12,000.00 JPY fires as
12,000.00 EUR would.
"""

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
