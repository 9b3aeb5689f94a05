"""What rules yield, what classification proposes and what the policy decides."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Finding(BaseModel):
    """One fact a rule established about an invoice, with the evidence an auditor needs."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="exception pattern id from the catalog")
    severity: Severity
    message: str
    evidence: dict[str, str] = Field(default_factory=dict)
    amount: Decimal | None = None


class Classification(BaseModel):
    pattern: str
    explanation: str
    source: Literal["model", "fallback", "none"]
    candidates: list[str] = Field(default_factory=list)
    model_explanation: str | None = None


class Outcome(StrEnum):
    APPROVE = "approve"
    REVIEW = "review"
    HOLD = "hold"
    REJECT = "reject"


class Decision(BaseModel):
    outcome: Outcome
    reason: str
    policy_version: str
    approver_role: str | None = None
    four_eyes: bool = False
    proposal: str | None = None
    """Shadow mode: the outcome the policy would have chosen by itself."""
