"""TAX_RATE_UNEXPECTED: tax rate differs from the PO line's tax rate.

Fires when: on an invoice that bills its own vendor's PO, a line matched to a PO line carries
another tax rate than the PO line (the line's own rate, else the invoice's header rate; compared as
numbers, 19 = 19.0): one finding per line.
Why it matters: the PO's tax code is what tax accounting expects for the goods; another rate means
a wrong tax code on one side, and wrong reclaimable tax.
Example: the PO lines carry 20 % VAT; Acme applies 5 % (correctly computed): "Line 1 'A4 copy paper
80g': tax rate 5 % differs from the 20 % on PO line 1", and so on for each matched line.
Policy keys: none
Does not fire when: neither the line nor the header states a rate; the line matches no PO line;
there is no PO, it does not exist or is another vendor's; the invoice is a credit note. A tax
amount that does not fit its own rate is TAX_CALCULATION_ERROR's.
"""

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
