"""VENDOR_BLOCKED: vendor inactive, blocked or on hold.

Fires when: the resolved vendor's status in the vendor master is blocked or inactive.
Why it matters: someone blocked or retired this vendor on purpose (dispute, compliance, fraud,
offboarding); an invoice must not route around that decision.
Example: Old Mill Timber is blocked; it bills an open, fully received PO of its own: "Vendor Old
Mill Timber Ltd (V1007) is blocked in the vendor master".
Policy keys: none
Does not fire when: the vendor is active; the vendor is unknown (UNKNOWN_VENDOR). The vendor master
knows no "on hold" status: its statuses are active, blocked and inactive.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "VENDOR_BLOCKED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """Someone blocked this vendor on purpose (dispute, compliance, fraud, offboarding);
    an invoice must not route around that decision."""
    supplier = vendor(ctx)
    if supplier is None or supplier.status not in ("blocked", "inactive"):
        return
    yield ctx.finding(
        f"Vendor {supplier.name} ({supplier.vendor_id}) is {supplier.status} in the vendor master",
        amount=ctx.invoice.total,
        vendor_id=supplier.vendor_id,
        vendor_status=supplier.status,
    )
