"""TAX_RATE_UNEXPECTED: the invoice applies another tax rate than the PO line carries."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext, finding
from rules.scope import line_label, line_scope, number

PATTERN = "TAX_RATE_UNEXPECTED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The PO's tax code is what tax accounting expects for the goods; another rate means
    a wrong tax code on one side (and wrong reclaimable tax). The line's own rate is used,
    else the invoice's header rate."""
    if line_scope(ctx) is None:
        return
    for match in ctx.match.lines:
        po_line = match.po_line
        if po_line is None:
            continue
        line = ctx.invoice.lines[match.line_index]
        rate = line.tax_rate if line.tax_rate is not None else ctx.invoice.tax_rate
        if rate is None or rate == po_line.tax_rate:
            continue
        yield finding(
            PATTERN,
            f"{line_label(match.line_index, line)}: tax rate {number(rate)} % differs from "
            f"the {number(po_line.tax_rate)} % on PO line {po_line.line_no}",
            line=match.line_index + 1,
            po_line=po_line.line_no,
            invoice_tax_rate=rate,
            po_tax_rate=po_line.tax_rate,
        )
