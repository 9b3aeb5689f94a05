"""STALE_INVOICE: older than the policy's limit.

Fires when: the invoice date is more than `dates.stale_after_days` days before today (the run's
`as_of`). Vendor-independent.
Why it matters: a very old invoice is often already paid, disputed, or in a closed accounting
period; someone should confirm it is still owed before it is paid.
Example: today is 2026-11-20 and Acme's INV-09871 is dated 2026-04-10: "Invoice dated 2026-04-10 is
224 days old (limit 180 days)".
Policy keys: dates.stale_after_days
Does not fire when: no invoice date was read; the invoice is exactly the limit old or younger; it
is dated in the future (INVOICE_DATE_INVALID).
"""

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
