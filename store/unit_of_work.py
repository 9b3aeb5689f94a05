"""One unit of work: a stage's writes — its result, the status change, its audit event —
commit together or not at all.

    with store.unit_of_work() as uow:
        uow.save_findings(invoice_id, findings)
        uow.audit(invoice_id, "rules", "apx", {...})
        uow.commit()

Leaving the block without `commit()` (an exception, a kill) rolls everything back, so a
crash never leaves half a stage behind and the re-run starts from a consistent state.
Every write replaces what an earlier attempt of the same stage wrote (idempotent).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.findings import Classification, Decision, Finding, Outcome
from models.gateway import ModelAnswer
from models.invoice import Extraction
from models.keys import invoice_number_key, minor_units
from models.matching import EarlierBilling, LineBilling, PriorInvoice
from models.records import Voucher
from models.sensitive import mask_text
from models.states import InvoiceStatus, check_transition
from store.audit import GENESIS, event_mac
from store.secrets import AuditKey
from store.tables import (
    AuditEventRow,
    BilledLineRow,
    FindingRow,
    InvoiceRow,
    ModelCallRow,
    VoucherRow,
)

AUDIT_LOCK_KEY = 0x41505821  # "APX!": serialises appends to the audit chain on PostgreSQL
CHECK_LOCK_KEY = 0x41505822  # serialises matching, so history reads see every earlier match
INTAKE_LOCK_KEY = 0x41505823  # serialises registration, so each invoice has its own place


def now() -> datetime:
    return datetime.now(UTC)


class NotApprovedForPosting(ValueError):
    """Posting was asked for an invoice whose decision is not an approval."""


class WriteConflict(Exception):
    """The unit of work collided with a unique key another write holds (nothing was written):
    e.g. a second voucher for the same invoice, or for one vendor's number and amount."""


