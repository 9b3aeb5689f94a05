"""QTY_OVER_RECEIVED: billed for more than has arrived (3-way match)."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext, finding
from rules.scope import line_label, line_scope, money, number

PATTERN = "QTY_OVER_RECEIVED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Paying for goods not yet received risks paying for goods that never come.

    Only lines with some receipt: a line with nothing received is RECEIPT_PENDING's case.
    """
    if line_scope(ctx) is None:
        return
    tolerance = ctx.policy.tolerances.quantity_over_received
    for match in ctx.match.lines:
        received = match.received_quantity
        if match.po_line is None or received is None or received <= 0:
            continue
        line = ctx.invoice.lines[match.line_index]
        if line.quantity <= received + tolerance:
            continue
        excess = line.quantity - received
        yield finding(
            PATTERN,
            f"{line_label(match.line_index, line)}: billed quantity {number(line.quantity)} "
            f"is {number(excess)} more than the {number(received)} received so far "
            f"(PO line {match.po_line.line_no})",
            amount=excess * line.unit_price,
            line=match.line_index + 1,
            po_line=match.po_line.line_no,
            billed_quantity=line.quantity,
            received_quantity=received,
            excess_value=money(excess * line.unit_price),
        )
