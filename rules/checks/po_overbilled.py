"""PO_OVERBILLED: this invoice and the earlier ones on the PO bill more than it is worth."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from rules.base import RuleContext
from rules.matching.po import normalise_po_number
from rules.matching.text import compact
from rules.scope import line_scope, money

PATTERN = "PO_OVERBILLED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Each invoice may pass its own line checks while together they exceed the PO.

    Earlier invoices count unless they carry this invoice's number (a copy of this very
    invoice, which DUPLICATE_EXACT handles) or were rejected (never to be paid). The
    allowance is the policy's arithmetic (rounding) tolerance.
    """
    po = line_scope(ctx)
    subtotal = ctx.invoice.subtotal
    if po is None or subtotal is None:
        return
    own_number = compact(ctx.invoice.invoice_number or "")
    earlier: list[tuple[str, Decimal]] = []
    for prior in ctx.prior_on_po:
        if prior.subtotal is None or (prior.decision or "").casefold() == "reject":
            continue
        if prior.po_number and normalise_po_number(prior.po_number) != normalise_po_number(
            po.po_number
        ):
            continue
        if own_number and compact(prior.invoice_number or "") == own_number:
            continue
        earlier.append((prior.invoice_number or prior.file_name, prior.subtotal))
    billed_before = sum((amount for _, amount in earlier), Decimal(0))
    billed = subtotal + billed_before
    limit = po.net_amount + ctx.policy.tolerances.arithmetic
    if billed <= limit:
        return
    yield ctx.finding(
        f"PO {po.po_number} is worth {money(po.net_amount)} net; this invoice "
        f"({money(subtotal)}) and {len(earlier)} earlier invoice(s) ({money(billed_before)}) "
        f"bill {money(billed)}, {money(billed - po.net_amount)} too much",
        amount=billed - po.net_amount,
        po_number=po.po_number,
        po_net_amount=po.net_amount,
        this_invoice=subtotal,
        billed_before=billed_before,
        earlier_invoices=", ".join(name for name, _ in earlier) or None,
    )
