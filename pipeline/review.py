"""Human review as plain functions: open a case, describe it, judge a submission, escalate.

The Prefect flows in `flows/review.py` only wait for the form and call these; the rules
(roles, four eyes, codes) are `rules/review.py`; the store keeps every submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from models.matching import MatchResult
from models.review import ReviewCase, Submission, Verdict
from pipeline.review_card import amount_text, invoice_document, review_card
from pipeline.runtime import Runtime
from rules import review as rules
from rules.matching import match_invoice


class NotInReview(ValueError):
    """The invoice's decision is not 'review' (nothing for a person to decide)."""


@dataclass(frozen=True)
class QueueItem:
    """One row of the review queue (oldest first)."""

    invoice_id: str
    title: str
    file_name: str
    vendor: str
    invoice_number: str
    total: Decimal | None
    amount: str
    pattern: str
    required_role: str
    four_eyes: bool
    opened_at: datetime
    age_minutes: int
    flow_run_id: str | None
    state: str


def open_review(rt: Runtime, invoice_id: str) -> ReviewCase:
    """The invoice's review case (created the first time), from its recorded decision."""
    existing = rt.store.reviews.case(invoice_id)
    if existing is not None:
        return existing
    row = rt.store.invoice(invoice_id)
    if row is None:
        raise KeyError(f"no invoice {invoice_id}")
    if row.decision != "review":
        raise NotInReview(f"invoice {invoice_id} is not in review (decision {row.decision})")
    required = row.approver_role or rules.required_role(rt.policy, row.total)
    return rt.store.reviews.open_case(invoice_id, required_role=required,
                                      four_eyes=row.four_eyes, proposal=row.proposal)


def title(rt: Runtime, invoice_id: str) -> str:
    """What the flow run is called: vendor, number, total, pattern — readable at a glance."""
    row = rt.store.invoice(invoice_id)
    if row is None:
        return invoice_id[:12]
    return " · ".join([
        (row.vendor_name or row.file_name)[:40], row.invoice_number or "?",
        amount_text(row.total, row.currency), row.primary_pattern or "no exception",
    ])


def _match(rt: Runtime, invoice_id: str) -> MatchResult | None:
    row = rt.store.invoice(invoice_id)
    invoice = invoice_document(row) if row is not None else None
    if invoice is None:
        return None
    return match_invoice(invoice, rt.master, thresholds=rt.policy.matching)


def description(rt: Runtime, invoice_id: str) -> str:
    """The review card above the form, with who may decide and what happened so far."""
    row = rt.store.invoice(invoice_id)
    if row is None:
        raise KeyError(f"no invoice {invoice_id}")
    return review_card(row, rt.store.findings(invoice_id), rt.store.model_calls(invoice_id),
                       match=_match(rt, invoice_id), case=rt.store.reviews.case(invoice_id),
                       actions=rt.store.reviews.actions(invoice_id))


def next_key(case: ReviewCase) -> str:
    """The form key for the next submission: one per processed submission, deterministic, so
    a flow that re-runs from the top finds the answers it already has under the same keys."""
    return f"decision-{case.submissions}"


def submit(rt: Runtime, invoice_id: str, key: str, submission: Submission) -> ReviewCase:
    """Judge one submission, record it (once per key) and carry out a final approval."""
    case = open_review(rt, invoice_id)
    reviewer = rt.store.reviews.reviewer(submission.reviewer)
    judgement = rules.judge(case, submission, reviewer, rt.policy)
    agreed = rules.agreed_with(case.proposal, judgement.verdict)
    case, _new = rt.store.reviews.record(invoice_id, key, submission, judgement, agreed=agreed)
    finish(rt, invoice_id)
    return case


def finish(rt: Runtime, invoice_id: str) -> bool:
    """Post an approved invoice (exactly once: a repeat posts nothing); True if posted now."""
    case = rt.store.reviews.case(invoice_id)
    if case is None or case.status != "approved":
        return False
    from store.audit import voucher_detail
    from store.unit_of_work import WriteConflict

    try:
        with rt.store.unit_of_work() as uow:  # the voucher, the status and the event together
            posted = uow.post_voucher(invoice_id)
            if posted:  # a repeat of the same answer posts, and records, nothing new
                uow.audit(invoice_id, "post", "erp", {
                    "posted": True, "by": case.decided_by,
                    "voucher": voucher_detail(uow.voucher(invoice_id))})
            uow.commit()
    except WriteConflict:  # a voucher for the same vendor, number and amount exists
        return False
    return posted


def due_escalations(rt: Runtime, now: datetime | None = None) -> list[tuple[ReviewCase, str]]:
    at = now or datetime.now(UTC)
    due = []
    for case in rt.store.reviews.cases("waiting"):
        role = rules.escalation(case, rt.policy, at)
        if role is not None:
            due.append((case, role))
    return due


def escalate(rt: Runtime, invoice_id: str, role: str) -> ReviewCase:
    return rt.store.reviews.escalate(invoice_id, role)


def queue(rt: Runtime, now: datetime | None = None) -> list[QueueItem]:
    """Waiting reviews, oldest first, with what the queue artifact shows."""
    at = now or datetime.now(UTC)
    items = []
    for case in rt.store.reviews.cases("waiting"):
        row = rt.store.invoice(case.invoice_id)
        if row is None:
            continue
        state = "on hold" if case.held_by else (
            f"1 of 2 approvals ({', '.join(case.approvers)})" if case.approvers else "waiting")
        items.append(QueueItem(
            invoice_id=case.invoice_id, title=title(rt, case.invoice_id),
            file_name=row.file_name, vendor=row.vendor_name or "-",
            invoice_number=row.invoice_number or "-", total=row.total,
            amount=amount_text(row.total, row.currency),
            pattern=row.primary_pattern or "-", required_role=case.required_role,
            four_eyes=case.four_eyes, opened_at=case.opened_at,
            age_minutes=int((at - case.opened_at).total_seconds() // 60),
            flow_run_id=case.flow_run_id, state=state,
        ))
    return items


def waiting_for_review(rt: Runtime) -> list[str]:
    """Invoices decided 'review' by the policy that have no finished review: every one of
    them must have a waiting review run (what `apx serve` checks at start)."""
    done = {case.invoice_id for case in rt.store.reviews.cases(None) if case.status != "waiting"}
    return [row.id for row in rt.store.invoices()
            if row.decision == "review" and row.id not in done]


def shadow_agreement(rt: Runtime) -> tuple[int, int]:
    """(agreed, decided with a proposal) over finished shadow-mode reviews."""
    cases = [c for c in rt.store.reviews.cases(None) if c.agreed is not None]
    return sum(1 for c in cases if c.agreed), len(cases)


__all__ = ["NotInReview", "QueueItem", "Verdict", "description", "due_escalations",
           "escalate", "finish", "next_key", "open_review", "queue", "shadow_agreement",
           "submit", "title", "waiting_for_review"]
