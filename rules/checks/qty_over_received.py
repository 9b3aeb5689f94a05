"""QTY_OVER_RECEIVED: this and earlier invoices bill more of a PO line than received so far.

Fires when: on an invoice that bills its own vendor's PO, a line matched to a PO line with some
quantity received (all goods receipts of that PO line added up) makes the quantity billed on that
PO line so far (this line's quantity plus what earlier invoices that were not rejected billed on
the same PO line, `rules.scope.billed_so_far`; an earlier invoice with this invoice's number in its
normal form is a copy of it and does not count) exceed the received quantity plus
`tolerances.quantity_over_received`: one finding per line, for the excess this invoice adds (at
most its own quantity) × its unit price.
Why it matters: the 3-way match: paying for goods not yet received risks paying for goods that
never come. Split invoices must not pay for the same received goods twice: each one can stay
within the receipt while together they bill more. The excess can be paid once the rest has
arrived.
Example: PO line 1 orders 20 reams of A4 copy paper at 4.50, 12 are received so far; INV-10252
billed 12, and INV-10258 bills 8 more: "Line 1 'A4 copy paper 80g': billed quantity 8 and 12
billed before (INV-10252) make 20, 8 more than the 12 received so far (PO line 1)", amount 36.00.
Without an earlier invoice, 16 billed: "Line 1 'A4 copy paper 80g': billed quantity 16 is 4 more
than the 12 received so far (PO line 1)", amount 18.00.
Policy keys: tolerances.quantity_over_received
Does not fire when: nothing at all was received on that PO line (RECEIPT_PENDING's case); the
quantity billed so far is within the received quantity plus the tolerance; earlier invoices were
rejected or carry this invoice's number (copies: DUPLICATE_EXACT); the line matches no PO line;
there is no PO, it does not exist or is another vendor's; the invoice is a credit note.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import billed_lines, billed_so_far, money, number

PATTERN = "QTY_OVER_RECEIVED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Paying for goods not yet received risks paying for goods that never come.

    What a PO line has been billed accumulates: this invoice's quantity plus what earlier
    invoices that were not rejected billed on the same PO line (copies of this invoice
    aside) must not exceed the quantity received so far, beyond the policy's tolerance.
    Only lines with some receipt: a line with nothing received is RECEIPT_PENDING's case.
    """
    tolerance = ctx.policy.tolerances.quantity_over_received
    earlier = billed_so_far(ctx)
    for billed in billed_lines(ctx):
        line, received, po_line = billed.line, billed.received, billed.po_line
        if received is None or received <= 0:
            continue
        before = earlier.get(po_line.line_no)
        before_quantity = before.quantity if before is not None else Decimal(0)
        total = before_quantity + line.quantity
        excess = min(line.quantity, total - received)
        if total <= received + tolerance or excess <= 0:
            continue
        if before is None or before_quantity == 0:
            message = (f"{billed.label}: billed quantity {number(line.quantity)} "
                       f"is {number(excess)} more than the {number(received)} received so far "
                       f"(PO line {po_line.line_no})")
        else:
            message = (f"{billed.label}: billed quantity {number(line.quantity)} and "
                       f"{number(before_quantity)} billed before "
                       f"({', '.join(before.invoices)}) make {number(total)}, "
                       f"{number(total - received)} more than the {number(received)} received "
                       f"so far (PO line {po_line.line_no})")
        yield ctx.finding(
            message,
            amount=excess * line.unit_price,
            line=billed.index + 1,
            po_line=po_line.line_no,
            billed_quantity=line.quantity,
            billed_before=number(before_quantity),
            billed_so_far=number(total),
            earlier_invoices=", ".join(before.invoices) if before is not None else None,
            received_quantity=received,
            excess_value=money(excess * line.unit_price),
        )
