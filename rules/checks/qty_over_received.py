"""QTY_OVER_RECEIVED: billed for more than has arrived (3-way match)."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import billed_lines, money, number

PATTERN = "QTY_OVER_RECEIVED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Paying for goods not yet received risks paying for goods that never come.

    Only lines with some receipt: a line with nothing received is RECEIPT_PENDING's case.
    """
    tolerance = ctx.policy.tolerances.quantity_over_received
    for billed in billed_lines(ctx):
        line, received = billed.line, billed.received
        if received is None or received <= 0:
            continue
        if line.quantity <= received + tolerance:
            continue
        excess = line.quantity - received
        yield ctx.finding(
            f"{billed.label}: billed quantity {number(line.quantity)} "
            f"is {number(excess)} more than the {number(received)} received so far "
            f"(PO line {billed.po_line.line_no})",
            amount=excess * line.unit_price,
            line=billed.index + 1,
            po_line=billed.po_line.line_no,
            billed_quantity=line.quantity,
            received_quantity=received,
            excess_value=money(excess * line.unit_price),
        )
