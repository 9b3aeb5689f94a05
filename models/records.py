"""Read models: what the store hands back about stored invoices, calls, vouchers and events.

The store maps its tables onto these, so the CLI, the report and the stages never hold a
database row (or a session) and the domain stays free of storage.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict


class InvoiceRecord(BaseModel):
    """One stored invoice: its state, extracted header and the decision on it."""

    model_config = ConfigDict(frozen=True)

    id: str
    seq: int
    file_name: str
    status: str
    status_reason: str | None = None
    vendor_id: str | None = None
    vendor_name: str | None = None
    invoice_number: str | None = None
    invoice_date: date | None = None
    po_number: str | None = None
    currency: str | None = None
    subtotal: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    extraction: dict[str, Any] | None = None
    primary_pattern: str | None = None
    explanation: str | None = None
    model_explanation: str | None = None
    classification_source: str | None = None
    decision: str | None = None
    decision_reason: str | None = None
    approver_role: str | None = None
    four_eyes: bool = False
    policy_version: str | None = None
    proposal: str | None = None
    """Shadow mode: the outcome the policy would have chosen by itself."""
    created_at: datetime
    updated_at: datetime


class ModelCallRecord(BaseModel):
    """One model call (or cache hit) as recorded for an invoice."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    step: str
    model: str
    prompt_version: str
    cached: bool
    prompt_tokens: int
    completion_tokens: int
    cost: Decimal
    latency_ms: int
    answer: dict[str, Any]
    at: datetime


class Voucher(BaseModel):
    """What was posted to the ERP for an approved invoice."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    vendor_id: str
    invoice_number: str
    invoice_date: date | None
    currency: str
    amount: Decimal
    po_number: str | None
    posted_at: datetime


class AuditEvent(BaseModel):
    """One link of the append-only audit chain."""

    model_config = ConfigDict(frozen=True)

    id: int
    invoice_id: str | None
    step: str
    actor: str
    at: datetime
    detail: dict[str, Any]
    prev_hash: str
    hash: str
