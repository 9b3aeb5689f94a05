"""A reviewer's decision on an invoice, as the report and the replay read it.

The review work (issue 13) owns where decisions are stored; the rest of APX reads them
through this one read model, so the report, the conformance gap and the corrections export
do not depend on how review is built.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
