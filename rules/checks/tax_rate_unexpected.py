"""TAX_RATE_UNEXPECTED: the invoice applies another tax rate than the PO line carries."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import billed_lines, number

PATTERN = "TAX_RATE_UNEXPECTED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The PO's tax code is what tax accounting expects for the goods; another rate means
    a wrong tax code on one side (and wrong reclaimable tax). The line's own rate is used,
    else the invoice's header rate."""
    for billed in billed_lines(ctx):
        line, po_line = billed.line, billed.po_line
        rate = line.tax_rate if line.tax_rate is not None else ctx.invoice.tax_rate
        if rate is None or rate == po_line.tax_rate:
            continue
        yield ctx.finding(
            f"{billed.label}: tax rate {number(rate)} % differs from "
            f"the {number(po_line.tax_rate)} % on PO line {po_line.line_no}",
            line=billed.index + 1,
            po_line=po_line.line_no,
            invoice_tax_rate=rate,
            po_tax_rate=po_line.tax_rate,
        )
