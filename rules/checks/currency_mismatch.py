"""CURRENCY_MISMATCH: invoice currency differs from PO currency.

Fires when: the invoice quotes a PO that exists and states a currency other than the PO's (compared
without case and spaces). It holds whoever the vendor is, also on another vendor's PO and on credit
notes.
Why it matters: the PO fixes the currency of the deal; paying in another currency shifts the
exchange risk to the buyer and makes every price comparison meaningless (PRICE_VARIANCE is not
checked on such an invoice).
Example: PO-2026-0123 is in EUR for 4,800.00; Lumen bills the same three lines, 4,800.00, in USD:
"Invoice is in USD, but PO PO-2026-0123 is in EUR".
Policy keys: none
Does not fire when: the invoice quotes no PO or one that does not exist; the invoice states no
currency (it is read in the PO's). Invoices without a PO are not compared with the vendor master's
currency.
"""

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
