"""PO_VENDOR_MISMATCH: PO belongs to another vendor.

Fires when: the vendor is resolved, the invoice quotes a PO that exists, and that PO was placed
with another vendor (its vendor id differs from the resolved vendor's).
Why it matters: paying vendor A against vendor B's PO pays the wrong party (or hides a typo in the
PO number); the line-level checks are not run until it is resolved.
Example: Harbor Packaging quotes PO-2026-0136, a Kestrel PO: "PO PO-2026-0136 belongs to Kestrel
Industrial Parts Inc (V1004), not to the invoicing vendor Harbor Packaging Co (V1006)".
Policy keys: none
Does not fire when: the vendor is unknown; the invoice quotes no PO or one that does not exist
(PO_NOT_FOUND); the PO is the resolved vendor's own.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "PO_VENDOR_MISMATCH"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Paying vendor A against vendor B's PO pays the wrong party (or a typo in the PO
    number); line-level checks are meaningless until it is resolved."""
    supplier, po = vendor(ctx), ctx.match.po
    if supplier is None or po is None or po.vendor_id == supplier.vendor_id:
        return
    owner = ctx.master.vendors.get(po.vendor_id)
    owner_name = f"{owner.name} ({po.vendor_id})" if owner else po.vendor_id
    yield ctx.finding(
        f"PO {po.po_number} belongs to {owner_name}, not to the invoicing vendor "
        f"{supplier.name} ({supplier.vendor_id})",
        amount=ctx.invoice.total,
        po_number=po.po_number,
        po_vendor_id=po.vendor_id,
        invoice_vendor_id=supplier.vendor_id,
    )
