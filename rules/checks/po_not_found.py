"""PO_NOT_FOUND: PO number does not exist.

Fires when: the vendor is resolved and the invoice quotes a PO number that matches no PO in the
ERP. Numbers are compared without spaces and case ("po-2026-0121" finds PO-2026-0121), and also
without dashes and slashes when that leaves exactly one candidate ("PO 2026 0121").
Why it matters: a typo, another buyer's PO, or an invented reference: nothing can be matched,
received or approved until the right PO is known.
Example: Lumen quotes PO-2026-0999 on LIT-2026-127; the ERP has no such PO: "PO PO-2026-0999 quoted
on the invoice does not exist in the ERP".
Policy keys: none
Does not fire when: the invoice quotes no PO (MISSING_PO or NON_PO_INVOICE); the vendor is unknown
(UNKNOWN_VENDOR says enough); the number matches a PO once normalised, whoever that PO's vendor is
(PO_VENDOR_MISMATCH).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.scope import vendor

PATTERN = "PO_NOT_FOUND"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A typo, a PO of another buyer, or an invented reference: nothing can be matched until
    the right PO is known. Vendor-dependent, so silent for an unknown vendor."""
    number = (ctx.invoice.po_number or "").strip()
    if not number or ctx.match.po is not None or vendor(ctx) is None:
        return
    yield ctx.finding(
        f"PO {number} quoted on the invoice does not exist in the ERP",
        amount=ctx.invoice.total,
        po_number=number,
    )
