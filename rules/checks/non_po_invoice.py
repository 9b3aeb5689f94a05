"""NON_PO_INVOICE: no PO, vendor does not require one: needs coding and a budget owner's approval.

Fires when: the resolved vendor does not have `requires_po` set in the vendor master and the
invoice has no PO number (none was read, or it is blank).
Why it matters: invoicing without a PO is allowed for such vendors (services, utilities), but then
nobody has approved the spend yet: instead of a match it needs a general-ledger coding and a budget
owner's approval.
Example: Brightline Cleaning Services bills November office cleaning, 2,400.00, without a PO: "No
PO number: invoice from Brightline Cleaning Services LLC (V1003) needs GL coding and a budget
owner's approval".
Policy keys: none
Does not fire when: the vendor is unknown (UNKNOWN_VENDOR); the vendor requires a PO (MISSING_PO);
the invoice quotes any PO number.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "NON_PO_INVOICE"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Allowed, but with no PO nobody has approved the spend yet: it needs a GL coding and
    a budget owner's approval instead of a match."""
    supplier = vendor(ctx)
    if supplier is None or supplier.requires_po:
        return
    if ctx.invoice.po_number and ctx.invoice.po_number.strip():
        return
    yield ctx.finding(
        f"No PO number: invoice from {supplier.name} ({supplier.vendor_id}) needs GL coding "
        "and a budget owner's approval",
        amount=ctx.invoice.total,
        vendor_id=supplier.vendor_id,
    )
