"""NON_PO_INVOICE: an invoice without a PO from a vendor that may invoice without one."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "NON_PO_INVOICE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Allowed, but with no PO nobody has approved the spend yet: it needs a GL coding and
    a budget owner's approval instead of a match."""
    supplier = vendor(ctx)
    if supplier is None or supplier.requires_po:
        return
    if ctx.invoice.po_number and ctx.invoice.po_number.strip():
        return
    yield ctx.finding(
        f"No PO number: invoice from {supplier.name} ({supplier.vendor_id}) needs GL coding "
        "and a budget owner's approval",
        amount=ctx.invoice.total,
        vendor_id=supplier.vendor_id,
    )
