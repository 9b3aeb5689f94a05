"""UNMATCHED_LINE: a line that is on no PO line.

Fires when: on an invoice that bills its own vendor's PO, a line was paired with no PO line (by
SKU, exact apart from case and separators; else by description, rapidfuzz WRatio at least
`matching.line_description_score`, or 15 points less when the unit price is exactly that of one
open PO line and of no other open invoice line; each PO line pairs with one invoice line at
most), and it is not a charge (no `unplanned_charge_keywords` word, or one that only names goods
with a SKU: "Shipping labels"): one finding per line, for its amount.
Why it matters: goods or services nobody ordered on this PO, or described too differently to tell:
buying must confirm them before they are paid.
Example: PO-2026-0143 orders cartons, pallets and wrap; the invoice adds "Bubble cushioning roll 50
m", 4 × 22.50: "Line 3 'Bubble cushioning roll 50 m' (90.00) is on no line of PO PO-2026-0143".
Policy keys: matching.line_description_score, unplanned_charge_keywords
Does not fire when: the line is a charge (UNPLANNED_CHARGE); there is no PO, it does not exist or
is another vendor's; the invoice is a credit note. A PO line the invoice does not bill is not a
finding (partial billing is normal).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import is_charge, line_label, line_scope, lines_off_po, money

PATTERN = "UNMATCHED_LINE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Goods or services nobody ordered on this PO (or described too differently to tell):
    buying must confirm them. Charge lines (freight, fees) are UNPLANNED_CHARGE instead."""
    po = line_scope(ctx)
    if po is None:
        return
    keywords = ctx.policy.unplanned_charge_keywords
    for index, line in lines_off_po(ctx):
        if is_charge(line.description, keywords, line.sku):
            continue
        yield ctx.finding(
            f"{line_label(index, line)} ({money(line.amount)}) is on no line of "
            f"PO {po.po_number}",
            amount=line.amount,
            line=index + 1,
            description=line.description,
            sku=line.sku,
            po_number=po.po_number,
        )
