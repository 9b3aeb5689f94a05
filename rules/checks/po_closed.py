"""PO_CLOSED: the invoice bills a PO that is closed or cancelled."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext

PATTERN = "PO_CLOSED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A closed or cancelled PO no longer authorises spending; buying must reopen it or
    the invoice is not owed. A fact about the quoted PO, so it holds whoever the vendor is."""
    po = ctx.match.po
    if po is None or po.status == "open":
        return
    yield ctx.finding(
        f"PO {po.po_number} is {po.status}: it no longer authorises payment",
        amount=ctx.invoice.total,
        po_number=po.po_number,
        po_status=po.status,
    )
