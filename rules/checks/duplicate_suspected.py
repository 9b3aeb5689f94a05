"""DUPLICATE_SUSPECTED: same vendor and amount near in date, similar number; or a reused number.

Fires when: the invoice is no exact duplicate (no earlier invoice makes it DUPLICATE_EXACT), and an
invoice processed earlier (all of history) for the same resolved vendor either has the same invoice
number in its normal form (as for DUPLICATE_EXACT: "INV-0042" = "42") but another total or currency,
a total or date missing on either side, or a date more than `duplicates.exact_window_days` days
apart; or has another number whose normal form is at least `duplicates.number_similarity` similar
(rapidfuzz ratio) to this one, exactly the same total (same currency when both state one), and an
invoice date at most `duplicates.window_days` days before or after this one, unless the two look
like consecutive invoices of a recurring series (the same number stem with a higher trailing number
on the later-dated invoice, dated `duplicates.recurring_min_days` to `duplicates.recurring_max_days`
days apart). One finding per such earlier invoice.
Why it matters: re-billing under a slightly changed number slips past the exact duplicate check, and
a number used again (a corrected re-issue, an altered copy, a number range restarted) may be the
same claim twice; both are classic double-payment and fraud patterns, and only a person comparing
the two documents can tell a re-issue from a genuine second invoice. It is reviewed by two people
(`routing.four_eyes_on`), never rejected automatically.
Example: Brightline billed BCS-7781 for 3,638.52 on 2026-11-02; BCS-7781A for 3,638.52 dated
2026-11-05 arrives: "Possible duplicate of invoice BCS-7781 (010-brightline-bcs-7781.pdf): same
vendor and total 3,638.52, dates 3 days apart, invoice numbers 93 % similar". Nordwind's
RE-2026-04417 of 2026-09-09 was 2,871.47 EUR; another RE-2026-04417, for 2,142.00 EUR and dated
2026-11-12, arrives: "Possible duplicate of invoice RE-2026-04417 (002-nordwind-re-2026-04417.pdf):
the same invoice number, but totals 2,142.00 EUR and 2,871.47 EUR, dates 64 days apart".
Policy keys: duplicates.exact_window_days, duplicates.number_similarity, duplicates.window_days,
duplicates.recurring_min_days, duplicates.recurring_max_days
Does not fire when: the vendor is unknown or no invoice number was read; the earlier invoice is
another vendor's; any earlier invoice has the same number, total and a date within
`duplicates.exact_window_days` (DUPLICATE_EXACT rejects the invoice, and this rule stays silent).
For another number: the totals differ even by a cent or are in other currencies; a total or date is
missing; the numbers are less similar than the threshold (INV-1001 and INV-2417); the dates are
further apart than `duplicates.window_days`; it is the next invoice of a series about a month later
(INV-2026-0101 of 2026-10-13 and INV-2026-0102 of 2026-11-10, same amount).
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
