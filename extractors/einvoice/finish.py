"""What both syntaxes share once their fields are read: APX's sign convention for credit
notes, the header tax rate and payment terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from extractors.einvoice.errors import invalid
from extractors.einvoice.model import EInvoice, TaxGroup
from extractors.einvoice.terms import terms_days
from models.invoice import InvoiceDocument, InvoiceLine

# UNTDID 1001 document types that are credit notes (the EN 16931 credit-note subset).
CREDIT_NOTE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)


def finish(
    invoice: InvoiceDocument,
    *,
    syntax: Literal["CII", "UBL"],
    profile: str | None,
    type_code: str | None,
    credit_note: bool,
    breakdown: list[TaxGroup],
    terms_text: str | None,
) -> EInvoice:
    """Check the mandatory terms, derive rate and terms, sign a credit note negative."""
    missing = [
        label
        for label, value in (
            ("invoice number", invoice.invoice_number),
            ("issue date", invoice.invoice_date),
            ("grand total", invoice.total),
        )
        if value is None
    ]
    if missing:
        raise invalid(f"it has no {', no '.join(missing)}.")
    invoice = invoice.model_copy(
        update={
            "tax_rate": _single_rate(breakdown, invoice.lines),
            "payment_terms_days": terms_days(invoice.invoice_date, invoice.due_date, terms_text),
        }
    )
    if credit_note and invoice.total is not None and invoice.total > 0:
        invoice, breakdown = _negated(invoice, breakdown)
    return EInvoice(
        invoice=invoice,
        syntax=syntax,
        profile=profile,
        type_code=type_code,
        tax_breakdown=breakdown,
    )


def _single_rate(breakdown: list[TaxGroup], lines: list[InvoiceLine]) -> Decimal | None:
    """The invoice's one tax rate; None when several rates apply (or none is stated)."""
    rates = {group.rate for group in breakdown} if breakdown else {ln.tax_rate for ln in lines}
    if len(rates) != 1:
        return None
    return rates.pop()


def _negated(
    invoice: InvoiceDocument, breakdown: list[TaxGroup]
) -> tuple[InvoiceDocument, list[TaxGroup]]:
    """A credit note states positive amounts (EN 16931); APX signs them negative, with
    negative quantities so that quantity x unit price still gives the line amount. A
    producer that already signed its credit note negative is left as it is."""

    def neg(value: Decimal) -> Decimal:
        return Decimal(0) - value  # 0.00 stays 0.00, not -0.00

    def opt(value: Decimal | None) -> Decimal | None:
        return None if value is None else neg(value)

    lines = [
        line.model_copy(update={"quantity": neg(line.quantity), "amount": neg(line.amount)})
        for line in invoice.lines
    ]
    signed = invoice.model_copy(
        update={
            "lines": lines,
            "subtotal": opt(invoice.subtotal),
            "tax": opt(invoice.tax),
            "total": opt(invoice.total),
        }
    )
    groups = [g.model_copy(update={"basis": neg(g.basis), "tax": neg(g.tax)}) for g in breakdown]
    return signed, groups
