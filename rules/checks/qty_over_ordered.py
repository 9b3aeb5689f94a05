"""QTY_OVER_ORDERED: billed for more than was ordered."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext, finding
from rules.scope import line_label, line_scope, number

PATTERN = "QTY_OVER_ORDERED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Nobody authorised the quantity above the PO line's: the PO is the spending approval."""
    if line_scope(ctx) is None:
        return
    for match in ctx.match.lines:
        po_line = match.po_line
        if po_line is None:
            continue
        line = ctx.invoice.lines[match.line_index]
        if line.quantity <= po_line.quantity:
            continue
        excess = line.quantity - po_line.quantity
        yield finding(
            PATTERN,
            f"{line_label(match.line_index, line)}: billed quantity {number(line.quantity)} "
            f"is {number(excess)} more than the {number(po_line.quantity)} ordered "
            f"(PO line {po_line.line_no})",
            amount=excess * line.unit_price,
            line=match.line_index + 1,
            po_line=po_line.line_no,
            billed_quantity=line.quantity,
            ordered_quantity=po_line.quantity,
        )
