"""What processing one input file came to: the row of the batch table and of the eval."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel


class ProcessingResult(BaseModel):
    """What the batch reports per input file."""

    invoice_id: str
    file_name: str
    status: str
    status_reason: str | None
    vendor_id: str | None
    vendor_name: str | None
    invoice_number: str | None
    currency: str | None
    total: Decimal | None
    patterns: list[str]
    primary_pattern: str | None
    decision: str | None
    decision_reason: str | None
    extraction_calls: int
    classification_calls: int
    cached_answers: int = 0
    """Model answers reused from the cache (same document, step, model and prompt version)."""
    duplicate_delivery: bool = False
    processed_elsewhere: bool = False
    """Another worker was processing the same bytes at that moment: it decides them."""
