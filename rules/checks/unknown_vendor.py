"""UNKNOWN_VENDOR: neither the tax id nor the name is in the vendor master."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "UNKNOWN_VENDOR"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """APX pays only vendors set up (and vetted) in the ERP; anyone else needs onboarding
    first, or this is a fake invoice."""
    if vendor(ctx) is not None:
        return
    invoice = ctx.invoice
    yield ctx.finding(
        f"Vendor '{invoice.vendor_name or 'not stated'}' (tax id "
        f"{invoice.vendor_tax_id or 'not stated'}) is not in the vendor master",
        amount=invoice.total,
        vendor_name=invoice.vendor_name,
        vendor_tax_id=invoice.vendor_tax_id,
    )
