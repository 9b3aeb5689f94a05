"""An EInvoice as the extract stage's output: every value from the XML, no model call."""

from __future__ import annotations

from extractors.einvoice.crosscheck import cross_check
from extractors.einvoice.model import EInvoice
from models.invoice import Extraction, FieldSource


def to_extraction(einvoice: EInvoice) -> Extraction:
    """The invoice with source XML for each value it states (lines only when there are any)."""
    invoice = einvoice.invoice
    sources = {
        name: FieldSource.XML
        for name in type(invoice).model_fields
        if getattr(invoice, name) not in (None, [])
    }
    return Extraction(invoice=invoice, sources=sources, model_calls=0)


def einvoice_extraction(einvoice: EInvoice, page_text: str | None) -> Extraction:
    """The XML's invoice, with every value the printed page contradicts recorded.

    `page_text` is None for a bare XML file (no page to compare with).
    """
    extraction = to_extraction(einvoice)
    if page_text is None:
        return extraction
    found = {item.field: item.message for item in cross_check(einvoice.invoice, page_text)}
    return extraction.model_copy(update={"discrepancies": found})
