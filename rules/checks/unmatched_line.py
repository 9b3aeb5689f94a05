"""UNMATCHED_LINE: an invoice item that is on no line of the PO."""

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
        if is_charge(line.description, keywords):
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
