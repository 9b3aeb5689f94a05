"""Purchase order lookup by the number printed on the invoice."""

from __future__ import annotations

from models.master import MasterData, PurchaseOrder
from rules.matching.text import compact


def normalise_po_number(value: str) -> str:
    """Invoices print PO numbers with stray spaces and in any case ("po 4500 12")."""
    return "".join(value.split()).upper()


def find_po(po_number: str | None, master: MasterData) -> PurchaseOrder | None:
    """The PO with this number, or None.

    First by the normalised number; then, only if exactly one PO matches, ignoring dashes
    and slashes too ("PO-1001" printed as "PO 1001"), which cannot confuse two real POs.
    """
    if not po_number or not po_number.strip():
        return None
    wanted = normalise_po_number(po_number)
    for number, po in master.purchase_orders.items():
        if normalise_po_number(number) == wanted:
            return po
    loose = compact(po_number)
    hits = [po for number, po in master.purchase_orders.items() if compact(number) == loose]
    return hits[0] if loose and len(hits) == 1 else None
