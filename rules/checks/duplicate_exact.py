"""DUPLICATE_EXACT: the vendor's invoice number was already processed."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.matching.text import compact
from rules.scope import vendor

PATTERN = "DUPLICATE_EXACT"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A vendor never bills the same invoice number twice: a second copy (re-sent, re-scanned,
    or another format of the same invoice) must not be paid again. Numbers are compared
    without case, spaces or punctuation ("INV-001" = "inv 001")."""
    supplier = vendor(ctx)
    number = compact(ctx.invoice.invoice_number or "")
    if supplier is None or not number:
        return
    for prior in ctx.prior_invoices:
        if prior.vendor_id != supplier.vendor_id or compact(prior.invoice_number or "") != number:
            continue
        yield ctx.finding(
            f"Invoice {ctx.invoice.invoice_number} from {supplier.name} was already processed "
            f"({prior.file_name}, {prior.invoice_date or 'no date'}, "
            f"decision: {prior.decision or 'pending'})",
            amount=ctx.invoice.total,
            prior_invoice_id=prior.invoice_id,
            prior_file=prior.file_name,
            prior_invoice_number=prior.invoice_number,
            prior_decision=prior.decision,
        )
        return
