"""DUPLICATE_EXACT: same vendor, invoice number (ignoring format) and amount already processed.

Fires when: an invoice processed earlier (all of history, whatever its file or decision) for the
same resolved vendor has the same invoice number in its normal form (models/keys.py: case, spaces,
punctuation, leading "invoice number" words such as INV, Rechnung Nr. or Facture n°, and leading
zeros do not count: "INV-0042" = "inv 42" = "Rechnung Nr. 0042"), exactly the same total (in the
same currency when both state one), and an invoice date at most `duplicates.exact_window_days` days
before or after this one. One finding, naming the first such invoice.
Why it matters: a vendor never bills the same invoice twice: a second copy (re-sent, re-scanned,
stamped COPY, another format of the same invoice) must not be paid again. The policy rejects it
outright (`routing.reject_on`), so it asks for all three: number, amount and date.
Example: Acme's INV-10231 of 2026-09-08 for 1,600.20 GBP was approved; the same invoice arrives
again with a COPY stamp: "Invoice INV-10231 from Acme Office Supplies Ltd was already processed
(001-acme-inv-10231.pdf, 2026-09-08, decision: approve)".
Policy keys: duplicates.exact_window_days
Does not fire when: the vendor is unknown or no invoice number was read; the earlier invoice with
that number is another vendor's (number ranges overlap between vendors); it is the first of the
copies to arrive. The same number with another total or currency, a total or date missing on either
side, or dates farther apart than the window is a re-used number, DUPLICATE_SUSPECTED (reviewed,
never rejected); so is a number that is only similar ("INV-10231A") with the same total and a near
date.
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
