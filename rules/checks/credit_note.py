"""CREDIT_NOTE: a negative total, money coming back."""

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
