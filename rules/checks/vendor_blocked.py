"""VENDOR_BLOCKED: the vendor is blocked or inactive in the ERP."""

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
