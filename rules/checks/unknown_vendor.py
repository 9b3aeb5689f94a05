"""UNKNOWN_VENDOR: vendor not in the vendor master.

Fires when: vendor resolution finds nobody: the invoice's tax id matches no vendor's (compared
without spaces and punctuation; a missing country prefix is tolerated), and its vendor name matches
no vendor's name or alias with a rapidfuzz WRatio of at least `matching.vendor_name_score` (legal
forms such as Ltd or GmbH ignored). Also when neither was read.
Why it matters: APX pays only vendors set up and vetted in the ERP; anyone else needs onboarding
first, or this is a fake invoice. Only the rules that do not need the vendor judge such an invoice:
the document's own numbers, dates, content and value, and facts about a quoted PO.
Example: Zephyr Promotional Goods, tax id NL862004531B01, is not in the vendor master: "Vendor
'Zephyr Promotional Goods' (tax id NL862004531B01) is not in the vendor master".
Policy keys: matching.vendor_name_score
Does not fire when: the tax id matches a vendor (whatever the name says: a different name is
VENDOR_IDENTITY_MISMATCH) or the name or an alias matches one; a blocked or inactive vendor is
known (VENDOR_BLOCKED).
"""

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
