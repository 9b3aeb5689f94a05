"""DUPLICATE_EXACT: same vendor and invoice number already processed.

Fires when: an invoice processed earlier for the same resolved vendor has the same invoice number,
compared without case, spaces or punctuation ("INV-10231" = "inv 10231"), whatever that earlier
invoice's amounts, file or decision. One finding, naming the first such invoice.
Why it matters: a vendor never bills the same invoice number twice: a second copy (re-sent,
re-scanned, stamped COPY, another format of the same invoice) must not be paid again. The policy
rejects it (`routing.reject_on`).
Example: INV-10231 from Acme for 1,250.00 was approved last week; the same invoice arrives again
with a COPY stamp: "Invoice INV-10231 from Acme Office Supplies Ltd was already processed
(001-acme-inv-10231.pdf, 2026-11-03, decision: approve)".
Policy keys: none
Does not fire when: the vendor is unknown or no invoice number was read; the earlier invoice with
that number is another vendor's (number ranges overlap between vendors); it is the first of the
copies to arrive; the numbers are only similar ("INV-10231A": DUPLICATE_SUSPECTED).
"""

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
