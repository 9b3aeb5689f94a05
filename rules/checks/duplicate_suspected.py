"""DUPLICATE_SUSPECTED: same vendor, same amount, near date, a similar invoice number."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz

from models.findings import Finding
from rules.base import RuleContext
from rules.matching.text import compact
from rules.scope import money, vendor

PATTERN = "DUPLICATE_SUSPECTED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Re-billing with a slightly changed number ("INV-1001" → "INV-1001A") is a classic
    double-payment and fraud pattern; a person must compare the two documents.

    Fires for an earlier invoice of the same vendor with another number whose similarity
    (rapidfuzz ratio of the normalised numbers) reaches the policy's threshold, the same
    total, and invoice dates within the policy's window.
    """
    supplier = vendor(ctx)
    invoice = ctx.invoice
    number = compact(invoice.invoice_number or "")
    if supplier is None or not number or invoice.total is None or invoice.invoice_date is None:
        return
    rules = ctx.policy.duplicates
    for prior in ctx.prior_invoices:
        other = compact(prior.invoice_number or "")
        if prior.vendor_id != supplier.vendor_id or not other or other == number:
            continue
        if prior.total is None or prior.total != invoice.total or prior.invoice_date is None:
            continue
        days = abs((invoice.invoice_date - prior.invoice_date).days)
        similarity = fuzz.ratio(number, other)
        if days > rules.window_days or similarity < rules.number_similarity:
            continue
        yield ctx.finding(
            f"Possible duplicate of invoice {prior.invoice_number} ({prior.file_name}): same "
            f"vendor and total {money(invoice.total)}, dates {days} days apart, invoice "
            f"numbers {similarity:.0f} % similar",
            amount=invoice.total,
            prior_invoice_id=prior.invoice_id,
            prior_file=prior.file_name,
            prior_invoice_number=prior.invoice_number,
            number_similarity=f"{similarity:.1f}",
            days_apart=days,
        )
