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
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.matching.duplicates import DuplicateMatch, duplicate_matches
from rules.scope import money, vendor

PATTERN = "DUPLICATE_SUSPECTED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Re-billing under a slightly changed number ("INV-1001" → "INV-1001A"), or a number
    used again, is a classic double-payment and fraud pattern; a person must compare the
    two documents.

    Fires for an earlier invoice of the same vendor (all of history) with
    - the same number in its normal form ("INV-0042" = "42") but another total, dates
      farther apart than the policy's `exact_window_days`, or a date or total unknown; or
    - another number whose similarity (rapidfuzz ratio of the normal forms) reaches the
      policy's threshold, the same total, and dates within the policy's `window_days` —
      unless it is the next invoice of a series about a month later (`recurring_min_days`
      to `recurring_max_days`), as recurring monthly invoices are.
    Silent when the invoice is an exact duplicate (DUPLICATE_EXACT rejects it).
    """
    supplier = vendor(ctx)
    if supplier is None:
        return
    invoice = ctx.invoice
    rules = ctx.policy.duplicates
    matches = list(duplicate_matches(invoice, supplier.vendor_id, ctx.prior_invoices, rules))
    if any(match.kind == "exact" for match in matches):
        return
    for match in matches:
        prior = match.prior
        yield ctx.finding(
            f"Possible duplicate of invoice {prior.invoice_number} ({prior.file_name}): "
            f"{_reason(match, ctx)}",
            amount=invoice.total,
            prior_invoice_id=prior.invoice_id,
            prior_file=prior.file_name,
            prior_invoice_number=prior.invoice_number,
            prior_total=money(prior.total) if prior.total is not None else None,
            prior_invoice_date=prior.invoice_date,
            number_similarity=f"{match.similarity:.1f}",
            days_apart=match.days_apart,
        )


def _reason(match: DuplicateMatch, ctx: RuleContext) -> str:
    invoice, prior = ctx.invoice, match.prior
    days = match.days_apart
    apart = f"dates {days} days apart" if days is not None else "a date unknown"
    if not match.same_number:  # then the totals are the same
        return (f"same vendor and total {_amount(invoice.total, None)}, {apart}, "
                f"invoice numbers {match.similarity:.0f} % similar")
    if match.same_total:
        return (f"the same invoice number and total {_amount(invoice.total, invoice.currency)}, "
                f"but {apart} (a copy lies within "
                f"{ctx.policy.duplicates.exact_window_days} days)")
    return (f"the same invoice number, but totals {_amount(invoice.total, invoice.currency)} "
            f"and {_amount(prior.total, prior.currency)}, {apart}")


def _amount(value: Decimal | None, currency: str | None) -> str:
    return f"{money(value)} {currency or ''}".strip() if value is not None else "unknown"
