"""PO_NOT_FOUND: the invoice quotes a PO number the ERP does not know."""

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
