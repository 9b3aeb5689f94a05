"""PO_VENDOR_MISMATCH: the quoted PO was placed with another vendor."""

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
