"""E-invoices read from their structured XML: no model call, no layout guessing.

Factur-X / ZUGFeRD (1.0 and 2.x) / XRechnung PDFs embed a UN/CEFACT CII XML; XRechnung-UBL
and PEPPOL BIS invoices are bare UBL 2.1 XML. Their data is the invoice itself, so APX reads
it instead of the page, and then checks that the page a person sees says the same.

    einvoice = einvoice_from_pdf(path)          # EInvoice | None (no attachment)
    einvoice = read_einvoice_xml(xml_bytes)     # a bare CII or UBL file
    extraction = to_extraction(einvoice)        # every value sourced XML, model_calls=0
    problems = cross_check(einvoice.invoice, parsed.text)

Amounts are Decimal; a credit note's amounts are negative (APX's convention). Anything
hostile, malformed or not CII/UBL raises InvalidEInvoice, whose `reason` is for finance.
"""

from extractors.einvoice.crosscheck import Discrepancy, cross_check
from extractors.einvoice.errors import InvalidEInvoice
from extractors.einvoice.extraction import einvoice_extraction, to_extraction
from extractors.einvoice.model import EInvoice, TaxGroup
from extractors.einvoice.reader import einvoice_from_pdf, read_einvoice_xml

__all__ = [
    "Discrepancy",
    "EInvoice",
    "InvalidEInvoice",
    "TaxGroup",
    "cross_check",
    "einvoice_extraction",
    "einvoice_from_pdf",
    "read_einvoice_xml",
    "to_extraction",
]
