"""RECEIPT_PENDING: the invoice arrived before the goods."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import line_scope

PATTERN = "RECEIPT_PENDING"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Nothing received on any billed PO line: not wrong, just early, so the invoice waits
    for the goods receipt and is matched again when it is posted.

    Billed lines are the matched PO lines; an invoice whose lines could not be read is
    taken to bill the whole PO. Unmatched lines alone do not make it pending.
    """
    order = line_scope(ctx)
    if order is None:
        return
    billed = [m.po_line.line_no for m in ctx.match.lines if m.po_line is not None]
    if not billed and not ctx.invoice.lines:
        billed = [line.line_no for line in order.lines]
    if not billed:
        return
    received = sum((ctx.master.received_quantity(order.po_number, no) for no in billed), Decimal(0))
    if received > 0:
        return
    numbers = ", ".join(str(no) for no in sorted(billed))
    yield ctx.finding(
        f"Nothing has been received yet on PO {order.po_number} "
        f"(line{'s' if len(billed) > 1 else ''} {numbers}): hold until the goods receipt is posted",
        amount=ctx.invoice.subtotal,
        po_number=order.po_number,
        po_lines=numbers,
    )
