"""An EInvoice as the extract stage's output: every value from the XML, no model call."""

from __future__ import annotations

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
