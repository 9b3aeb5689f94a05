"""Deterministic matching of an invoice against ERP master data (vendor, PO, PO lines)."""

from __future__ import annotations

from models.invoice import InvoiceDocument
from models.master import MasterData
from models.matching import MatchResult
from models.policy import Matching
from rules.matching.lines import match_lines
from rules.matching.po import find_po
from rules.matching.vendor import resolve_vendor

__all__ = ["find_po", "match_invoice", "match_lines", "resolve_vendor"]


def match_invoice(
    invoice: InvoiceDocument, master: MasterData, *, thresholds: Matching | None = None
) -> MatchResult:
    """Vendor, PO and line matches; rules decide what a mismatch means, not the matcher."""
    limits = thresholds or Matching()
    po = find_po(invoice.po_number, master)
    return MatchResult(
        vendor=resolve_vendor(invoice, master, thresholds=limits),
        po=po,
        lines=match_lines(invoice, po, master, thresholds=limits),
    )
