"""The contract every rule in `rules/checks/` implements.

A rule is a module with `PATTERN` (a catalog id) and a pure function
`check(ctx: RuleContext) -> Iterable[Finding]`. It reads only its context: no
model, no network, no database. Adding a rule = adding a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from models.findings import Finding
from models.invoice import Extraction, InvoiceDocument
from models.master import MasterData
from models.matching import MatchResult, PriorInvoice
from models.policy import Policy
from rules.catalog import load_catalog


class RuleContext(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    extraction: Extraction
    document_text: str
    master: MasterData
    match: MatchResult
    prior_invoices: tuple[PriorInvoice, ...] = ()
    """Earlier invoices of the same vendor that could be duplicates (same number, or same total)."""
    prior_on_po: tuple[PriorInvoice, ...] = ()
    """Earlier invoices billed against the same PO (for cumulative over-billing)."""
    policy: Policy
    as_of: date

    @property
    def invoice(self) -> InvoiceDocument:
        return self.extraction.invoice


Rule = Callable[[RuleContext], Iterable[Finding]]


def finding(
    pattern: str, message: str, amount: Decimal | None = None, **evidence: object
) -> Finding:
    """A finding with the catalog's severity for `pattern`; evidence values become strings."""
    severity = load_catalog().get(pattern).severity
    return Finding(
        code=pattern,
        severity=severity,
        message=message,
        amount=amount,
        evidence={key: str(value) for key, value in evidence.items() if value is not None},
    )
