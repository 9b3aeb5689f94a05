"""UNPLANNED_CHARGE: freight, a fee or a surcharge the PO does not include."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import is_charge, line_label, line_scope, lines_off_po, money

PATTERN = "UNPLANNED_CHARGE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Extra charges added by the vendor were not agreed on the PO; usually small and
    accepted within policy, but someone must agree to them. Keywords are policy data."""
    po = line_scope(ctx)
    if po is None:
        return
    keywords = ctx.policy.unplanned_charge_keywords
    for index, line in lines_off_po(ctx):
        if not is_charge(line.description, keywords):
            continue
        yield ctx.finding(
            f"{line_label(index, line)}: charge of {money(line.amount)} is not "
            f"on PO {po.po_number}",
            amount=line.amount,
            line=index + 1,
            description=line.description,
            po_number=po.po_number,
        )
