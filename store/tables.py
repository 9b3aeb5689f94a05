"""Database tables (SQLAlchemy 2.0 typed ORM); the migrations in store/migrations own the schema."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine


class Money(TypeDecorator[Decimal]):
    """Exact decimal money: NUMERIC on PostgreSQL, text on SQLite (which would round via float)."""

    impl = Numeric(18, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(18, 4))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    """An input file, identified by the SHA-256 of its bytes; the original is kept by hash."""

    __tablename__ = "documents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(512))
    size_bytes: Mapped[int] = mapped_column(Integer)
    stored_path: Mapped[str] = mapped_column(String(1024))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InvoiceRow(Base):
    """One invoice per document: its state, extracted header and the decision on it."""

    __tablename__ = "invoices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_sha256: Mapped[str] = mapped_column(ForeignKey("documents.sha256"), unique=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    checked_seq: Mapped[int | None] = mapped_column(Integer, index=True)
    """Order in which invoices were matched: what "earlier" means for history rules, assigned
    under a lock so that two copies checked at the same moment still see each other."""
    file_name: Mapped[str] = mapped_column(String(512))
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    vendor_id: Mapped[str | None] = mapped_column(String(64))
    vendor_name: Mapped[str | None] = mapped_column(String(256))
    invoice_number: Mapped[str | None] = mapped_column(String(128))
    invoice_number_key: Mapped[str | None] = mapped_column(String(128))
    invoice_date: Mapped[date | None] = mapped_column(Date)
    po_number: Mapped[str | None] = mapped_column(String(64), index=True)
    currency: Mapped[str | None] = mapped_column(String(3))
    subtotal: Mapped[Decimal | None] = mapped_column(Money)
    tax: Mapped[Decimal | None] = mapped_column(Money)
    total: Mapped[Decimal | None] = mapped_column(Money)
    total_minor: Mapped[int | None] = mapped_column(BigInteger)
    """The total in cents (models.keys.minor_units): compared as a number on every database."""
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    primary_pattern: Mapped[str | None] = mapped_column(String(40))
    explanation: Mapped[str | None] = mapped_column(Text)
    model_explanation: Mapped[str | None] = mapped_column(Text)
    classification_source: Mapped[str | None] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(20), index=True)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    approver_role: Mapped[str | None] = mapped_column(String(40))
    four_eyes: Mapped[bool] = mapped_column(Boolean, default=False)
    policy_version: Mapped[str | None] = mapped_column(String(40))
    proposal: Mapped[str | None] = mapped_column(String(20))
    """Shadow mode: the outcome the policy would have chosen (migration 0003)."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_invoices_vendor_number", "vendor_id", "invoice_number_key"),
        Index("ix_invoices_vendor_total_minor", "vendor_id", "total_minor"),
    )


class BilledLineRow(Base):
    """What an invoice bills on one line of its PO (replaced when its check stage re-runs)."""

    __tablename__ = "billed_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    po_number: Mapped[str] = mapped_column(String(64), index=True)
    po_line_no: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)

    __table_args__ = (
        UniqueConstraint("invoice_id", "po_line_no", name="uq_billed_lines_invoice_line"),
    )


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, str]] = mapped_column(JSON)
    amount: Mapped[Decimal | None] = mapped_column(Money)


class ModelCallRow(Base):
    """Every model call (or cache hit): which model, prompt version, tokens, cost, latency."""

    __tablename__ = "model_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(128))
    prompt_version: Mapped[str] = mapped_column(String(40))
    cached: Mapped[bool] = mapped_column(Boolean)
    prompt_tokens: Mapped[int] = mapped_column(Integer)
    completion_tokens: Mapped[int] = mapped_column(Integer)
    cost: Mapped[Decimal] = mapped_column(Money)
    latency_ms: Mapped[int] = mapped_column(Integer)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEventRow(Base):
    """Append-only, hash-chained: each event's hash covers its content and the previous hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str | None] = mapped_column(String(64), index=True)
    step: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class VoucherRow(Base):
    """What the reference ERP adapter posted; the unique invoice id makes posting exactly-once,
    and no two vouchers may carry one vendor's invoice number (normal form) and amount."""

    __tablename__ = "vouchers"
    __table_args__ = (
        UniqueConstraint("vendor_id", "invoice_number_key", "amount_minor",
                         name="uq_vouchers_vendor_number_amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), unique=True)
    vendor_id: Mapped[str] = mapped_column(String(64))
    invoice_number: Mapped[str] = mapped_column(String(128))
    invoice_number_key: Mapped[str | None] = mapped_column(String(128))
    invoice_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Money)
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    po_number: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VendorLayoutRow(Base):
    """A vendor's learned layout (models.layouts.VendorLayout): one row per vendor, replaced
    when a confirmed invoice teaches other rules; a dropped layout stays, inactive."""

    __tablename__ = "vendor_layouts"

    vendor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    learned_from: Mapped[str | None] = mapped_column(ForeignKey("invoices.id"))
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmations: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)
    misses: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)
    dropped_reason: Mapped[str | None] = mapped_column(Text)
    last_used_by: Mapped[str | None] = mapped_column(String(64))
    """The invoice whose use was counted last: a retried extract stage does not count twice."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewerRow(Base):
    """APX's reviewer registry: a name, a role of the approval matrix, a hashed personal code."""

    __tablename__ = "reviewers"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    role: Mapped[str] = mapped_column(String(40))
    code_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewRow(Base):
    """One invoice in human review: its flow run, who may approve it now, and the outcome."""

    __tablename__ = "reviews"

    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(36))
    required_role: Mapped[str] = mapped_column(String(40))
    four_eyes: Mapped[bool] = mapped_column(Boolean, default=False)
    proposal: Mapped[str | None] = mapped_column(String(20))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    agreed: Mapped[bool | None] = mapped_column(Boolean)
    approvers: Mapped[list[str]] = mapped_column(JSON, default=list)
    correctors: Mapped[list[str]] = mapped_column(JSON, default=list)
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    last_message: Mapped[str | None] = mapped_column(Text)
    held_by: Mapped[str | None] = mapped_column(String(80))


class ReviewActionRow(Base):
    """Every submission of the review form, accepted or refused (never the personal code)."""

    __tablename__ = "review_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    input_key: Mapped[str] = mapped_column(String(80))
    reviewer: Mapped[str] = mapped_column(String(80))
    reviewer_role: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    corrections: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ux_review_actions_invoice_key", "invoice_id", "input_key", unique=True),
    )


class FeedbackRow(Base):
    """A field corrected in review: old and new value, who and when (eval and layouts use it)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
