"""PAYMENT_TERMS_MISMATCH: the invoice asks for other payment terms than agreed."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import is_credit_note, vendor

PATTERN = "PAYMENT_TERMS_MISMATCH"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Shorter terms than the vendor master's cost cash and discounts; the agreed terms
    apply, so the invoice is paid on them and the vendor told. Not for credit notes: they
    are offset, not paid on terms."""
    supplier = vendor(ctx)
    invoice = ctx.invoice
    if supplier is None or is_credit_note(invoice):
        return
    agreed = supplier.payment_terms_days
    if invoice.payment_terms_days is not None and invoice.payment_terms_days != agreed:
        yield ctx.finding(
            f"Invoice states payment terms of {invoice.payment_terms_days} days; "
            f"{supplier.name}'s agreed terms are {agreed} days",
            stated_terms_days=invoice.payment_terms_days,
            agreed_terms_days=agreed,
        )
    if invoice.due_date is not None and invoice.invoice_date is not None:
        days = (invoice.due_date - invoice.invoice_date).days
        if days != agreed:
            yield ctx.finding(
                f"Due date {invoice.due_date.isoformat()} is {days} days after the invoice "
                f"date; {supplier.name}'s agreed terms are {agreed} days",
                due_date=invoice.due_date,
                invoice_date=invoice.invoice_date,
                due_in_days=days,
                agreed_terms_days=agreed,
            )
