"""QTY_OVER_ORDERED: billed for more than was ordered."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import billed_lines, number

PATTERN = "QTY_OVER_ORDERED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Nobody authorised the quantity above the PO line's: the PO is the spending approval."""
    for billed in billed_lines(ctx):
        line, po_line = billed.line, billed.po_line
        if line.quantity <= po_line.quantity:
            continue
        excess = line.quantity - po_line.quantity
        yield ctx.finding(
            f"{billed.label}: billed quantity {number(line.quantity)} "
            f"is {number(excess)} more than the {number(po_line.quantity)} ordered "
            f"(PO line {po_line.line_no})",
            amount=excess * line.unit_price,
            line=billed.index + 1,
            po_line=po_line.line_no,
            billed_quantity=line.quantity,
            ordered_quantity=po_line.quantity,
        )
