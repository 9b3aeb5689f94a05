"""DUPLICATE_SUSPECTED: same vendor, amount and near date, similar number.

Fires when: an invoice processed earlier for the same resolved vendor has another invoice number
(normalised as for DUPLICATE_EXACT) whose rapidfuzz ratio to this one is at least
`duplicates.number_similarity`, exactly the same total, and an invoice date at most
`duplicates.window_days` days before or after this one. One finding per such invoice.
Why it matters: re-billing under a slightly changed number slips past the exact duplicate check; it
is a classic double payment and fraud pattern, and only a person comparing the two documents can
tell a re-issue from a genuine second invoice.
Example: Brightline billed BCS-7781 for 2,400.00 on 2026-11-02; BCS-7781A for 2,400.00 dated
2026-11-05 arrives: "Possible duplicate of invoice BCS-7781 (010-brightline-bcs-7781.pdf): same
vendor and total 2,400.00, dates 3 days apart, invoice numbers 93 % similar".
Policy keys: duplicates.window_days, duplicates.number_similarity
Does not fire when: the vendor is unknown; either invoice lacks a number, a total or a date; the
totals differ even by a cent; the numbers are equal once normalised (DUPLICATE_EXACT); the numbers
are less similar than the threshold (INV-1001 and INV-2417); the dates are further apart than the
window.
"""

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
