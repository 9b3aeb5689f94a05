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
    currency are not comparable (CURRENCY_MISMATCH says so instead).
    """
    po = line_scope(ctx)
    if po is None or not same_currency(ctx.invoice, po):
        return
    tolerance = ctx.policy.tolerances.unit_price_percent
    for billed in billed_lines(ctx):
        line, po_line = billed.line, billed.po_line
        if po_line.unit_price <= 0:
            continue
        limit = po_line.unit_price * (1 + tolerance / Decimal(100))
        if line.unit_price <= limit:
            continue
        above = (line.unit_price - po_line.unit_price) / po_line.unit_price * 100
        yield ctx.finding(
            f"{billed.label}: unit price {price(line.unit_price)} is "
            f"{percent(above)} above the PO price {price(po_line.unit_price)} "
            f"(tolerance {number(tolerance)} %)",
            amount=(line.unit_price - po_line.unit_price) * line.quantity,
            line=billed.index + 1,
            po_line=po_line.line_no,
            invoice_unit_price=line.unit_price,
            po_unit_price=po_line.unit_price,
            tolerance_percent=tolerance,
        )
