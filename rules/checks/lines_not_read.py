"""LINES_NOT_READ: a PO invoice whose line items could not be read in full.

Fires when: the invoice quotes a PO number and its completeness record (rules/completeness.py)
says the line items are missing or unconfirmed for a reason of reading: no line item could be
read at all (a table header APX does not know, a page that did not parse, an e-invoice profile
without lines), a line was dropped because its quantity, price, amount or description is not
printed, or there is no subtotal to check the lines against and no total they add up to (with
the tax). One finding names the reason and the PO.
Why it matters: a PO invoice is paid line by line against the PO and the goods receipts; lines
that were not read are lines whose price, quantity and receipt were never checked, so paying
the invoice would pay money nobody compared with the order.
Example: an invoice for PO-1001 whose table is headed "Article / Pcs / Cost / Sum" yields no
line: "The line items of this PO invoice could not be confirmed: no line item could be read.
Check them against PO PO-1001 by hand."
Policy keys: tolerances.arithmetic
Does not fire when: the invoice quotes no PO (NON_PO_INVOICE or MISSING_PO take it); every line
was read and they add up (lines that were read but do not add up to the subtotal are
ARITHMETIC_ERROR's; lines on no PO line are UNMATCHED_LINE's).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.completeness import LINES, assess

PATTERN = "LINES_NOT_READ"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A PO invoice is paid line by line against the PO and the receipts; lines that were
    not read (unknown table headers, a page that did not parse, a line dropped because its
    numbers are not printed) cannot be matched, so the price, quantity and receipt checks
    never ran on them. A person reads the lines instead.

    Lines that were read but do not add up are ARITHMETIC_ERROR's; lines on no PO line are
    UNMATCHED_LINE's.
    """
    for fact in assess(ctx).gaps:
        if fact.reported_by != LINES:
            continue
        yield ctx.finding(
            f"The line items of this PO invoice could not be confirmed: {fact.detail}. "
            f"Check them against PO {ctx.invoice.po_number} by hand.",
            amount=ctx.invoice.subtotal if ctx.invoice.subtotal is not None
            else ctx.invoice.total,
            po_number=ctx.invoice.po_number,
            lines_read=len(ctx.invoice.lines),
        )
