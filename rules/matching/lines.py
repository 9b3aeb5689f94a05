"""Which PO line each invoice line bills: SKU exact first, then description similarity, then
a somewhat weaker description similarity confirmed by an exactly equal, unique unit price."""

from __future__ import annotations

from rapidfuzz import fuzz, utils

from models.invoice import InvoiceDocument
from models.master import MasterData, PoLine, PurchaseOrder
from models.matching import LineMatch
from models.policy import Matching
from rules.matching.text import compact

_DEFAULTS = Matching()
# How far below `matching.line_description_score` a description may score when the unit
# price is exactly that of one open PO line and of no other open invoice line.
PRICE_CONFIRMED_MARGIN = 15.0


def match_lines(
    invoice: InvoiceDocument,
    po: PurchaseOrder | None,
    master: MasterData,
    *,
    thresholds: Matching = _DEFAULTS,
) -> tuple[LineMatch, ...]:
    """One LineMatch per invoice line, in invoice order; each PO line is billed at most once.

    SKUs are exact identifiers, so they are assigned first. The remaining lines are paired
    by description greedily, best score first, so a near-duplicate description ("toner
    black" vs "toner cyan") cannot take a PO line that another invoice line matches better.
    """
    if po is None:
        return tuple(LineMatch(line_index=i) for i in range(len(invoice.lines)))

    assigned: dict[int, tuple[PoLine, str, float]] = {}
    used: set[int] = set()

    for index, line in enumerate(invoice.lines):
        if not line.sku or not compact(line.sku):
            continue
        for po_line in po.lines:
            if po_line.line_no in used or not po_line.sku:
                continue
            if compact(po_line.sku) == compact(line.sku):
                assigned[index] = (po_line, "sku", 100.0)
                used.add(po_line.line_no)
                break

    pairs: list[tuple[float, int, int, PoLine]] = []
    for index, line in enumerate(invoice.lines):
        if index in assigned:
            continue
        for po_line in po.lines:
            if po_line.line_no in used:
                continue
            score = float(
                fuzz.WRatio(line.description, po_line.description, processor=utils.default_process)
            )
            if score >= thresholds.line_description_score:
                pairs.append((score, index, po_line.line_no, po_line))
    for score, index, line_no, po_line in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if index in assigned or line_no in used:
            continue
        assigned[index] = (po_line, "description", score)
        used.add(line_no)

    # Last, a line whose unit price is exactly one unused PO line's price, and only that
    # line's, pairs with it at a lower description score ("Senior consultant, dagtarief" at
    # 1,150.00 and "Senior consultant, day rate" at 1,150.00): the price confirms the pair.
    floor = thresholds.line_description_score - PRICE_CONFIRMED_MARGIN
    open_lines = [i for i in range(len(invoice.lines)) if i not in assigned]
    for index in open_lines:
        line = invoice.lines[index]
        same_price = [
            p for p in po.lines if p.line_no not in used and p.unit_price == line.unit_price
        ]
        rivals = [i for i in open_lines if i not in assigned
                  and invoice.lines[i].unit_price == line.unit_price]
        if len(same_price) != 1 or len(rivals) != 1:
            continue
        po_line = same_price[0]
        score = float(
            fuzz.WRatio(line.description, po_line.description, processor=utils.default_process)
        )
        if score >= floor:
            assigned[index] = (po_line, "description", score)
            used.add(po_line.line_no)

    matches: list[LineMatch] = []
    for index in range(len(invoice.lines)):
        if index not in assigned:
            matches.append(LineMatch(line_index=index))
            continue
        po_line, method, score = assigned[index]
        matches.append(
            LineMatch(
                line_index=index,
                po_line=po_line,
                method="sku" if method == "sku" else "description",
                score=score,
                received_quantity=master.received_quantity(po.po_number, po_line.line_no),
            )
        )
    return tuple(matches)
