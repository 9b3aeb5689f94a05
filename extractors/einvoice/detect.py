"""Which e-invoice syntax an XML root is: CII (any version) or UBL, decided by namespace."""

from __future__ import annotations

from typing import Literal

from extractors.einvoice.xmltree import Node, local_name, namespace

UBL_NAMESPACES = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "Invoice",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "CreditNote",
}
# ZUGFeRD 2.x / Factur-X / XRechnung-CII and ZUGFeRD 1.0 by their official namespaces; the
# ZUGFeRD 1 release candidate (root "Invoice" in a UN/CEFACT namespace) by prefix.
CII_ROOTS = {"CrossIndustryInvoice", "CrossIndustryDocument", "Invoice"}
CII_NAMESPACE_PREFIXES = ("urn:un:unece:uncefact:", "urn:ferd:")


def syntax_of(root: Node) -> Literal["CII", "UBL"] | None:
    """'CII', 'UBL', or None for an XML that is neither (an Order-X order, a random file)."""
    name, uri = local_name(root), namespace(root)
    if UBL_NAMESPACES.get(uri) == name:
        return "UBL"
    if name in CII_ROOTS and uri.startswith(CII_NAMESPACE_PREFIXES):
        return "CII"
    return None
