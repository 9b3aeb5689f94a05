"""PO_OVERBILLED: all invoices against the PO together exceed it.

Fires when: the invoice bills its own vendor's existing PO and has a subtotal, and that subtotal
plus the subtotals of the invoices processed earlier on the same PO exceeds the PO's net amount (Σ
quantity × unit price of its lines) by more than `tolerances.arithmetic`. An earlier invoice counts
unless it was rejected or carries this invoice's number. Net amounts, before tax.
Why it matters: each invoice can pass its own line checks while together they bill more than was
ordered; the PO is the spending approval, and the excess is money nobody approved.
Example: PO-2026-0132 orders 20 motors at 189.00 (3,780.00 net); KIP-558214 billed 12 (2,268.00),
KIP-558290 bills 11 more (2,079.00): "PO PO-2026-0132 is worth 3,780.00 net; this invoice
(2,079.00) and 1 earlier invoice(s) (2,268.00) bill 4,347.00, 567.00 too much".
Policy keys: tolerances.arithmetic
Does not fire when: there is no PO, it does not exist or is another vendor's; the invoice is a
credit note or has no subtotal; earlier invoices were rejected, lack a subtotal, or carry this
invoice's number (copies: DUPLICATE_EXACT); the total billed stays within the PO's net amount plus
the tolerance. A single invoice above the PO fires on its own.
"""

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
