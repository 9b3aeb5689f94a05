"""CREDIT_NOTE: negative total: must be matched to an original invoice.

Fires when: the total is below zero, or, when no total was read, the subtotal is below zero
(`rules.scope.is_credit_note`). Vendor-independent.
Why it matters: a credit note is money coming back: it must be offset against the invoice it
corrects (or refunded), never paid. Line-level rules and PAYMENT_TERMS_MISMATCH stay silent on it,
so a person matches it to the original invoice.
Example: Acme credits 2 returned desk lamps of INV-10235 at 45.00: subtotal -90.00, VAT -18.00,
total -108.00: "Credit note of -108.00: match it to the original invoice".
Policy keys: none
Does not fire when: the total is zero or positive, even with a negative line (a discount on an
ordinary invoice); neither total nor subtotal was read. The title "Credit note" alone does not
count: only the sign of the amount.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import is_credit_note, money

PATTERN = "CREDIT_NOTE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A credit note must be applied to the invoice it corrects (or refunded); it cannot be
    paid or matched to PO lines like an invoice."""
    invoice = ctx.invoice
    if not is_credit_note(invoice):
        return
    amount = invoice.total if invoice.total is not None else invoice.subtotal
    yield ctx.finding(
        f"Credit note of {money(amount) if amount is not None else 'unknown amount'}: "
        "match it to the original invoice",
        amount=amount,
        invoice_number=invoice.invoice_number,
        po_number=invoice.po_number,
    )
