"""QTY_OVER_ORDERED: billed quantity above PO quantity.

Fires when: on an invoice that bills its own vendor's PO, a line matched to a PO line bills a
larger quantity than that PO line orders: one finding per line, for the excess × the invoice's unit
price. No tolerance.
Why it matters: nobody authorised the quantity above the PO line's: the PO is the spending
approval, so buying must raise it or the vendor credit the excess.
Example: PO line 2 orders 10 fittings; the invoice bills 12 at 18.50: "Line 1 'Hydraulic fitting
DN15': billed quantity 12 is 2 more than the 10 ordered (PO line 2)", amount 37.00.
Policy keys: none
Does not fire when: the billed quantity is at most the ordered one; the line matches no PO line
(UNMATCHED_LINE); there is no PO, it does not exist or is another vendor's; the invoice is a credit
note. It compares one invoice with the PO; several invoices that together bill too much are
PO_OVERBILLED.
"""

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
