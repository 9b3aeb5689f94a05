"""A vendor's learned layout: where its confirmed invoices print each field, and how it looks.

Learned from an invoice whose extraction was confirmed (every fact grounded and confirmed,
the vendor identified by its tax id and the PO matched; or a person confirmed or corrected
it), and used first on that vendor's next invoices: a value at the learned label or position
that has the learned shape is taken without asking the model. A layout that stops fitting
is dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Direction = Literal["inline", "right", "below"]

LEARNED_FIELDS = ("vendor_name", "invoice_number", "invoice_date", "due_date", "po_number", "total")
"""Fields a layout may hold a rule for."""


class Box(BaseModel):
    """A rectangle as fractions of the page's width and height (`top` grows downwards)."""

    model_config = ConfigDict(frozen=True)

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


class FieldRule(BaseModel):
    """Where one field is printed on the vendor's invoices and what its value looks like."""

    model_config = ConfigDict(frozen=True)

    field: str
    page: int
    box: Box
    """Where the value was printed on the confirmed invoice (relative to the page)."""
    label: str | None = None
    """The printed text that names the value ("Ref.", "Doc#", "Invoice No:"); None: the value
    is found by its position alone."""
    direction: Direction | None = None
    """Where the value sits from its label: after it in the same cell, in the next cell to
    the right, or in the cell below."""
    shape: str
    """A regular expression the printed value must match in full (`RE-\\d{4}-\\d{3,}`)."""
    printed: str
    """The value as printed on the invoice the rule was learned from."""
    month_first: bool | None = None
    """For dates printed with slashes: the order the confirmed value was read in."""

    def describe(self) -> str:
        where = f"'{self.label}' ({self.direction})" if self.label else "position"
        return f"{self.field}: {where} on page {self.page}, shape {self.shape}"


class VendorLayout(BaseModel):
    """One vendor's current layout and how well it has fitted since it was learned."""

    model_config = ConfigDict(frozen=True)

    vendor_id: str
    rules: tuple[FieldRule, ...]
    version: int = 0
    """Increased each time the rules change (a stored layout starts at 1)."""
    learned_from: str | None = None
    """The invoice id the current rules were learned from."""
    confirmed_by: str = ""
    """Who confirmed the extraction: `apx` (complete and matched), a CLI user, a reviewer."""
    confirmations: int = 0
    """Confirmed invoices that gave these same rules."""
    hits: int = 0
    """Invoices on which the layout was needed and fitted."""
    misses: int = 0
    """Invoices in a row on which it was needed and did not fit (reset by a hit)."""
    active: bool = True
    dropped_reason: str | None = None
    updated_at: datetime | None = None

    def rule(self, name: str) -> FieldRule | None:
        return next((rule for rule in self.rules if rule.field == name), None)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(rule.field for rule in self.rules)


class LayoutUse(BaseModel):
    """How a learned layout served one invoice's extraction (recorded on the Extraction)."""

    model_config = ConfigDict(frozen=True)

    vendor_id: str
    version: int
    needed: tuple[str, ...] = ()
    """Fields code alone could not settle (the model would be asked) that the layout covers."""
    read: tuple[str, ...] = ()
    """Fields whose value was taken from the layout."""
    missed: dict[str, str] = Field(default_factory=dict)
    """Needed fields the layout did not fit, with why (label absent, value of another shape)."""

    @property
    def fits(self) -> bool:
        return bool(self.needed) and not self.missed


LayoutOutcome = Literal["hit", "miss", "dropped", "stale"]
"""What recording a use did: a hit, a miss, the miss that dropped the layout, or nothing
because the layout changed (or was dropped) since extraction read it."""
