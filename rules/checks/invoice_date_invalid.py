"""INVOICE_DATE_INVALID: dated in the future or before the PO.

Fires when: the invoice date is after today (the run's `as_of`) plus `dates.future_grace_days`, or
before the date of the PO the invoice quotes (whoever the vendor is): one finding each.
Why it matters: a future date shifts the due date and the tax period; a date before the PO means
the work was billed before anyone ordered it (or the PO was raised after the fact).
Example: today is 2026-11-20 and a Kestrel invoice is dated 2026-12-15: "Invoice date 2026-12-15 is
in the future (today is 2026-11-20)".
Policy keys: dates.future_grace_days
Does not fire when: no invoice date was read; the date is today or within the grace days; the
invoice is dated on the PO's date or later; there is no PO, or it does not exist (then only the
future check applies). Old dates are STALE_INVOICE's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from models.findings import Finding
from rules.base import RuleContext

PATTERN = "INVOICE_DATE_INVALID"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A future date shifts the due date (and the tax period); a date before the PO means
    the work was billed before anyone ordered it. Both hold whoever the vendor is."""
    dated = ctx.invoice.invoice_date
    if dated is None:
        return
    latest = ctx.as_of + timedelta(days=ctx.policy.dates.future_grace_days)
    if dated > latest:
        yield ctx.finding(
            f"Invoice date {dated.isoformat()} is in the future (today is {ctx.as_of.isoformat()})",
            invoice_date=dated,
            as_of=ctx.as_of,
        )
    po = ctx.match.po
    if po is not None and dated < po.po_date:
        yield ctx.finding(
            f"Invoice date {dated.isoformat()} is before PO {po.po_number} was placed on "
            f"{po.po_date.isoformat()}",
            invoice_date=dated,
            po_date=po.po_date,
            po_number=po.po_number,
        )
