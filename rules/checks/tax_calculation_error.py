"""TAX_CALCULATION_ERROR: tax amount differs from rate x base.

Fires when: the invoice states a tax amount and a subtotal, and the tax differs by more than
`tolerances.tax_amount` from the expected tax: the stated rate (the header rate, else the one rate
all lines share) × the subtotal, or, when lines carry different rates, Σ each line's amount × its
rate; rounded half up to cents as invoices print them. Vendor-independent: it checks the document
against itself.
Why it matters: input tax can be reclaimed only as correctly invoiced; a wrong tax amount needs a
corrected invoice, or the tax authority disallows the reclaim.
Example: subtotal 2,350.00 at 19 % makes 446.50, but the invoice states VAT 456.50: "Tax 456.50 is
not 19 % of the subtotal 2,350.00 (446.50 expected, difference 10.00, tolerance 0.01)".
Policy keys: tolerances.tax_amount
Does not fire when: no tax or no subtotal was read; no rate is stated in the header, and the lines
neither share one rate nor all state theirs; the difference is within the tolerance. Whether the
rate is the right one for the goods is TAX_RATE_UNEXPECTED's question; whether subtotal + tax =
total is ARITHMETIC_ERROR's.
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


def _mixed_rate_tax(invoice: InvoiceDocument) -> Decimal | None:
    """Σ line amount × line rate, when every line states its rate."""
    if not invoice.lines or any(line.tax_rate is None for line in invoice.lines):
        return None
    return sum(
        (line.amount * (line.tax_rate or Decimal(0)) / Decimal(100) for line in invoice.lines),
        Decimal(0),
    )


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Input tax can be reclaimed only as correctly invoiced; a wrong tax amount means a
    corrected invoice is needed. Vendor-independent: it checks the document against itself.
    With one rate: tax = rate × subtotal; with lines at different rates: Σ rate × line;
    rounded half up to cents as printed, then compared within the policy's tolerance."""
    invoice = ctx.invoice
    rate = stated_rate(invoice)
    if invoice.tax is None or invoice.subtotal is None:
        return
    if rate is not None:
        expected = cents(invoice.subtotal * rate / Decimal(100))
        basis = f"{number(rate)} % of the subtotal {money(invoice.subtotal)}"
    else:
        mixed = _mixed_rate_tax(invoice)
        if mixed is None:
            return
        expected, basis = cents(mixed), "the sum of each line's rate × amount"
    difference = invoice.tax - expected
    tolerance = ctx.policy.tolerances.tax_amount
    if abs(difference) <= tolerance:
        return
    yield ctx.finding(
        f"Tax {money(invoice.tax)} is not {basis} ({money(expected)} expected, difference "
        f"{money(difference)}, tolerance {money(tolerance)})",
        amount=difference,
        stated_tax=invoice.tax,
        tax_rate_percent=rate,
        subtotal=invoice.subtotal,
        expected_tax=money(expected),
    )