class UnitOfWork:
    """`key` signs the audit events and keys the hashes of bank accounts: every account this
    unit of work writes (audit payloads, findings' evidence, the extraction, model answers,
    free text) is kept masked with a keyed hash, never in clear."""

    def __init__(self, session: Session, key: AuditKey) -> None:
        self.session = session
        self.key = key
        self.committed = False

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError as error:
            self.session.rollback()
            raise WriteConflict(str(error.orig).splitlines()[0]) from error
        self.committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def _flush_or_conflict(self) -> None:
        """Send the writes now; a unique key another write holds is a WriteConflict (the
        unit of work is rolled back), as at commit — not an error that fails the stage."""
        try:
            self.session.flush()
        except IntegrityError as error:
            self.session.rollback()
            raise WriteConflict(str(error.orig).splitlines()[0]) from error

    # -- the invoice's state --------------------------------------------------------------

    def invoice_row(self, invoice_id: str) -> InvoiceRow:
        row = self.session.get(InvoiceRow, invoice_id)
        if row is None:
            raise KeyError(f"no invoice {invoice_id}")
        return row

    def set_status(self, invoice_id: str, status: str, reason: str | None = None) -> None:
        """Move the invoice to `status`; the state machine refuses an illegal transition."""
        row = self.invoice_row(invoice_id)
        row.status = check_transition(invoice_id, row.status, status).value
        row.status_reason = mask_text(reason) if reason else reason
        row.updated_at = now()

    # -- stage outputs --------------------------------------------------------------------

    def save_extraction(
        self, invoice_id: str, extraction: Extraction, vendor_id: str | None
    ) -> None:
        doc = extraction.invoice
        row = self.invoice_row(invoice_id)
        row.vendor_id = vendor_id
        row.vendor_name = doc.vendor_name
        row.invoice_number = doc.invoice_number
        row.invoice_number_key = invoice_number_key(doc.invoice_number)
        row.invoice_date = doc.invoice_date
        row.po_number = doc.po_number
        row.currency = doc.currency
        row.subtotal, row.tax, row.total = doc.subtotal, doc.tax, doc.total
        row.total_minor = minor_units(doc.total) if doc.total is not None else None
        row.extraction = self.key.protect(extraction.model_dump(mode="json"))
        self.set_status(invoice_id, InvoiceStatus.EXTRACTED)

    def save_match(self, invoice_id: str, vendor_id: str | None, po_number: str | None) -> None:
        """The resolved vendor and the PO as the ERP spells it: what history queries key on.

        Takes the check lock (held until this unit of work ends) and gives the invoice its
        place in the check order once: history read afterwards in the same unit of work sees
        every invoice matched before it — also one a concurrent worker matched a moment ago.
        """
        self._lock(CHECK_LOCK_KEY)
        row = self.invoice_row(invoice_id)
        row.vendor_id, row.po_number, row.updated_at = vendor_id, po_number, now()
        if row.checked_seq is None:
            last = self.session.scalar(select(func.max(InvoiceRow.checked_seq)))
            row.checked_seq = (last or 0) + 1
        self.session.flush()

    def next_intake_seq(self) -> int:
        """The next place in the intake order. Taken under the intake lock (held until this
        unit of work ends), so two workers registering files at the same moment never get
        the same place."""
        self._lock(INTAKE_LOCK_KEY)
        return (self.session.scalar(select(func.max(InvoiceRow.seq))) or 0) + 1

    def _lock(self, key: int) -> None:
        """A transaction-scoped lock on PostgreSQL; SQLite serialises writers by itself."""
        bind = self.session.bind
        if bind is not None and bind.dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def save_billed_lines(
        self, invoice_id: str, po_number: str | None, lines: Iterable[LineBilling]
    ) -> None:
        """What the invoice bills per line of `po_number` (none: it bills no PO line),
        replacing what an earlier run of the check stage saved."""
        self.session.execute(delete(BilledLineRow).where(BilledLineRow.invoice_id == invoice_id))
        if po_number is None:
            return
        self.session.add_all(
            BilledLineRow(invoice_id=invoice_id, po_number=po_number,
                          po_line_no=line.po_line_no, quantity=line.quantity,
                          amount=line.amount)
            for line in lines
        )

    def save_findings(self, invoice_id: str, findings: list[Finding]) -> None:
        self.session.execute(delete(FindingRow).where(FindingRow.invoice_id == invoice_id))
        self.session.add_all(
            FindingRow(invoice_id=invoice_id, code=f.code, severity=f.severity.value,
                       message=mask_text(f.message), evidence=self.key.protect(f.evidence),
                       amount=f.amount)
            for f in findings
        )

    def save_classification(self, invoice_id: str, result: Classification) -> None:
        row = self.invoice_row(invoice_id)
        row.primary_pattern = result.pattern or None
        row.explanation = mask_text(result.explanation)
        row.model_explanation = (mask_text(result.model_explanation)
                                 if result.model_explanation else None)
        row.classification_source = result.source
        row.updated_at = now()

    def save_decision(self, invoice_id: str, decision: Decision) -> None:
        row = self.invoice_row(invoice_id)
        row.decision = decision.outcome.value
        row.decision_reason = decision.reason
        row.approver_role = decision.approver_role
        row.four_eyes = decision.four_eyes
        row.policy_version = decision.policy_version
        row.proposal = decision.proposal
        row.updated_at = now()
        if row.status != InvoiceStatus.UNREADABLE:  # that final state and its reason stay
            self.set_status(invoice_id, InvoiceStatus.DECIDED)

    def record_model_call(self, invoice_id: str, answer: ModelAnswer) -> None:
        self.session.add(ModelCallRow(
            invoice_id=invoice_id, step=answer.step, model=answer.model,
            prompt_version=answer.prompt_version, cached=answer.cached,
            prompt_tokens=answer.prompt_tokens, completion_tokens=answer.completion_tokens,
            cost=answer.cost, latency_ms=answer.latency_ms,
            answer=self.key.protect(answer.data), at=now(),
        ))

    def voucher(self, invoice_id: str) -> Voucher | None:
        row = self.session.scalars(
            select(VoucherRow).where(VoucherRow.invoice_id == invoice_id)).first()
        return Voucher.model_validate(row, from_attributes=True) if row is not None else None

    def voucher_exists(self, invoice_id: str) -> bool:
        return self.session.scalar(
            select(VoucherRow.id).where(VoucherRow.invoice_id == invoice_id)) is not None

    def post_voucher(self, invoice_id: str) -> bool:
        """Write the voucher of an approved invoice; False when one exists already (posted
        by a run that died before recording it): then the status is completed only.

        A concurrent post of the same invoice, or of another invoice with the same vendor,
        number and amount, fails on a unique constraint: WriteConflict, here (the voucher is
        written at once) or at commit, and nothing is paid twice.
        """
        row = self.invoice_row(invoice_id)
        existing = self.session.scalar(
            select(VoucherRow.id).where(VoucherRow.invoice_id == invoice_id))
        if existing is None:
            self.session.flush()
            if row.decision != Outcome.APPROVE or row.vendor_id is None or row.total is None:
                raise NotApprovedForPosting(f"invoice {invoice_id} is not approved for posting")
            self.session.add(VoucherRow(
                invoice_id=invoice_id, vendor_id=row.vendor_id,
                invoice_number=row.invoice_number or "",
                invoice_number_key=row.invoice_number_key,
                invoice_date=row.invoice_date, currency=row.currency or "", amount=row.total,
                amount_minor=minor_units(row.total), po_number=row.po_number,
                posted_at=now(),
            ))
            self._flush_or_conflict()
        self.set_status(invoice_id, InvoiceStatus.POSTED)
        return existing is None

    # -- history, read inside the unit of work (after save_match: under the check lock) --

    def _checked_before(self, invoice_id: str) -> ColumnElement[bool]:
        """Invoices matched before this one (all matched ones, if it is not matched yet)."""
        mine = self.invoice_row(invoice_id).checked_seq
        earlier = InvoiceRow.checked_seq.is_not(None)
        return earlier if mine is None else and_(earlier, InvoiceRow.checked_seq < mine)

    def prior_invoices(
        self, invoice_id: str, vendor_id: str, number: str | None, total: Decimal | None
    ) -> tuple[PriorInvoice, ...]:
        """Earlier invoices of the vendor, from all of history, with the same number (in its
        normal form, models.keys.invoice_number_key) or the same total (in cents); indexed."""
        key = invoice_number_key(number)
        matches = [InvoiceRow.invoice_number_key == key] if key else []
        if total is not None:
            matches.append(InvoiceRow.total_minor == minor_units(total))
        if not matches:
            return ()
        rows = self.session.scalars(select(InvoiceRow).where(
            InvoiceRow.vendor_id == vendor_id, InvoiceRow.id != invoice_id,
            self._checked_before(invoice_id), or_(*matches),
        ).order_by(InvoiceRow.checked_seq))
        return tuple(_prior(row) for row in rows)

    def prior_on_po(self, invoice_id: str, po_number: str) -> tuple[PriorInvoice, ...]:
        rows = self.session.scalars(select(InvoiceRow).where(
            InvoiceRow.po_number == po_number, InvoiceRow.id != invoice_id,
            self._checked_before(invoice_id),
        ).order_by(InvoiceRow.checked_seq))
        return tuple(_prior(row) for row in rows)

    def billed_before(self, invoice_id: str, po_number: str) -> tuple[EarlierBilling, ...]:
        """What earlier invoices that were not rejected billed per line of the PO."""
        not_rejected = or_(InvoiceRow.decision.is_(None),
                           InvoiceRow.decision != Outcome.REJECT.value)
        rows = self.session.execute(
            select(BilledLineRow, InvoiceRow.invoice_number, InvoiceRow.file_name)
            .join(InvoiceRow, InvoiceRow.id == BilledLineRow.invoice_id)
            .where(BilledLineRow.po_number == po_number, InvoiceRow.id != invoice_id,
                   self._checked_before(invoice_id), not_rejected)
            .order_by(InvoiceRow.checked_seq, BilledLineRow.po_line_no)
        ).all()
        return tuple(
            EarlierBilling(invoice_id=line.invoice_id, invoice_number=number,
                           file_name=file_name, po_line_no=line.po_line_no,
                           quantity=line.quantity, amount=line.amount)
            for line, number, file_name in rows
        )

    # -- audit ----------------------------------------------------------------------------

    def audit(
        self, invoice_id: str | None, step: str, actor: str, detail: dict[str, Any]
    ) -> str:
        """Append one event to the chain (in this unit of work) and return its keyed hash.

        Bank accounts in `detail` are kept masked with a keyed hash; the chain covers that
        form. The event's hash is an HMAC over its id, its predecessor's hash and its
        content (store/audit.py): the row is inserted first (for its id), then linked.
        """
        detail = self.key.protect(detail)
        session = self.session
        self._lock(AUDIT_LOCK_KEY)  # until this unit of work ends: the chain stays linear
        session.flush()
        at = now()
        row = AuditEventRow(invoice_id=invoice_id, step=step, actor=actor, at=at,
                            detail=detail, prev_hash=GENESIS,
                            hash=secrets.token_hex(32))  # a unique placeholder, replaced below
        session.add(row)
        session.flush()  # on SQLite this takes the write lock: no other writer interleaves
        row.prev_hash = session.scalar(
            select(AuditEventRow.hash).where(AuditEventRow.id < row.id)
            .order_by(AuditEventRow.id.desc()).limit(1)
        ) or GENESIS
        row.hash = event_mac(self.key, row.id, row.prev_hash, invoice_id, step, actor, at,
                             detail)
        session.flush()
        return row.hash


def _prior(row: InvoiceRow) -> PriorInvoice:
    return PriorInvoice(
        invoice_id=row.id, file_name=row.file_name, vendor_id=row.vendor_id,
        invoice_number=row.invoice_number, invoice_date=row.invoice_date,
        po_number=row.po_number, currency=row.currency, subtotal=row.subtotal,
        total=row.total, decision=row.decision,
    )
