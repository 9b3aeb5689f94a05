"""VENDOR_IDENTITY_MISMATCH: tax id and name point to different vendors.

Fires when: the invoice's tax id matches one vendor of the master and its vendor name matches
another (rapidfuzz WRatio at least `matching.vendor_name_score`; the tax id's vendor wins whenever
its own names reach the score).
Why it matters: an impersonation sign (a letterhead borrowed to look familiar) or a copy-paste
error: someone must confirm who actually sent the invoice before it is paid to anyone. Until then
the invoice is taken to be from the tax id's vendor, whose PO, IBAN and terms the other rules
check.
Example: the letterhead says Lumen IT Consulting B.V., but the tax id DE814552014 is Nordwind's:
"Tax id DE814552014 belongs to Nordwind Logistik GmbH (V1002), but the name 'Lumen IT Consulting
B.V.' matches Lumen IT Consulting B.V. (V1005)".
Policy keys: matching.vendor_name_score
Does not fire when: the tax id matches no vendor (the name alone decides); the name matches no
vendor (a trading name missing from the aliases); both point to the same vendor.
"""

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
