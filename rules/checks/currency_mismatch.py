"""CURRENCY_MISMATCH: the invoice is in another currency than its PO."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import same_currency

PATTERN = "CURRENCY_MISMATCH"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The PO fixes the currency of the deal; paying in another one shifts the exchange
    risk and makes every price comparison meaningless. Compared with the quoted PO whoever
    the vendor is; an invoice that states no currency is read in the PO's."""
    po = ctx.match.po
    if po is None or same_currency(ctx.invoice, po):
        return
    yield ctx.finding(
        f"Invoice is in {ctx.invoice.currency}, but PO {po.po_number} is in {po.currency}",
        amount=ctx.invoice.total,
        invoice_currency=ctx.invoice.currency,
        po_currency=po.currency,
        po_number=po.po_number,
    )
