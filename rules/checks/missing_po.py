"""MISSING_PO: a PO-only vendor sent an invoice without a PO number."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "MISSING_PO"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """For vendors that require a PO there must be one to match; the buyer has to supply
    the PO number (or the vendor must re-issue the invoice) before it can be paid."""
    supplier = vendor(ctx)
    if supplier is None or not supplier.requires_po:
        return
    if ctx.invoice.po_number and ctx.invoice.po_number.strip():
        return
    yield ctx.finding(
        f"No PO number on the invoice, but {supplier.name} ({supplier.vendor_id}) "
        "is set up to invoice against purchase orders only",
        amount=ctx.invoice.total,
        vendor_id=supplier.vendor_id,
    )
