"""PO_OVERBILLED: all invoices against the PO together exceed its value or a line's quantity.

Fires when: on an invoice that bills its own vendor's existing PO, either (value) the invoice has a
subtotal, and that subtotal plus the subtotals of the invoices processed earlier on the same PO (all
of history) exceeds the PO's net amount (Σ quantity × unit price of its lines) by more than
`tolerances.arithmetic`: one finding; or (quantity) a line matched to a PO line, itself within that
PO line's ordered quantity, brings the quantity billed on the PO line so far (with what earlier
invoices billed on it, `rules.scope.billed_so_far`) above the quantity ordered: one finding per
line, for the excess this invoice adds (at most its own quantity) × its unit price, no tolerance. An
earlier invoice counts unless it was rejected or carries this invoice's number in its normal form (a
copy of it). Net amounts, before tax.
Why it matters: each invoice can pass its own line checks while together they bill more than was
ordered, in money or in pieces; the PO is the spending approval, and the excess is money nobody
approved.
Example: PO-2026-0132 orders 20 motors at 189.00 (3,780.00 net); KIP-558214 billed 12 (2,268.00),
KIP-558290 bills 11 more (2,079.00): "PO PO-2026-0132 is worth 3,780.00 net; this invoice (2,079.00)
and 1 earlier invoice(s) (2,268.00) bill 4,347.00, 567.00 too much", and for the line "Line 1
'Electric motor 0.5 HP, 1725 rpm, TEFC': 11 billed now and 12 before (KIP-558214) make 23, 3 more
than the 20 ordered on PO PO-2026-0132 line 1", amount 567.00.
Policy keys: tolerances.arithmetic
Does not fire when: there is no PO, it does not exist or is another vendor's; the invoice is a
credit note; earlier invoices were rejected, or carry this invoice's number (copies:
DUPLICATE_EXACT); the value billed stays within the PO's net amount plus the tolerance (no value
check without a subtotal; an earlier invoice without one adds nothing), and the quantities billed on
each PO line stay within the ordered quantity. A single invoice above the PO's value fires on its
own; a single line above its PO line's quantity is QTY_OVER_ORDERED's, not this.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from models.findings import Finding
from models.keys import invoice_number_key
from models.master import PurchaseOrder
from rules.base import RuleContext
from rules.matching.po import normalise_po_number
from rules.scope import billed_lines, billed_so_far, line_scope, money, number

PATTERN = "PO_OVERBILLED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Each invoice may pass its own line checks while together they exceed the PO.

    All earlier invoices on the PO count, from all of history, unless they carry this
    invoice's number in its normal form (a copy of this very invoice, which DUPLICATE_EXACT
    handles) or were rejected (never to be paid). Fires when their subtotals and this one
    exceed the PO's net value, or when the quantities billed on a PO line so far exceed the
    quantity ordered though this invoice alone does not (that is QTY_OVER_ORDERED). The
    allowance is the policy's arithmetic (rounding) tolerance.
    """
    po = line_scope(ctx)
    subtotal = ctx.invoice.subtotal
    if po is None:
        return
    if subtotal is not None:
        yield from _over_value(ctx, po, subtotal)
    earlier = billed_so_far(ctx)
    for billed in billed_lines(ctx):
        line, po_line = billed.line, billed.po_line
        before = earlier.get(po_line.line_no)
        if before is None or line.quantity > po_line.quantity:
            continue
        total = before.quantity + line.quantity
        if total <= po_line.quantity:
            continue
        excess = total - po_line.quantity
        yield ctx.finding(
            f"{billed.label}: {number(line.quantity)} billed now and {number(before.quantity)} "
            f"before ({', '.join(before.invoices)}) make {number(total)}, "
            f"{number(excess)} more than the {number(po_line.quantity)} ordered on PO "
            f"{po.po_number} line {po_line.line_no}",
            amount=min(excess, line.quantity) * line.unit_price,
            po_number=po.po_number,
            po_line=po_line.line_no,
            ordered_quantity=po_line.quantity,
            billed_quantity=line.quantity,
            billed_before=number(before.quantity),
            earlier_invoices=", ".join(before.invoices),
        )


def _over_value(ctx: RuleContext, po: PurchaseOrder, subtotal: Decimal) -> Iterator[Finding]:
    own_number = invoice_number_key(ctx.invoice.invoice_number)
    earlier: list[tuple[str, Decimal]] = []
    for prior in ctx.prior_on_po:
        if prior.subtotal is None or (prior.decision or "").casefold() == "reject":
            continue
        if prior.po_number and normalise_po_number(prior.po_number) != normalise_po_number(
            po.po_number
        ):
            continue
        if own_number and invoice_number_key(prior.invoice_number) == own_number:
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
