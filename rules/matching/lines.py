"""Which PO line each invoice line bills: SKU exact first, then description similarity."""

from __future__ import annotations

from rapidfuzz import fuzz, utils

from models.invoice import InvoiceDocument
from models.master import MasterData, PoLine, PurchaseOrder
from models.matching import LineMatch
from models.policy import Matching
from rules.matching.text import compact

_DEFAULTS = Matching()


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
