"""The repository: every write the pipeline makes, each one idempotent.

Stages call these methods with domain objects; nothing outside `store/` sees a session.
Re-running a stage for the same invoice replaces what it wrote before, so a run that
died half-way can simply run again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from hashlib import sha256 as _sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, or_, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from models.findings import Classification, Decision, Finding, Outcome, Severity
from models.gateway import ModelAnswer
from models.invoice import Extraction
from models.matching import EarlierBilling, LineBilling, PriorInvoice
from models.records import AuditEvent, InvoiceRecord, ModelCallRecord, Voucher
from models.review import ReviewRecord
from models.states import FINAL, InvoiceStatus
from store.audit import AnchorFile, AuditAnchor, AuditCheck, AuditProblem, verify_chain
from store.db import database_identity, make_engine, migrate, session_factory
from store.layouts import LayoutStore
from store.secrets import AuditKey
from store.tables import (
    AuditEventRow,
    DocumentRow,
    FindingRow,
    InvoiceRow,
    ModelCallRow,
    ReviewActionRow,
    ReviewRow,
    VoucherRow,
)
from store.unit_of_work import UnitOfWork, WriteConflict, now

if TYPE_CHECKING:
    from store.reviews import Reviews

AUDIT_KEY_ENV = "APX_AUDIT_KEY"
REVIEW_EVENT = "review.decided"
"""The audit step of a reviewer's decision (detail: a ReviewRecord without the event's fields)."""

DECISION_STEPS = ("decide", "review.decision")
"""Audit steps that set an invoice's decision: the latest one must agree with the invoice."""


@dataclass(frozen=True)
class IntakeRecord:
    invoice_id: str
    status: str
    created: bool
    finished: bool = False
    """Decided earlier: the same bytes again change nothing."""


def _finished(row: InvoiceRow) -> bool:
    """Nothing left to do for these bytes: paid, unreadable, or decided other than approve.

    An approved invoice that is not posted yet (a run killed between decide and post) is
    not finished: processing it again posts it, exactly once.
    """
    if row.status in FINAL:
        return True
    return row.status == InvoiceStatus.DECIDED and row.decision != Outcome.APPROVE


