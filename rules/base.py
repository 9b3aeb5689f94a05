"""The contract every rule in `rules/checks/` implements.

A rule is a module with `PATTERN` (a catalog id) and a pure function
`check(ctx: RuleContext) -> Iterable[Finding]`. It reads only its context — the invoice,
the match, history, the policy and its own catalog entry — never a model, the network,
a file or the database. Adding a rule = adding a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from models.catalog import Catalog, Pattern
from models.findings import Finding
from models.invoice import Extraction, InvoiceDocument
from models.master import MasterData
from models.matching import EarlierBilling, MatchResult, PriorInvoice
from models.policy import Policy
from models.screening import InstructionPhrases


class RuleContext(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    extraction: Extraction
    document_text: str
    hidden_text: str = ""
    """The part of the document's text a reader cannot see (see ParsedPage.hidden_text)."""
    instruction_phrases: InstructionPhrases
    """Phrases addressed to automation, per language (config/suspicious_content.yaml)."""
    master: MasterData
    match: MatchResult
    prior_invoices: tuple[PriorInvoice, ...] = ()
    """Earlier invoices of the same vendor that could be duplicates (same number, or same total)."""
    prior_on_po: tuple[PriorInvoice, ...] = ()
    """Earlier invoices billed against the same PO (for cumulative over-billing)."""
    billed_before: tuple[EarlierBilling, ...] = ()
    """What earlier invoices, not rejected, billed per line of the matched PO (3-way match
    across invoices); rules add it up with `rules.scope.billed_so_far`."""
    policy: Policy
    catalog: Catalog
    as_of: date
    pattern: Pattern | None = None
    """The running rule's own catalog entry; the registry sets it before calling the rule."""

    @property
    def invoice(self) -> InvoiceDocument:
        return self.extraction.invoice

    def for_rule(self, pattern: Pattern) -> RuleContext:
        return self.model_copy(update={"pattern": pattern})

    def finding(self, message: str, amount: Decimal | None = None, **evidence: object) -> Finding:
        """A finding of the running rule's pattern, with the catalog's severity."""
        if self.pattern is None:
            raise RuntimeError("RuleContext.finding() is only for a rule run by the registry")
        return self.pattern.finding(message, amount, **evidence)


Rule = Callable[[RuleContext], Iterable[Finding]]
