"""PRICE_VARIANCE: the vendor bills more per unit than the PO agreed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import billed_lines, line_scope, number, percent, price, same_currency

PATTERN = "PRICE_VARIANCE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A unit price above the PO price beyond the policy's tolerance is money not agreed.

    Only for matched lines of the vendor's own PO in the PO's currency: prices in another
    currency are not comparable (CURRENCY_MISMATCH says so instead). A PO line priced 0
    (free of charge) is no free pass: any price above it is a variance.
    """
    po = line_scope(ctx)
    if po is None or not same_currency(ctx.invoice, po):
        return
    tolerance = ctx.policy.tolerances.unit_price_percent
    for billed in billed_lines(ctx):
        line, po_line = billed.line, billed.po_line
        agreed = po_line.unit_price
        if line.unit_price <= agreed + abs(agreed) * tolerance / Decimal(100):
            continue
        if agreed > 0:
            above = f"{percent((line.unit_price - agreed) / agreed * 100)} above"
        else:
            above = "above"
        yield ctx.finding(
            f"{billed.label}: unit price {price(line.unit_price)} is "
            f"{above} the PO price {price(agreed)} "
            f"(tolerance {number(tolerance)} %)",
            amount=(line.unit_price - agreed) * line.quantity,
            line=billed.index + 1,
            po_line=po_line.line_no,
            invoice_unit_price=line.unit_price,
            po_unit_price=agreed,
            tolerance_percent=tolerance,
        )