class Store(LayoutStore):
    """`key` signs the audit chain and keys the hashes of bank accounts (None: the key in
    `APX_AUDIT_KEY` when set, so every process of one deployment signs alike; else a random
    key held in memory, so only this Store can verify what it wrote); `anchor_file` receives
    the chain's head at the end of every batch (None: not anchored)."""

    def __init__(
        self, engine: Engine, *, key: AuditKey | None = None, anchor_file: Path | None = None,
    ) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)
        self.key = key if key is not None else _default_key()
        self.anchors = AnchorFile(anchor_file) if anchor_file is not None else None
        self.database = database_identity(engine.url)

    @classmethod
    def open(
        cls, url: str, *, key: AuditKey | None = None, anchor_file: Path | None = None,
    ) -> Store:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine, key=key, anchor_file=anchor_file)

    @property
    def reviews(self) -> Reviews:
        """Reviewer registry, review cases, submissions and feedback (store/reviews.py)."""
        from store.reviews import Reviews

        return Reviews(self)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction for a stage's writes; rolled back unless `commit()` was called."""
        session = self._sessions()
        uow = UnitOfWork(session, self.key)
        try:
            yield uow
        finally:
            if not uow.committed:
                session.rollback()
            session.close()

    @contextmanager
    def claim(self, invoice_id: str) -> Iterator[bool]:
        """Whether this worker may process the invoice now: True unless another live worker
        is processing it at this moment (then it finishes it, and this one moves on).

        On PostgreSQL a session-level advisory lock on a connection of its own, held while
        the block runs; the database releases it when the block ends or the worker's
        connection closes, so a killed worker never leaves an invoice claimed. On SQLite
        always True: one worker per database file.
        """
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        key = int.from_bytes(_sha256(invoice_id.encode()).digest()[:8], "big", signed=True)
        with self.engine.connect() as connection:
            claimed = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                             {"key": key}))
            connection.commit()  # the lock outlives the transaction; nothing is left open
            try:
                yield claimed
            finally:
                if claimed:
                    try:
                        connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                           {"key": key})
                        connection.commit()
                    except DBAPIError:  # the connection is gone, and its lock with it
                        connection.invalidate()

    def finished(self, invoice_id: str) -> bool:
        """Nothing left to do for the invoice (see `_finished`)."""
        with self.session() as session:
            row = session.get(InvoiceRow, invoice_id)
            return row is not None and _finished(row)

    # -- intake ---------------------------------------------------------------------------

    def register_document(
        self, sha256: str, file_name: str, size_bytes: int, stored_path: str
    ) -> IntakeRecord:
        """One invoice per distinct content: the same bytes again return the existing one.

        The registration and its `intake` audit event commit together.
        """
        for _attempt in range(2):
            try:
                with self.unit_of_work() as uow:
                    record = self._register(uow, sha256, file_name, size_bytes, stored_path)
                    uow.audit(sha256, "intake", "apx", {
                        "file": file_name, "sha256": sha256, "bytes": size_bytes,
                        "new": record.created, "status": record.status,
                    })
                    uow.commit()
                    return record
            except (IntegrityError, WriteConflict):  # registered by another worker: re-read
                continue
        raise RuntimeError(f"could not register {file_name} ({sha256})")

    @staticmethod
    def _register(
        uow: UnitOfWork, sha256: str, file_name: str, size_bytes: int, stored_path: str
    ) -> IntakeRecord:
        session = uow.session
        existing = session.get(InvoiceRow, sha256)
        if existing is not None:
            return IntakeRecord(sha256, existing.status, created=False,
                                finished=_finished(existing))
        at = now()
        session.add(DocumentRow(sha256=sha256, file_name=file_name, size_bytes=size_bytes,
                                stored_path=stored_path, received_at=at))
        session.flush()
        seq = uow.next_intake_seq()
        session.add(InvoiceRow(id=sha256, document_sha256=sha256, seq=seq, file_name=file_name,
                               status=InvoiceStatus.RECEIVED.value, created_at=at,
                               updated_at=at))
        session.flush()
        return IntakeRecord(sha256, InvoiceStatus.RECEIVED.value, created=True)

    def set_status(self, invoice_id: str, status: str, reason: str | None = None) -> None:
        with self.unit_of_work() as uow:
            uow.set_status(invoice_id, status, reason)
            uow.commit()

    # -- single writes, each its own unit of work (stages group theirs: see pipeline) -----

    def save_extraction(
        self, invoice_id: str, extraction: Extraction, vendor_id: str | None
    ) -> None:
        with self.unit_of_work() as uow:
            uow.save_extraction(invoice_id, extraction, vendor_id)
            uow.commit()

    def save_match(self, invoice_id: str, vendor_id: str | None, po_number: str | None) -> None:
        with self.unit_of_work() as uow:
            uow.save_match(invoice_id, vendor_id, po_number)
            uow.commit()

    def save_billed_lines(
        self, invoice_id: str, po_number: str | None, lines: Iterable[LineBilling]
    ) -> None:
        with self.unit_of_work() as uow:
            uow.save_billed_lines(invoice_id, po_number, lines)
            uow.commit()

    def save_findings(self, invoice_id: str, findings: list[Finding]) -> None:
        with self.unit_of_work() as uow:
            uow.save_findings(invoice_id, findings)
            uow.commit()

    def save_classification(self, invoice_id: str, result: Classification) -> None:
        with self.unit_of_work() as uow:
            uow.save_classification(invoice_id, result)
            uow.commit()

    def save_decision(self, invoice_id: str, decision: Decision) -> None:
        with self.unit_of_work() as uow:
            uow.save_decision(invoice_id, decision)
            uow.commit()

    def record_model_call(self, invoice_id: str, answer: ModelAnswer) -> None:
        with self.unit_of_work() as uow:
            uow.record_model_call(invoice_id, answer)
            uow.commit()

    def post_voucher(self, invoice_id: str) -> bool:
        """Post an approved invoice exactly once; False when it was posted before (or a
        concurrent worker posted it, or a voucher for the same number and amount exists)."""
        try:
            with self.unit_of_work() as uow:
                posted = uow.post_voucher(invoice_id)
                uow.commit()
                return posted
        except WriteConflict:
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

    def all_findings(self) -> dict[str, list[Finding]]:
        """Every invoice's findings in one query (for reports over many invoices)."""
        grouped: dict[str, list[Finding]] = {}
        with self.session() as session:
            for row in session.scalars(select(FindingRow).order_by(FindingRow.id)):
                grouped.setdefault(row.invoice_id, []).append(
                    Finding(code=row.code, severity=Severity(row.severity), message=row.message,
                            evidence=row.evidence, amount=row.amount))
        return grouped

    def review_records(self) -> list[ReviewRecord]:
        """Reviewers' decisions, oldest first: every accepted submission of the review form
        (review tables), plus decisions recorded as `review.decided` audit events (imported
        or simulated reviews)."""
        records = []
        for event in self.audit_events_of(REVIEW_EVENT):
            if event.invoice_id is None:
                continue
            records.append(ReviewRecord.model_validate({
                **event.detail, "invoice_id": event.invoice_id, "decided_at": event.at,
                "reviewer": event.detail.get("reviewer", event.actor),
            }))
        accepted = ("approved", "approval_recorded", "rejected", "held")
        with self.session() as session:
            rows = session.execute(
                select(ReviewActionRow, ReviewRow.proposal)
                .join(ReviewRow, ReviewRow.invoice_id == ReviewActionRow.invoice_id)
                .where(ReviewActionRow.verdict.in_(accepted))
                .order_by(ReviewActionRow.at, ReviewActionRow.id)).all()
            for action, proposal in rows:
                records.append(ReviewRecord(
                    invoice_id=action.invoice_id, reviewer=action.reviewer,
                    role=action.reviewer_role, decision=action.action,
                    proposed=proposal or "review", reason=action.reason,
                    corrections={k: str(v) for k, v in action.corrections.items()
                                 if v is not None},
                    shadow=proposal is not None, decided_at=action.at))
        return sorted(records, key=lambda record: record.decided_at)

    def document_path(self, invoice_id: str) -> str | None:
        """Where the original file of an invoice is kept (content-addressed)."""
        with self.session() as session:
            row = session.get(InvoiceRow, invoice_id)
            if row is None:
                return None
            document = session.get(DocumentRow, row.document_sha256)
            return document.stored_path if document is not None else None

    def voucher(self, invoice_id: str) -> Voucher | None:
        with self.unit_of_work() as uow:
            return uow.voucher(invoice_id)

    def vouchers(self) -> list[Voucher]:
        with self.session() as session:
            return [Voucher.model_validate(row, from_attributes=True)
                    for row in session.scalars(select(VoucherRow).order_by(VoucherRow.id))]

    def prior_invoices(
        self, invoice_id: str, vendor_id: str, number: str | None, total: Decimal | None
    ) -> tuple[PriorInvoice, ...]:
        with self.unit_of_work() as uow:
            return uow.prior_invoices(invoice_id, vendor_id, number, total)

    def prior_on_po(self, invoice_id: str, po_number: str) -> tuple[PriorInvoice, ...]:
        with self.unit_of_work() as uow:
            return uow.prior_on_po(invoice_id, po_number)

    def billed_before(self, invoice_id: str, po_number: str) -> tuple[EarlierBilling, ...]:
        with self.unit_of_work() as uow:
            return uow.billed_before(invoice_id, po_number)

    # -- audit ----------------------------------------------------------------------------------

    def audit(
        self, invoice_id: str | None, step: str, actor: str, detail: dict[str, Any]
    ) -> str:
        """Append one event to the chain, on its own, and return its hash."""
        with self.unit_of_work() as uow:
            digest = uow.audit(invoice_id, step, actor, detail)
            uow.commit()
            return digest

    def audit_events(self, invoice_id: str | None = None) -> list[AuditEvent]:
        with self.session() as session:
            query = select(AuditEventRow).order_by(AuditEventRow.id)
            if invoice_id is not None:
                query = query.where(AuditEventRow.invoice_id == invoice_id)
            return [AuditEvent.model_validate(row, from_attributes=True)
                    for row in session.scalars(query)]

    def audit_events_of(self, step: str) -> list[AuditEvent]:
        """Every event of one step (e.g. `decide`), oldest first."""
        with self.session() as session:
            query = select(AuditEventRow).where(AuditEventRow.step == step) \
                .order_by(AuditEventRow.id)
            return [AuditEvent.model_validate(row, from_attributes=True)
                    for row in session.scalars(query)]

    def anchor_audit(self) -> AuditAnchor | None:
        """Write the chain's head (last id and hash) outside the database, and return it.

        None when the log is empty. Without an anchor file the head is returned unwritten
        (the caller may still show it, e.g. in the batch artifact).
        """
        with self.session() as session:
            head = session.execute(select(AuditEventRow.id, AuditEventRow.hash)
                                   .order_by(AuditEventRow.id.desc()).limit(1)).first()
        if head is None:
            return None
        anchor = AuditAnchor(event_id=head.id, hash=head.hash, at=now(), database=self.database)
        if self.anchors is not None:
            self.anchors.append(anchor)
        return anchor

    def newest_anchor(self) -> AuditAnchor | None:
        if self.anchors is None:
            return None
        anchors, _unreadable = self.anchors.read(self.database)
        return anchors[-1] if anchors else None

    def verify_audit(self) -> AuditCheck:
        """Recompute the keyed chain, check it against every anchor, and check that each
        decision and voucher agrees with its audit event. Names the first bad event."""
        events = self.audit_events()
        anchors, unreadable = self.anchors.read(self.database) if self.anchors else ([], [])
        problems = verify_chain(events, self.key, anchors)
        problems += [AuditProblem("anchor", f"the anchor file has an unreadable {line}")
                     for line in unreadable]
        problems += self._ledger_problems(events)
        notes = []
        if not anchors:
            notes.append("the chain was never anchored outside the database: events cut off "
                         "its end cannot be detected")
        chain_ids = [p.event_id for p in problems
                     if p.kind in ("missing", "altered", "inserted") and p.event_id is not None]
        return AuditCheck(
            ok=not problems, events=len(events),
            first_bad_id=min(chain_ids) if chain_ids else None,
            problems=tuple(problems), anchor=anchors[-1] if anchors else None,
            anchors_checked=len(anchors), key_source=self.key.source, notes=tuple(notes),
        )

    def _ledger_problems(self, events: list[AuditEvent]) -> list[AuditProblem]:
        """Decisions and vouchers against the chain: each must be what its event says."""
        decided: dict[str, AuditEvent] = {}
        posted: dict[str, list[AuditEvent]] = {}
        for event in events:
            if event.invoice_id is None:
                continue
            if event.step in DECISION_STEPS:
                decided[event.invoice_id] = event
            elif event.step == "post":
                posted.setdefault(event.invoice_id, []).append(event)
        problems = []
        with self.session() as session:
            invoices = session.execute(
                select(InvoiceRow.id, InvoiceRow.file_name, InvoiceRow.decision,
                       InvoiceRow.policy_version)
                .where(InvoiceRow.decision.is_not(None)).order_by(InvoiceRow.seq)).all()
            vouchers = list(session.scalars(select(VoucherRow).order_by(VoucherRow.id)))
            names = dict(session.execute(select(InvoiceRow.id, InvoiceRow.file_name)).all())
        for invoice in invoices:
            latest = decided.get(invoice.id)
            if latest is None:
                problems.append(AuditProblem(
                    "decision", f"{invoice.file_name}: decision '{invoice.decision}' has no "
                                f"decide event in the audit log", None, invoice.id))
                continue
            said = (latest.detail.get("outcome"), latest.detail.get("policy_version"))
            if said != (invoice.decision, invoice.policy_version):
                problems.append(AuditProblem(
                    "decision",
                    f"{invoice.file_name}: the invoice says '{invoice.decision}' (policy "
                    f"{invoice.policy_version}), its latest decide event {latest.id} says "
                    f"'{said[0]}' (policy {said[1]})", latest.id, invoice.id))
        for voucher in vouchers:
            name = names.get(voucher.invoice_id, voucher.invoice_id)
            if not any(_same_voucher(e, voucher) for e in posted.get(voucher.invoice_id, [])):
                problems.append(AuditProblem(
                    "voucher",
                    f"{name}: voucher {voucher.id} ({voucher.amount} {voucher.currency}) has no "
                    f"post event in the audit log that records it", None, voucher.invoice_id))
        return problems

def _same_voucher(event: AuditEvent, voucher: VoucherRow) -> bool:
    """The post event records this voucher (its vendor, number, currency and amount)."""
    recorded = event.detail.get("voucher")
    if not isinstance(recorded, dict):
        return False
    try:
        amount = Decimal(str(recorded.get("amount")))
    except InvalidOperation:
        return False
    return (recorded.get("vendor_id"), recorded.get("invoice_number"),
            recorded.get("currency")) == (voucher.vendor_id, voucher.invoice_number,
                                          voucher.currency) and amount == voucher.amount


def _record(row: InvoiceRow) -> InvoiceRecord:
    return InvoiceRecord.model_validate(row, from_attributes=True)


def _default_key() -> AuditKey:
    value = os.environ.get(AUDIT_KEY_ENV)
    return AuditKey.from_text(value, source=f"${AUDIT_KEY_ENV}") if value else AuditKey.ephemeral()
