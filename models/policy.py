"""The decision policy as data: thresholds, tolerances and routing, versioned in a file."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Tolerances(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_price_percent: Decimal = Field(description="allowed unit price above the PO price, in %")
    quantity_over_received: Decimal = Field(description="billed minus received quantity allowed")
    arithmetic: Decimal = Field(description="allowed rounding difference in totals")
    tax_amount: Decimal = Field(description="allowed difference between stated and computed tax")
    tax_per_line: Decimal = Field(
        default=Decimal("0.005"),
        description="further tax difference allowed per invoice line (tax rounded line by line)",
    )


class Dates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stale_after_days: int
    future_grace_days: int


class Duplicates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    window_days: int = Field(
        description="same amount, another but similar number: suspected this close in date"
    )
    number_similarity: float = Field(
        description="rapidfuzz ratio (0-100) of the numbers' normal forms to call them similar"
    )
    exact_window_days: int = Field(
        description="same number and amount dated at most this far apart: an exact duplicate "
        "(rejected); farther apart, a re-used number is only suspected (reviewed)"
    )
    recurring_min_days: int = Field(
        description="a later number of the same series, same amount, dated this many days "
        "or more after the earlier invoice ..."
    )
    recurring_max_days: int = Field(
        description="... and at most this many: a recurring (monthly) invoice, not a duplicate"
    )


class ApproverRole(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    role: str
    up_to: Decimal | None = Field(
        description="highest total this role may approve; none = no limit"
    )


class Routing(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    touchless_max_total: Decimal
    reject_on: tuple[str, ...]
    hold_when_only: tuple[str, ...]
    four_eyes_on: tuple[str, ...]
    approver_roles: tuple[ApproverRole, ...]


class Matching(BaseModel):
    """Fuzzy-match scores (rapidfuzz, 0-100) below which two names are not the same thing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    vendor_name_score: float = Field(default=88, description="invoice vendor name vs master")
    line_description_score: float = Field(default=85, description="invoice line vs PO line")
    bill_to_score: float = Field(default=88, description="invoice bill-to vs a legal entity")


class Content(BaseModel):
    """What makes a document's content suspicious (pattern SUSPICIOUS_CONTENT)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hidden_text_min_letters: int = Field(
        default=40,
        description="invisible text with at least this many letters is suspicious even without "
        "an instruction in it; an instruction in invisible text always is",
    )


class Layouts(BaseModel):
    """Learned vendor layouts (extractors/learned.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    drop_after_misses: int = Field(
        default=2, ge=1,
        description="a vendor's layout that did not fit this many of its invoices in a row is "
        "dropped (the next confirmed invoice teaches a new one)",
    )


class Costs(BaseModel):
    """What a person's time costs, for the report's cost per invoice (decisions ignore it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reviewer_minutes_per_review: Decimal = Field(
        default=Decimal("8"), description="standard minutes a person spends on one review")
    reviewer_hourly_rate: Decimal = Field(
        default=Decimal("45.00"), description="fully loaded cost of an hour of review")
    currency: str = Field(default="USD", description="currency of the rate (models bill USD)")

    @property
    def per_minute(self) -> Decimal:
        return self.reviewer_hourly_rate / Decimal(60)


class Review(BaseModel):
    """Human review in the Prefect UI."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    escalate_after_minutes: int = Field(
        default=1440, ge=0,
        description="a review left unanswered this long goes to the next role (and again "
                    "after as long at each level)",
    )


class Policy(BaseModel):
    """Everything a finance controller may tune without touching code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    high_value_threshold: Decimal
    tolerances: Tolerances
    dates: Dates
    duplicates: Duplicates
    routing: Routing
    unplanned_charge_keywords: tuple[str, ...]
    matching: Matching = Field(default_factory=Matching)
    content: Content = Field(default_factory=Content)
    layouts: Layouts = Field(default_factory=Layouts)
    costs: Costs = Field(default_factory=Costs)
    mode: Literal["normal", "shadow"] = Field(
        default="normal",
        description="shadow: every invoice goes to review with APX's proposal shown, and "
                    "whether the reviewer agreed is recorded",
    )
    review: Review = Field(default_factory=Review)

    def approver_for(self, total: Decimal) -> str:
        for role in self.routing.approver_roles:
            if role.up_to is None or abs(total) <= role.up_to:
                return role.role
        return self.routing.approver_roles[-1].role
