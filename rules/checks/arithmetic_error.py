"""ARITHMETIC_ERROR: lines do not sum to subtotal, or subtotal + tax != total.

Fires when: the invoice's own numbers disagree by more than `tolerances.arithmetic`: a line's
quantity × unit price differs from its amount (one finding per such line), the line amounts do not
add up to the subtotal, or subtotal + tax differs from the total. Each check runs only when both of
its sides were read. Vendor-independent: it also runs for unknown vendors, invoices without a PO
and credit notes.
Why it matters: a document that contradicts itself cannot be paid as it stands: either the vendor
miscalculated or a number was altered after the invoice was made, and paying the printed total pays
the error. The vendor has to send a corrected invoice.
Example: subtotal 4,200.00 + tax 798.00 = 4,998.00, but the printed total is 5,098.00: one finding
"Subtotal 4,200.00 + tax 798.00 = 4,998.00, but the total says 5,098.00", amount 100.00.
Policy keys: tolerances.arithmetic
Does not fire when: a difference is within the tolerance (0.01 of rounding passes); the discounts
and charges printed in the totals block (`InvoiceDocument.adjustments`: "Remise -34,11", "Frais de
port 18,00") account for it exactly; the invoice has
no lines or no subtotal (no sum check), or lacks one of subtotal, tax and total (no total check).
Whether the tax itself is rate × base is TAX_CALCULATION_ERROR's question.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import line_label, money, number, price

PATTERN = "ARITHMETIC_ERROR"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A document that contradicts itself cannot be paid as is: either the vendor made a
    mistake or a number was altered. Checks quantity × price = amount per line, Σ lines =
    subtotal, subtotal + tax = total, each within the policy's rounding tolerance."""
    invoice = ctx.invoice
    tolerance = ctx.policy.tolerances.arithmetic
    for index, line in enumerate(invoice.lines):
        expected = line.quantity * line.unit_price
        if abs(expected - line.amount) > tolerance:
            yield ctx.finding(
                f"{line_label(index, line)}: {number(line.quantity)} × "
                f"{price(line.unit_price)} = {money(expected)}, but the line says "
                f"{money(line.amount)}",
                amount=line.amount - expected,
                line=index + 1,
                check="quantity x unit price = amount",
            )
    adjustments = invoice.adjustments
    if invoice.lines and invoice.subtotal is not None:
        lines_sum = sum((line.amount for line in invoice.lines), Decimal(0))
        bridged = adjustments is not None and (
            abs(lines_sum + adjustments - invoice.subtotal) <= tolerance
        )
        if abs(lines_sum - invoice.subtotal) > tolerance and not bridged:
            yield ctx.finding(
                f"The {len(invoice.lines)} lines add up to {money(lines_sum)}, but the "
                f"subtotal says {money(invoice.subtotal)}",
                amount=invoice.subtotal - lines_sum,
                check="sum of lines = subtotal",
                lines_sum=lines_sum,
                subtotal=invoice.subtotal,
            )
    if invoice.subtotal is not None and invoice.tax is not None and invoice.total is not None:
        expected_total = invoice.subtotal + invoice.tax
        bridged = adjustments is not None and (
            abs(expected_total + adjustments - invoice.total) <= tolerance
        )
        if abs(expected_total - invoice.total) > tolerance and not bridged:
            yield ctx.finding(
                f"Subtotal {money(invoice.subtotal)} + tax {money(invoice.tax)} = "
                f"{money(expected_total)}, but the total says {money(invoice.total)}",
                amount=invoice.total - expected_total,
                check="subtotal + tax = total",
                expected_total=expected_total,
                total=invoice.total,
            )
