"""MISSING_PO: no PO reference where the vendor requires one.

Fires when: the resolved vendor has `requires_po` set in the vendor master and the invoice has no
PO number (none was read, or it is blank). It fires on credit notes too.
Why it matters: for a PO-only vendor the PO is the spending approval; without one there is nothing
to match, so the buyer has to supply the PO number (or the vendor re-issues the invoice) before it
can be paid.
Example: Acme Office Supplies (PO required) sends INV-10249 for 640.00 without a PO reference: "No
PO number on the invoice, but Acme Office Supplies Ltd (V1001) is set up to invoice against
purchase orders only".
Policy keys: none
Does not fire when: the vendor is unknown (UNKNOWN_VENDOR); the vendor does not require a PO
(NON_PO_INVOICE); any PO number was read, even one that does not exist (PO_NOT_FOUND). A PO number
printed but not confirmed in the document is dropped by extraction, so this rule fires alongside
EXTRACTION_UNVERIFIED.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "MISSING_PO"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """For vendors that require a PO there must be one to match; the buyer has to supply
    the PO number (or the vendor must re-issue the invoice) before it can be paid."""
    supplier = vendor(ctx)
    if supplier is None or not supplier.requires_po:
        return
    if ctx.invoice.po_number and ctx.invoice.po_number.strip():
        return
    yield ctx.finding(
        f"No PO number on the invoice, but {supplier.name} ({supplier.vendor_id}) "
        "is set up to invoice against purchase orders only",
        amount=ctx.invoice.total,
        vendor_id=supplier.vendor_id,
    )
