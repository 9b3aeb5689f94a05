"""TAX_CALCULATION_ERROR: tax amount differs from rate x base.

Fires when: the invoice states a tax amount and a subtotal, both confirmed by extraction (neither
is in `Extraction.unverified`), and the tax differs from the expected tax, rounded half up to cents
as invoices print it, by more than `tolerances.tax_amount` plus `tolerances.tax_per_line` for every
invoice line. The expected tax: when the lines carry different rates (each line's own rate, else
the header rate), Σ rate × the net amount of each rate group, provided the lines add up to the
subtotal within `tolerances.arithmetic`; otherwise the stated rate (the header rate, else the one
rate all lines share) × the subtotal. Vendor-independent: it checks the document against itself.
Why it matters: input tax can be reclaimed only as correctly invoiced; a wrong tax amount needs a
corrected invoice, or the tax authority disallows the reclaim. Vendors round per line, per rate or
on the total, so the allowance grows with the number of lines.
Example: a three-line invoice, subtotal 2,350.00 at 19 %, makes 446.50, but states VAT 456.50:
"Tax 456.50 is not 19 % of the subtotal 2,350.00 (446.50 expected, difference 10.00, tolerance
0.025)". Lines of 1,000.00 at 19 % and 200.00 at 7 %, VAT stated 228.00: "Tax 228.00 is not the
sum over its tax rates (7 % of 200.00 + 19 % of 1,000.00) (204.00 expected, difference 24.00,
tolerance 0.02)".
Policy keys: tolerances.tax_amount, tolerances.tax_per_line, tolerances.arithmetic
Does not fire when: no tax or no subtotal was read, or either could not be confirmed
(EXTRACTION_UNVERIFIED's); no rate is stated in the header, and the lines neither share one rate
nor all state theirs; lines at several rates do not add up to the subtotal (ARITHMETIC_ERROR's);
the difference is within the tolerance. Whether the rate is the right one for the goods is
TAX_RATE_UNEXPECTED's question; whether subtotal + tax = total is ARITHMETIC_ERROR's.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from models.invoice import InvoiceDocument
from rules.base import RuleContext
from rules.scope import cents, money, number

PATTERN = "TAX_CALCULATION_ERROR"


def stated_rate(invoice: InvoiceDocument) -> Decimal | None:
    """The header rate, else the one rate all lines share (None when lines differ)."""
    if invoice.tax_rate is not None:
        return invoice.tax_rate
    rates = {line.tax_rate for line in invoice.lines}
    if len(rates) == 1:
        return next(iter(rates))
    return None


def rate_groups(invoice: InvoiceDocument) -> dict[Decimal, Decimal]:
    """Net amount per tax rate: each line at its own rate, else at the header rate; empty
    when there are no lines or a line has no rate at all."""
    groups: dict[Decimal, Decimal] = {}
    for line in invoice.lines:
        rate = line.tax_rate if line.tax_rate is not None else invoice.tax_rate
        if rate is None:
            return {}
        groups[rate] = groups.get(rate, Decimal(0)) + line.amount
    return groups


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Input tax can be reclaimed only as correctly invoiced; a wrong tax amount means a
    corrected invoice is needed. Vendor-independent: it checks the document against itself.
    Lines at different rates (19 % and 7 %) are grouped by rate: tax = Σ rate × the group's
    net amount (when the lines add up to the subtotal; if not, ARITHMETIC_ERROR says so);
    otherwise tax = the rate × the subtotal. Vendors round per line, per rate or on the
    total, so the stated tax may differ from the expected (rounded half up to cents) by the
    policy's `tax_amount` plus `tax_per_line` for every line. A tax or subtotal the
    extraction could not confirm (several candidates) is EXTRACTION_UNVERIFIED's, not this."""
    invoice = ctx.invoice
    if invoice.tax is None or invoice.subtotal is None:
        return
    if {"tax", "subtotal"} & set(ctx.extraction.unverified):
        return
    tolerances = ctx.policy.tolerances
    groups = rate_groups(invoice)
    rate: Decimal | None = None
    if len(groups) > 1:
        if abs(sum(groups.values(), Decimal(0)) - invoice.subtotal) > tolerances.arithmetic:
            return
        exact = sum((base * r / Decimal(100) for r, base in groups.items()), Decimal(0))
        parts = " + ".join(f"{number(r)} % of {money(base)}" for r, base in sorted(groups.items()))
        basis = f"the sum over its tax rates ({parts})"
    else:
        rate = stated_rate(invoice)
        if rate is None:
            return
        exact = invoice.subtotal * rate / Decimal(100)
        basis = f"{number(rate)} % of the subtotal {money(invoice.subtotal)}"
    expected = cents(exact)
    difference = invoice.tax - expected
    tolerance = tolerances.tax_amount + tolerances.tax_per_line * len(invoice.lines)
    if abs(difference) <= tolerance:
        return
    yield ctx.finding(
        f"Tax {money(invoice.tax)} is not {basis} ({money(expected)} expected, difference "
        f"{money(difference)}, tolerance {number(tolerance)})",
        amount=difference,
        stated_tax=invoice.tax,
        tax_rate_percent=rate,
        rate_groups="; ".join(f"{number(r)} %: {money(b)}" for r, b in sorted(groups.items()))
        or None,
        subtotal=invoice.subtotal,
        expected_tax=money(expected),
    )
