"""Purchase order lookup by the number printed on the invoice."""

from __future__ import annotations

from models.keys import po_number_key
from models.master import MasterData, PurchaseOrder
from rules.matching.text import compact


def normalise_po_number(value: str) -> str:
    """Invoices print PO numbers with stray spaces and in any case ("po 4500 12")."""
    return "".join(value.split()).upper()


def find_po(po_number: str | None, master: MasterData) -> PurchaseOrder | None:
    """The PO with this number, or None.

    First by the normalised number; then, only if exactly one PO matches, ignoring dashes
    and slashes too ("PO-1001" printed as "PO 1001"), then also ignoring a leading "PO"
    word ("PO-2026-0175" read as "2026/0175", models.keys.po_number_key); a loose match
    counts only when it is unique, so it cannot confuse two real POs.
    """
    if not po_number or not po_number.strip():
        return None
    wanted = normalise_po_number(po_number)
    for number, po in master.purchase_orders.items():
        if normalise_po_number(number) == wanted:
            return po
    loose = compact(po_number)
    hits = [po for number, po in master.purchase_orders.items() if compact(number) == loose]
    if loose and len(hits) == 1:
        return hits[0]
    if hits:
        return None
    key = po_number_key(po_number)
    keyed = [po for number, po in master.purchase_orders.items() if po_number_key(number) == key]
    return keyed[0] if key and len(keyed) == 1 else None
