"""ARITHMETIC_ERROR: the invoice's own numbers do not add up."""

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
    if invoice.lines and invoice.subtotal is not None:
        lines_sum = sum((line.amount for line in invoice.lines), Decimal(0))
        if abs(lines_sum - invoice.subtotal) > tolerance:
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
        if abs(expected_total - invoice.total) > tolerance:
            yield ctx.finding(
                f"Subtotal {money(invoice.subtotal)} + tax {money(invoice.tax)} = "
                f"{money(expected_total)}, but the total says {money(invoice.total)}",
                amount=invoice.total - expected_total,
                check="subtotal + tax = total",
                expected_total=expected_total,
                total=invoice.total,
            )
