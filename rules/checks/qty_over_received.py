"""QTY_OVER_RECEIVED: billed quantity above the quantity received so far on a line with a receipt.

Fires when: on an invoice that bills its own vendor's PO, a line matched to a PO line with some
quantity received (all goods receipts of that PO line added up) bills more than that received
quantity plus `tolerances.quantity_over_received`: one finding per line, for the excess × the
invoice's unit price.
Why it matters: the 3-way match: paying for goods not yet received risks paying for goods that
never come. The excess can be paid once the rest has arrived.
Example: 10 pallets billed on PO line 1, 6 received so far: "Line 1 'Euro pallet 1200x800': billed
quantity 10 is 4 more than the 6 received so far (PO line 1)".
Policy keys: tolerances.quantity_over_received
Does not fire when: nothing at all was received on that PO line (RECEIPT_PENDING's case); the
billed quantity is within the received quantity plus the tolerance; the line matches no PO line;
there is no PO, it does not exist or is another vendor's; the invoice is a credit note.
"""

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
