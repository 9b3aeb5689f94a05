"""RECEIPT_PENDING: a billed PO line with nothing received yet: hold and re-match on receipt.

Fires when: on an invoice that bills its own vendor's PO, one or more of the PO lines it bills has
nothing received yet (the goods receipts of that PO line add up to zero or less), each billed line
counted on its own, even when the others arrived. The billed lines are the PO lines its lines
matched; every line of the PO when no invoice line could be read. One finding naming the pending PO
lines: for the pending lines' amounts when other billed lines arrived and the lines were read, else
for the subtotal.
Why it matters: the invoice is not wrong, just early: it waits for the goods receipt and is matched
again when the receipt is posted, rather than being paid for goods not delivered. A line still
missing must not be paid along with the lines that arrived. When it is the only finding, the policy
holds the invoice (`routing.hold_when_only`) instead of sending it to review.
Example: a Harbor invoice bills cartons (PO-2026-0143 line 1, 3,000 received) and 150 pallets at
14.75 (line 3, nothing received yet): "Nothing has been received yet on PO PO-2026-0143 line 3,
though line 1 arrived: hold until the goods receipt is posted", amount 2,212.50. With nothing
received on either line: "Nothing has been received yet on PO PO-2026-0143 (lines 1, 3): hold until
the goods receipt is posted".
Policy keys: none
Does not fire when: every billed PO line has some quantity received (a partial receipt is
QTY_OVER_RECEIVED's); the invoice has lines but none matches a PO line (UNMATCHED_LINE), and
unmatched lines next to matched ones do not count; PO lines the invoice does not bill are not looked
at; there is no PO, it does not exist or is another vendor's; the invoice is a credit note.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import line_scope

PATTERN = "RECEIPT_PENDING"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A billed PO line with nothing received yet is not wrong, just early: the invoice
    waits for the goods receipt and is matched again when it is posted. Each billed line
    counts on its own: a line with nothing received is pending even when others arrived.

    Billed lines are the matched PO lines; an invoice whose lines could not be read is
    taken to bill the whole PO. Unmatched lines alone do not make it pending.
    """
    order = line_scope(ctx)
    if order is None:
        return
    billed = {m.po_line.line_no: m.line_index for m in ctx.match.lines if m.po_line is not None}
    whole_po = not billed and not ctx.invoice.lines
    billed_nos = sorted(line.line_no for line in order.lines) if whole_po else sorted(billed)
    pending = [no for no in billed_nos if ctx.master.received_quantity(order.po_number, no) <= 0]
    if not pending:
        return
    numbers = ", ".join(str(no) for no in pending)
    plural = "s" if len(pending) > 1 else ""
    amount = ctx.invoice.subtotal
    message = (f"Nothing has been received yet on PO {order.po_number} "
               f"(line{plural} {numbers}): hold until the goods receipt is posted")
    if len(pending) < len(billed_nos):
        received = [str(no) for no in billed_nos if no not in pending]
        message = (f"Nothing has been received yet on PO {order.po_number} line{plural} "
                   f"{numbers}, though line{'s' if len(received) > 1 else ''} "
                   f"{', '.join(received)} arrived: hold until the goods receipt is posted")
        if not whole_po:
            amount = sum((ctx.invoice.lines[billed[no]].amount for no in pending), Decimal(0))
    yield ctx.finding(
        message,
        amount=amount,
        po_number=order.po_number,
        po_lines=numbers,
        billed_po_lines=", ".join(str(no) for no in billed_nos),
    )
