"""PO_CLOSED: PO closed or cancelled.

Fires when: the PO the invoice quotes exists and its status in the ERP is closed or cancelled
(anything but open). A fact about the quoted PO, so it holds whoever the vendor is.
Why it matters: a closed or cancelled PO no longer authorises spending: buying must reopen it, or
the invoice is not owed.
Example: Nordwind bills 2,140.00 against PO-2026-0115, closed after its final delivery: "PO
PO-2026-0115 is closed: it no longer authorises payment".
Policy keys: none
Does not fire when: the invoice quotes no PO, or one that does not exist (PO_NOT_FOUND); the PO is
open (even if fully billed: PO_OVERBILLED).
"""

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
