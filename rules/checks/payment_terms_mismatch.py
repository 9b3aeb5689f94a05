"""PAYMENT_TERMS_MISMATCH: due date or terms differ from the vendor's terms.

Fires when: for a resolved vendor, the payment terms stated on the invoice (in days) differ from
the vendor master's `payment_terms_days`, or the due date falls another number of days after the
invoice date than those terms: one finding each. Shorter and longer terms both fire.
Why it matters: the agreed terms apply; shorter terms cost cash and early-payment discounts, and a
silent change of terms should not become the new normal. The invoice is paid on the agreed terms
and the vendor told.
Example: Acme's agreed terms are 30 days; INV-10266 dated 2026-11-02 says "Payment terms: 7 days"
and "Due: 2026-11-09": "Invoice states payment terms of 7 days; Acme Office Supplies Ltd's agreed
terms are 30 days", and the same for the due date.
Policy keys: none
Does not fire when: the vendor is unknown; the invoice is a credit note (offset, not paid on
terms); no terms were read and no due date (or no invoice date) to compute them from; the stated
terms and the due date both match the agreed days.
"""

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
