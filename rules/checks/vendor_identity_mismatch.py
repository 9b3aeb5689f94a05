"""VENDOR_IDENTITY_MISMATCH: the tax id names one vendor, the letterhead another."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext

PATTERN = "VENDOR_IDENTITY_MISMATCH"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """An impersonation sign (or a copy-paste error): the invoice is resolved to the tax
    id's vendor, but someone must confirm who actually sent it."""
    match = ctx.match.vendor
    taxed, named = match.by_tax_id, match.by_name
    if taxed is None or named is None or taxed.vendor_id == named.vendor_id:
        return
    yield ctx.finding(
        f"Tax id {ctx.invoice.vendor_tax_id} belongs to {taxed.name} ({taxed.vendor_id}), "
        f"but the name '{ctx.invoice.vendor_name}' matches {named.name} ({named.vendor_id})",
        amount=ctx.invoice.total,
        tax_id_vendor=taxed.vendor_id,
        name_vendor=named.vendor_id,
        invoice_vendor_name=ctx.invoice.vendor_name,
        invoice_tax_id=ctx.invoice.vendor_tax_id,
    )
