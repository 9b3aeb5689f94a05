"""INVOICE_DATE_INVALID: dated in the future, or before the PO it bills."""

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
