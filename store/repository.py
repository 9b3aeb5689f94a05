"""The repository: every write the pipeline makes, each one idempotent.

Stages call these methods with domain objects; nothing outside `store/` sees a session.
Re-running a stage for the same invoice replaces what it wrote before, so a run that
died half-way can simply run again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.findings import Classification, Decision, Finding, Severity
from models.gateway import ModelAnswer
from models.invoice import Extraction
from models.keys import compact
from models.matching import PriorInvoice
from models.records import AuditEvent, InvoiceRecord, ModelCallRecord, Voucher
from store.audit import GENESIS, event_hash
from store.db import make_engine, migrate, session_factory
from store.tables import (
    AuditEventRow,
    DocumentRow,
    FindingRow,
    InvoiceRow,
    ModelCallRow,
    VoucherRow,
)

if TYPE_CHECKING:
    from store.reviews import Reviews

AUDIT_LOCK_KEY = 0x41505821  # "APX!": serialises appends to the audit chain on PostgreSQL


def now() -> datetime:
    return datetime.now(UTC)


def invoice_number_key(number: str | None) -> str | None:
    """Invoice numbers compare without case, spaces and punctuation ("INV 0042" = "inv-0042")."""
    return (compact(number) or None) if number else None


@dataclass(frozen=True)
class IntakeRecord:
    invoice_id: str
    status: str
    created: bool
    finished: bool = False
    """Decided earlier: the same bytes again change nothing."""


def _finished(row: InvoiceRow) -> bool:
    return row.decision is not None and row.status in {"decided", "posted", "unreadable"}


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    events: int
    first_bad_id: int | None = None


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    @property
    def reviews(self) -> Reviews:
        """Reviewer registry, review cases, submissions and feedback (store/reviews.py)."""
        from store.reviews import Reviews

        return Reviews(self)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- intake ---------------------------------------------------------------------------

    def register_document(
        self, sha256: str, file_name: str, size_bytes: int, stored_path: str
    ) -> IntakeRecord:
        """One invoice per distinct content: the same bytes again return the existing one."""
        with self.session() as session:
            existing = session.get(InvoiceRow, sha256)
            if existing is not None:
                return IntakeRecord(sha256, existing.status, created=False,
                                    finished=_finished(existing))
        try:
            with self.session() as session:
                at = now()
                session.add(DocumentRow(sha256=sha256, file_name=file_name, size_bytes=size_bytes,
                                        stored_path=stored_path, received_at=at))
                session.flush()
                seq = (session.scalar(select(func.max(InvoiceRow.seq))) or 0) + 1
                session.add(InvoiceRow(id=sha256, document_sha256=sha256, seq=seq,
                                       file_name=file_name, status="received", created_at=at,
                                       updated_at=at))
            return IntakeRecord(sha256, "received", created=True)
        except IntegrityError:  # another worker registered the same bytes first
            with self.session() as session:
                row = session.get(InvoiceRow, sha256)
                assert row is not None
                return IntakeRecord(sha256, row.status, created=False, finished=_finished(row))

    def set_status(self, invoice_id: str, status: str, reason: str | None = None) -> None:
        with self.session() as session:
            row = self._invoice(session, invoice_id)
            row.status, row.status_reason, row.updated_at = status, reason, now()

    # -- stage outputs ----------------------------------------------------------------------

    def save_extraction(
        self, invoice_id: str, extraction: Extraction, vendor_id: str | None
    ) -> None:
        doc = extraction.invoice
        with self.session() as session:
            row = self._invoice(session, invoice_id)
            row.vendor_id = vendor_id
            row.vendor_name = doc.vendor_name
            row.invoice_number = doc.invoice_number
            row.invoice_number_key = invoice_number_key(doc.invoice_number)
            row.invoice_date = doc.invoice_date
            row.po_number = doc.po_number
            row.currency = doc.currency
            row.subtotal, row.tax, row.total = doc.subtotal, doc.tax, doc.total
            row.extraction = extraction.model_dump(mode="json")
            row.status, row.updated_at = "extracted", now()

    def save_match(self, invoice_id: str, vendor_id: str | None, po_number: str | None) -> None:
        """The resolved vendor and the PO as the ERP spells it: what history queries key on."""
        with self.session() as session:
            row = self._invoice(session, invoice_id)
            row.vendor_id, row.po_number, row.updated_at = vendor_id, po_number, now()

    def save_findings(self, invoice_id: str, findings: list[Finding]) -> None:
        with self.session() as session:
            session.execute(delete(FindingRow).where(FindingRow.invoice_id == invoice_id))
            session.add_all(
                FindingRow(invoice_id=invoice_id, code=f.code, severity=f.severity.value,
                           message=f.message, evidence=f.evidence, amount=f.amount)
                for f in findings
            )

    def save_classification(self, invoice_id: str, result: Classification) -> None:
        with self.session() as session:
            row = self._invoice(session, invoice_id)
            row.primary_pattern = result.pattern or None
            row.explanation = result.explanation
            row.model_explanation = result.model_explanation
            row.classification_source = result.source
            row.updated_at = now()

    def save_decision(self, invoice_id: str, decision: Decision) -> None:
        with self.session() as session:
            row = self._invoice(session, invoice_id)
            row.decision = decision.outcome.value
            row.decision_reason = decision.reason
            row.approver_role = decision.approver_role
            row.four_eyes = decision.four_eyes
            row.policy_version = decision.policy_version
            row.proposal = decision.proposal
            if row.status != "unreadable":  # that terminal state and its reason stay visible
                row.status = "decided"
            row.updated_at = now()

    def record_model_call(self, invoice_id: str, answer: ModelAnswer) -> None:
        with self.session() as session:
            session.add(ModelCallRow(
                invoice_id=invoice_id, step=answer.step, model=answer.model,
                prompt_version=answer.prompt_version, cached=answer.cached,
                prompt_tokens=answer.prompt_tokens, completion_tokens=answer.completion_tokens,
                cost=answer.cost, latency_ms=answer.latency_ms, answer=answer.data, at=now(),
            ))

    def post_voucher(self, invoice_id: str) -> bool:
        """Post an approved invoice exactly once; False when it was posted before."""
        with self.session() as session:
            if session.scalar(select(VoucherRow.id).where(VoucherRow.invoice_id == invoice_id)):
                # posted before (perhaps by a run that died before recording it): finish that
                row = self._invoice(session, invoice_id)
                row.status, row.updated_at = "posted", now()
                return False
        try:
            with self.session() as session:
                row = self._invoice(session, invoice_id)
                if row.decision != "approve" or row.vendor_id is None or row.total is None:
                    raise ValueError(f"invoice {invoice_id} is not approved for posting")
                session.add(VoucherRow(
                    invoice_id=invoice_id, vendor_id=row.vendor_id,
                    invoice_number=row.invoice_number or "", invoice_date=row.invoice_date,
                    currency=row.currency or "", amount=row.total, po_number=row.po_number,
                    posted_at=now(),
                ))
                row.status, row.updated_at = "posted", now()
            return True
        except IntegrityError:
            return False

    # -- reads --------------------------------------------------------------------------------

    def invoice(self, invoice_id: str) -> InvoiceRecord | None:
        with self.session() as session:
            row = session.get(InvoiceRow, invoice_id)
            return _record(row) if row is not None else None

    def find_invoice(self, reference: str) -> InvoiceRecord | None:
        """By id (or a unique prefix of it), invoice number or file name."""
        with self.session() as session:
            row = session.scalars(
                select(InvoiceRow).where(or_(
                    InvoiceRow.id.startswith(reference.lower()),
                    InvoiceRow.invoice_number == reference,
                    InvoiceRow.file_name == reference,
                )).order_by(InvoiceRow.seq).limit(1)
            ).first()
            return _record(row) if row is not None else None

    def invoices(self) -> list[InvoiceRecord]:
        with self.session() as session:
            return [_record(row) for row in session.scalars(
                select(InvoiceRow).order_by(InvoiceRow.seq))]

    def stored_path(self, invoice_id: str) -> str | None:
        """Where the original of an invoice is kept (content-addressed)."""
        with self.session() as session:
            row = session.get(InvoiceRow, invoice_id)
            document = session.get(DocumentRow, row.document_sha256) if row else None
            return document.stored_path if document else None

    def held_on_po(self, po_number: str, pattern: str = "RECEIPT_PENDING") -> list[str]:
        """Invoices on hold against a PO with a finding of `pattern` (oldest first)."""
        with self.session() as session:
            return list(session.scalars(
                select(InvoiceRow.id).where(
                    InvoiceRow.po_number == po_number, InvoiceRow.decision == "hold",
                    InvoiceRow.id.in_(select(FindingRow.invoice_id).where(
                        FindingRow.code == pattern)),
                ).order_by(InvoiceRow.seq)))

    def findings(self, invoice_id: str) -> list[Finding]:
        with self.session() as session:
            return [
                Finding(code=row.code, severity=Severity(row.severity), message=row.message,
                        evidence=row.evidence, amount=row.amount)
                for row in session.scalars(
                    select(FindingRow).where(FindingRow.invoice_id == invoice_id)
                    .order_by(FindingRow.id))
            ]

    def model_calls(self, invoice_id: str | None = None) -> list[ModelCallRecord]:
        with self.session() as session:
            query = select(ModelCallRow).order_by(ModelCallRow.id)
            if invoice_id is not None:
                query = query.where(ModelCallRow.invoice_id == invoice_id)
            return [ModelCallRecord.model_validate(row, from_attributes=True)
                    for row in session.scalars(query)]

    def vouchers(self) -> list[Voucher]:
        with self.session() as session:
            return [Voucher.model_validate(row, from_attributes=True)
                    for row in session.scalars(select(VoucherRow).order_by(VoucherRow.id))]

    def prior_invoices(
        self, invoice_id: str, vendor_id: str, number: str | None, total: Decimal | None
    ) -> tuple[PriorInvoice, ...]:
        """Earlier invoices of the vendor with the same number or the same total (indexed)."""
        key = invoice_number_key(number)
        matches = [InvoiceRow.invoice_number_key == key] if key else []
        if total is not None:
            matches.append(InvoiceRow.total == total)
        if not matches:
            return ()
        with self.session() as session:
            seq = self._invoice(session, invoice_id).seq
            rows = session.scalars(select(InvoiceRow).where(
                InvoiceRow.vendor_id == vendor_id, InvoiceRow.seq < seq, or_(*matches),
            ).order_by(InvoiceRow.seq))
            return tuple(_prior(row) for row in rows)

    def prior_on_po(self, invoice_id: str, po_number: str) -> tuple[PriorInvoice, ...]:
        with self.session() as session:
            seq = self._invoice(session, invoice_id).seq
            rows = session.scalars(select(InvoiceRow).where(
                InvoiceRow.po_number == po_number, InvoiceRow.seq < seq,
            ).order_by(InvoiceRow.seq))
            return tuple(_prior(row) for row in rows)

    # -- audit ----------------------------------------------------------------------------------

    def audit(
        self, invoice_id: str | None, step: str, actor: str, detail: dict[str, Any]
    ) -> str:
        """Append one event to the chain and return its hash."""
        with self.session() as session:
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                {"key": AUDIT_LOCK_KEY})
            prev = session.scalar(
                select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)
            ) or GENESIS
            at = now()
            digest = event_hash(prev, invoice_id, step, actor, at, detail)
            session.add(AuditEventRow(invoice_id=invoice_id, step=step, actor=actor, at=at,
                                      detail=detail, prev_hash=prev, hash=digest))
            return digest

    def audit_events(self, invoice_id: str | None = None) -> list[AuditEvent]:
        with self.session() as session:
            query = select(AuditEventRow).order_by(AuditEventRow.id)
            if invoice_id is not None:
                query = query.where(AuditEventRow.invoice_id == invoice_id)
            return [AuditEvent.model_validate(row, from_attributes=True)
                    for row in session.scalars(query)]

    def verify_audit(self) -> AuditCheck:
        """Recompute the chain; the first event whose hash or link does not hold is named."""
        prev, count = GENESIS, 0
        for row in self.audit_events():
            count += 1
            expected = event_hash(prev, row.invoice_id, row.step, row.actor, row.at, row.detail)
            if row.prev_hash != prev or row.hash != expected:
                return AuditCheck(ok=False, events=count, first_bad_id=row.id)
            prev = row.hash
        return AuditCheck(ok=True, events=count)

    @staticmethod
    def _invoice(session: Session, invoice_id: str) -> InvoiceRow:
        row = session.get(InvoiceRow, invoice_id)
        if row is None:
            raise KeyError(f"no invoice {invoice_id}")
        return row


def _record(row: InvoiceRow) -> InvoiceRecord:
    return InvoiceRecord.model_validate(row, from_attributes=True)


def _prior(row: InvoiceRow) -> PriorInvoice:
    return PriorInvoice(
        invoice_id=row.id, file_name=row.file_name, vendor_id=row.vendor_id,
        invoice_number=row.invoice_number, invoice_date=row.invoice_date,
        po_number=row.po_number, currency=row.currency, subtotal=row.subtotal,
        total=row.total, decision=row.decision,
    )
