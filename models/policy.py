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


class Dates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    stale_after_days: int
    future_grace_days: int


class Duplicates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    window_days: int = Field(description="suspected duplicates lie this close in date")
    number_similarity: float = Field(description="rapidfuzz ratio (0-100) of invoice numbers")


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
