"""What the decision depends on, and whether each fact was read and confirmed.

Fail closed by construction: the decide stage approves an invoice untouched only when its
completeness record has no gap, whatever the rules found or missed. Each gap names the
fact in a clerk's words and the pattern whose finding explains it to the reviewer.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class FactStatus(StrEnum):
    CONFIRMED = "confirmed"
    MISSING = "missing"
    """Not found on the document at all."""
    UNCONFIRMED = "unconfirmed"
    """Found, but not grounded in the document or not confirmed by an independent check."""


class Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    """Machine name: vendor, invoice_number, invoice_date, currency, total, lines."""
    label: str
    """The fact in a clerk's words ("invoice number")."""
    status: FactStatus
    detail: str = ""
    """Why it is not confirmed, or how it was confirmed."""
    reported_by: str
    """The catalog pattern whose finding tells the reviewer about a gap in this fact."""

    @property
    def confirmed(self) -> bool:
        return self.status is FactStatus.CONFIRMED

    def describe(self) -> str:
        return f"{self.label}: {self.detail}" if self.detail else self.label


class Completeness(BaseModel):
    """Every fact the policy depends on, with its status (the extract + match outcome)."""

    model_config = ConfigDict(frozen=True)

    facts: tuple[Fact, ...] = ()

    @property
    def gaps(self) -> tuple[Fact, ...]:
        return tuple(fact for fact in self.facts if not fact.confirmed)

    @property
    def complete(self) -> bool:
        return bool(self.facts) and not self.gaps

    def summary(self) -> str:
        """The gaps in one sentence for a decision reason ("invoice number: not found; …")."""
        return "; ".join(fact.describe() for fact in self.gaps)
