"""PRICE_VARIANCE: unit price above PO price beyond tolerance.

Fires when: on an invoice that bills its own vendor's PO in the PO's currency (or states no
currency), a line matched to a PO line has a unit price above the PO line's unit price plus
`tolerances.unit_price_percent` % of it: one finding per line, for the price difference × the billed
quantity. A PO line priced 0 (free of charge) allows no tolerance: any price above 0 fires.
Why it matters: a unit price above the agreed one is money nobody agreed to pay; the small tolerance
absorbs rounding of unit prices, not price increases. A free-of-charge PO line is no free pass.
Example: the PO has HP 26A toner at 64.00 (limit 65.28 at 2 %); the invoice bills 5 at 67.20: "Line
2 'Toner cartridge HP 26A black': unit price 67.20 is 5.0 % above the PO price 64.00 (tolerance 2
%)", amount 16.00. A PO line for sample toner at 0.00, billed 2 × 12.50: "Line 1 'Sample toner (free
of charge)': unit price 12.50 is above the PO price 0.00 (tolerance 2 %)", amount 25.00.
Policy keys: tolerances.unit_price_percent
Does not fire when: the price is at or below the limit (cheaper never fires; 0 billed on a PO line
at 0 passes); the line matches no PO line (UNMATCHED_LINE); the currencies differ
(CURRENCY_MISMATCH); there is no PO, it does not exist or is another vendor's; the invoice is a
credit note.
"""

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
