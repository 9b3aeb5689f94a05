"""The review side of the store: reviewer registry, review cases, submissions and feedback.

Every write is idempotent or keyed: a submission is recorded once per (invoice, form key),
so a review flow that re-runs from the top after a resume never counts a decision twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.review import (
    Feedback,
    Judgement,
    ReviewActionRecord,
    ReviewCase,
    Reviewer,
    Submission,
    Verdict,
)
from store.tables import FeedbackRow, InvoiceRow, ReviewActionRow, ReviewerRow, ReviewRow

if TYPE_CHECKING:
    from store.repository import Store


class ReviewerExists(ValueError):
    """`apx reviewers add` for a name that is registered already."""


def _now() -> datetime:
    from store.unit_of_work import now  # looked up at call time: a simulated clock applies

    return now()


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Reviews:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- registry ---------------------------------------------------------------------------

    def add_reviewer(self, name: str, role: str, code_hash: str, *, replace: bool = False
                     ) -> Reviewer:
        """Register a reviewer (or, with `replace`, give them a new role and code)."""
        name = name.strip()
        if not name:
            raise ValueError("a reviewer needs a name")
        try:
            with self.store.session() as session:
                row = session.get(ReviewerRow, name)
                if row is not None and not replace:
                    raise ReviewerExists(f"reviewer '{name}' exists already")
                if row is None:
                    row = ReviewerRow(name=name, role=role, code_hash=code_hash, active=True,
                                      created_at=_now())
                    session.add(row)
                else:
                    row.role, row.code_hash, row.active = role, code_hash, True
                session.flush()
                reviewer = Reviewer.model_validate(row, from_attributes=True)
        except IntegrityError:
            raise ReviewerExists(f"reviewer '{name}' exists already") from None
        self.store.audit(None, "reviewer.registered", "apx", {
            "reviewer": name, "role": role, "replaced": replace})
        return reviewer

    def reviewer(self, name: str) -> Reviewer | None:
        with self.store.session() as session:
            row = session.get(ReviewerRow, name.strip())
            return Reviewer.model_validate(row, from_attributes=True) if row else None

    def reviewers(self) -> list[Reviewer]:
        with self.store.session() as session:
            return [Reviewer.model_validate(row, from_attributes=True)
                    for row in session.scalars(select(ReviewerRow).order_by(ReviewerRow.name))]

    # -- cases ------------------------------------------------------------------------------

    def open_case(self, invoice_id: str, *, required_role: str, four_eyes: bool,
                  proposal: str | None) -> ReviewCase:
        """The invoice's review case, created on first call (later calls return it)."""
        try:
            with self.store.session() as session:
                if session.get(ReviewRow, invoice_id) is None:
                    session.add(ReviewRow(
                        invoice_id=invoice_id, status="waiting", required_role=required_role,
                        four_eyes=four_eyes, proposal=proposal, escalation_level=0,
                        opened_at=_now(), approvers=[], correctors=[], submissions=0))
                    created = True
                else:
                    created = False
        except IntegrityError:  # opened concurrently by another run
            created = False
        if created:
            self.store.audit(invoice_id, "review.opened", "apx", {
                "required_role": required_role, "four_eyes": four_eyes, "proposal": proposal})
        case = self.case(invoice_id)
        assert case is not None
        return case

    def set_flow_run(self, invoice_id: str, flow_run_id: str) -> None:
        with self.store.session() as session:
            row = self._row(session, invoice_id)
            row.flow_run_id = flow_run_id

    def case(self, invoice_id: str) -> ReviewCase | None:
        with self.store.session() as session:
            row = session.get(ReviewRow, invoice_id)
            return self._case(session, row) if row is not None else None

    def cases(self, status: str | None = "waiting") -> list[ReviewCase]:
        """Review cases, oldest first (the queue when `status` is 'waiting')."""
        with self.store.session() as session:
            query = select(ReviewRow).order_by(ReviewRow.opened_at, ReviewRow.invoice_id)
            if status is not None:
                query = query.where(ReviewRow.status == status)
            return [self._case(session, row) for row in session.scalars(query)]

    def escalate(self, invoice_id: str, role: str) -> ReviewCase:
        with self.store.session() as session:
            row = self._row(session, invoice_id)
            previous = row.required_role
            row.required_role, row.escalated_at = role, _now()
            row.escalation_level += 1
            level = row.escalation_level
        self.store.audit(invoice_id, "review.escalated", "apx", {
            "from_role": previous, "to_role": role, "level": level})
        case = self.case(invoice_id)
        assert case is not None
        return case

    # -- submissions ------------------------------------------------------------------------

    def record(self, invoice_id: str, input_key: str, submission: Submission,
               judgement: Judgement, *, agreed: bool | None = None) -> tuple[ReviewCase, bool]:
        """Record one submission and its effects in one transaction; (case, newly recorded).

        The same `input_key` again records nothing (the flow re-ran from the top). An accepted
        submission applies its corrections (each one a feedback row), and a final one records
        the human decision on the invoice with who and when.
        """
        verdict, at = judgement.verdict, _now()
        accepted = verdict is not Verdict.REFUSED
        corrections = {k: _text(v) for k, v in judgement.corrections.items()} if accepted else {}
        changed: list[Feedback] = []
        try:
            with self.store.session() as session:
                case = self._row(session, invoice_id)
                invoice = session.get(InvoiceRow, invoice_id)
                assert invoice is not None
                session.add(ReviewActionRow(
                    invoice_id=invoice_id, input_key=input_key,
                    reviewer=submission.reviewer.strip()[:80],
                    reviewer_role=judgement.reviewer_role, action=submission.action,
                    verdict=verdict.value, message=judgement.message,
                    reason=submission.reason.strip(), corrections=corrections, at=at))
                session.flush()  # the unique (invoice, key) fails here for a repeat
                case.submissions += 1
                case.last_message = judgement.message
                if accepted:
                    changed = self._apply_corrections(session, invoice, judgement, submission, at)
                    if changed:
                        case.correctors = sorted({*case.correctors, submission.reviewer})
                    case.approvers = list(judgement.approvers)
                    case.required_role = judgement.required_role
                    case.held_by = submission.reviewer if verdict is Verdict.HELD else None
                if verdict.final:
                    case.status = "approved" if verdict is Verdict.APPROVED else "rejected"
                    case.decided_at = at
                    case.decided_by = ", ".join(judgement.approvers) or submission.reviewer
                    case.agreed = agreed
                    invoice.decision = "approve" if verdict is Verdict.APPROVED else "reject"
                    invoice.decision_reason = judgement.message + (
                        f" Reason: {submission.reason.strip()}"
                        if submission.reason.strip() and judgement.message.find(
                            submission.reason.strip()) < 0 else "")
                    invoice.approver_role = judgement.required_role
                    invoice.status = "decided"
                    invoice.updated_at = at
                decided = (invoice.decision, invoice.policy_version)
        except IntegrityError:
            current = self.case(invoice_id)
            assert current is not None
            return current, False
        actor = f"reviewer:{submission.reviewer.strip()[:80]}"
        for item in changed:
            self.store.audit(invoice_id, "review.correction", actor, {
                "field": item.field, "old": item.old_value, "new": item.new_value})
        self.store.audit(invoice_id, "review.decision" if verdict.final else "review.submission",
                         actor, {
                             "key": input_key, "action": submission.action,
                             "verdict": verdict.value, "message": judgement.message,
                             "reason": submission.reason.strip(),
                             "reviewer_role": judgement.reviewer_role,
                             "required_role": judgement.required_role,
                             "approvers": list(judgement.approvers), "agreed": agreed,
                             # what the invoice's decision now is (verify checks the ledger)
                             **({"outcome": decided[0], "policy_version": decided[1]}
                                if verdict.final else {}),
                         })
        current = self.case(invoice_id)
        assert current is not None
        return current, True

    def actions(self, invoice_id: str) -> list[ReviewActionRecord]:
        with self.store.session() as session:
            return [ReviewActionRecord.model_validate(row, from_attributes=True)
                    for row in session.scalars(select(ReviewActionRow).where(
                        ReviewActionRow.invoice_id == invoice_id).order_by(ReviewActionRow.id))]

    def feedback(self, invoice_id: str | None = None) -> list[Feedback]:
        with self.store.session() as session:
            query = select(FeedbackRow).order_by(FeedbackRow.id)
            if invoice_id is not None:
                query = query.where(FeedbackRow.invoice_id == invoice_id)
            return [Feedback.model_validate(row, from_attributes=True)
                    for row in session.scalars(query)]

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _apply_corrections(session: Session, invoice: InvoiceRow, judgement: Judgement,
                           submission: Submission, at: datetime) -> list[Feedback]:
        from models.keys import invoice_number_key, minor_units

        changed: list[Feedback] = []
        for field, value in judgement.corrections.items():
            old = getattr(invoice, field)
            new: object = date.fromisoformat(value) if field == "invoice_date" and isinstance(
                value, str) else value
            if _text(old) == _text(new) or (isinstance(old, Decimal) and isinstance(
                    new, Decimal) and old == new):
                continue
            setattr(invoice, field, new)
            if field == "invoice_number":
                invoice.invoice_number_key = invoice_number_key(str(new))
            if field == "total" and isinstance(new, Decimal):
                invoice.total_minor = minor_units(new)
            row = FeedbackRow(invoice_id=invoice.id, field=field, old_value=_text(old),
                              new_value=_text(new), reviewer=submission.reviewer.strip()[:80],
                              at=at)
            session.add(row)
            changed.append(Feedback(invoice_id=invoice.id, field=field, old_value=_text(old),
                                    new_value=_text(new), reviewer=row.reviewer, at=at))
        if changed:
            invoice.updated_at = at
        return changed

    @staticmethod
    def _row(session: Session, invoice_id: str) -> ReviewRow:
        row = session.get(ReviewRow, invoice_id)
        if row is None:
            raise KeyError(f"invoice {invoice_id} has no review case")
        return row

    @staticmethod
    def _case(session: Session, row: ReviewRow) -> ReviewCase:
        invoice = session.get(InvoiceRow, row.invoice_id)
        return ReviewCase(
            invoice_id=row.invoice_id, status=row.status,
            flow_run_id=row.flow_run_id, required_role=row.required_role,
            four_eyes=row.four_eyes, total=invoice.total if invoice else None,
            proposal=row.proposal, escalation_level=row.escalation_level,
            opened_at=_aware(row.opened_at), escalated_at=_aware(row.escalated_at),
            decided_at=_aware(row.decided_at),
            decided_by=row.decided_by, agreed=row.agreed, approvers=tuple(row.approvers or ()),
            correctors=tuple(row.correctors or ()), submissions=row.submissions,
            last_message=row.last_message, held_by=row.held_by,
            missing_for_posting=tuple(name for name, value in (
                ("a vendor from the vendor master", invoice.vendor_id if invoice else None),
                ("a total", invoice.total if invoice else None)) if value is None),
        )
