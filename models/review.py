"""Human review: who may decide, what they submitted, and what APX made of it.

`ReviewRecord` (at the end) is the read model of one person's decision that the report, the
conformance gap and the corrections export read, whatever the review tables hold.

Pure data. The rules that judge a submission live in `rules/review.py`; the store keeps
reviewers (their personal code only as a salted hash), review cases, every submission and
the corrections made, which are the feedback the eval and learned layouts use.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ReviewAction = Literal["approve", "reject", "hold"]

CORRECTABLE_FIELDS = ("invoice_number", "invoice_date", "po_number", "subtotal", "tax", "total")
"""Header fields a reviewer may correct in the form (amounts and a date arrive as text)."""
AMOUNT_FIELDS = frozenset({"subtotal", "tax", "total"})


class Reviewer(BaseModel):
    """A person in APX's reviewer registry (Prefect's open-source UI has no users)."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: str
    code_hash: str = Field(repr=False)
    active: bool = True
    created_at: datetime


class Submission(BaseModel):
    """What a reviewer entered in the form, before anyone checked it."""

    model_config = ConfigDict(frozen=True)

    action: ReviewAction
    reviewer: str
    code: str = Field(repr=False)
    reason: str = ""
    corrections: dict[str, str] = Field(default_factory=dict)
    """field -> new value as typed (only fields the reviewer filled in)."""


class Verdict(StrEnum):
    """What APX made of one submission."""

    REFUSED = "refused"
    """Not accepted (unknown reviewer, wrong code, role too low, ...): the run keeps waiting."""
    APPROVAL_RECORDED = "approval_recorded"
    """A valid approval that still needs a second, different reviewer."""
    APPROVED = "approved"
    REJECTED = "rejected"
    HELD = "held"
    """Put on hold by a reviewer: the run keeps waiting, visible in the queue."""

    @property
    def final(self) -> bool:
        return self in {Verdict.APPROVED, Verdict.REJECTED}


class Judgement(BaseModel):
    """The review rules' answer to one submission."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    message: str
    required_role: str
    reviewer_role: str | None = None
    corrections: dict[str, str | Decimal | None] = Field(default_factory=dict)
    """Parsed corrections (Decimal for amounts, ISO date text), applied when not refused."""
    approvers: tuple[str, ...] = ()
    """Everyone whose approval counts towards this invoice after this submission."""


class ReviewCase(BaseModel):
    """One invoice in review: the facts the rules need, and where its wait stands."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    status: Literal["waiting", "approved", "rejected"] = "waiting"
    flow_run_id: str | None = None
    required_role: str
    """The lowest role that may approve it now (by amount, raised by escalation)."""
    four_eyes: bool = False
    total: Decimal | None = None
    proposal: str | None = None
    """In shadow mode: what APX would have done by itself (approve, hold, reject, review)."""
    escalation_level: int = 0
    opened_at: datetime
    escalated_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    agreed: bool | None = None
    """Shadow mode: whether the final human decision matched APX's proposal."""
    approvers: tuple[str, ...] = ()
    correctors: tuple[str, ...] = ()
    submissions: int = 0
    """How many submissions were processed; the next form's key is derived from it."""
    last_message: str | None = None
    held_by: str | None = None
    missing_for_posting: tuple[str, ...] = ()
    """What the invoice lacks to be posted (no vendor, no total): approving it is refused."""


class ReviewActionRecord(BaseModel):
    """One submission as recorded (the code is never stored)."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    input_key: str
    reviewer: str
    reviewer_role: str | None
    action: str
    verdict: Verdict
    message: str
    reason: str
    corrections: dict[str, str | None]
    at: datetime


class Feedback(BaseModel):
    """A correction made in review: the ground truth the eval and vendor layouts learn from."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    field: str
    old_value: str | None
    new_value: str | None
    reviewer: str
    at: datetime


ReviewOutcome = Literal["approve", "reject", "hold"]


class ReviewRecord(BaseModel):
    """One person's decision on one invoice (a four-eyes invoice has two)."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    reviewer: str
    role: str | None = None
    """The reviewer's role (ap_clerk, ap_manager, controller): who actually decided."""
    decision: ReviewOutcome
    proposed: str | None = None
    """APX's decision when the reviewer decided: approve, review, hold or reject."""
    pattern: str | None = None
    """The pattern the reviewer assigned, when it differs from APX's classification."""
    reason: str = ""
    corrections: dict[str, str] = Field(default_factory=dict)
    """Field name -> the value the reviewer corrected it to (invoice_number, total, ...)."""
    shadow: bool = False
    """Decided in shadow mode: a person decided every invoice, APX's proposal was not applied."""
    decided_at: datetime
    minutes: Decimal | None = None
    """Time spent on the invoice when measured; otherwise the policy's standard applies."""

    @property
    def overrides_findings(self) -> bool:
        """Approved as it stood: the person found nothing wrong in what APX raised."""
        return self.decision == "approve" and not self.corrections
