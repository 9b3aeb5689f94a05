"""DUPLICATE_EXACT: the vendor's invoice number was already processed."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.matching.duplicates import duplicate_matches
from rules.scope import money, vendor

PATTERN = "DUPLICATE_EXACT"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A vendor never bills the same invoice twice: a second copy (re-sent, re-scanned, or
    another format of the same invoice) must not be paid again.

    Exact means the same vendor, the same invoice number in its normal form (no case,
    spaces, punctuation, "INV"/"Rechnung Nr." words or leading zeros: "INV-0042" = "42"),
    the same total and dates at most the policy's `exact_window_days` apart. A number used
    again for another total or much later is DUPLICATE_SUSPECTED instead: never rejected
    automatically.
    """
    supplier = vendor(ctx)
    if supplier is None:
        return
    rules = ctx.policy.duplicates
    for match in duplicate_matches(ctx.invoice, supplier.vendor_id, ctx.prior_invoices, rules):
        if match.kind != "exact":
            continue
        prior = match.prior
        yield ctx.finding(
            f"Invoice {ctx.invoice.invoice_number} from {supplier.name} was already processed "
            f"({prior.file_name}, {prior.invoice_date or 'no date'}, "
            f"decision: {prior.decision or 'pending'})",
            amount=ctx.invoice.total,
            prior_invoice_id=prior.invoice_id,
            prior_file=prior.file_name,
            prior_invoice_number=prior.invoice_number,
            prior_total=money(prior.total) if prior.total is not None else None,
            prior_decision=prior.decision,
            days_apart=match.days_apart,
        )
        return
