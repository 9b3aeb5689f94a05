"""LINES_NOT_READ: a PO invoice whose line items could not be read in full."""

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
