"""One invoice's history, assembled from what the store keeps: the input of every metric.

The times come from the audit log (each step appends an event with its timestamp): received
is the invoice's intake, APX's decision is the `decide` event of the policy, posted is the
voucher. Reviewers' decisions come from `ReviewRecord`s, whichever store holds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from models.findings import Finding
from models.records import AuditEvent, InvoiceRecord, ModelCallRecord, Voucher
from models.review import ReviewRecord

Path = Literal["touchless", "review", "hold", "reject", "failed"]
PATHS: tuple[Path, ...] = ("touchless", "review", "hold", "reject", "failed")
PATH_OF: dict[str, Path] = {"approve": "touchless", "review": "review", "hold": "hold",
                            "reject": "reject"}
OUTSIDE_CHOICES = ("is not one of", "not one of the candidates")
"""How an answer outside the offered choices reads: jsonschema's enum error (the gateway
refused it) or the classifier's fallback reason (a gateway that does not validate)."""


def utc(at: datetime) -> datetime:
    """SQLite gives instants back without their zone; APX stores UTC."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class ModelIssue(BaseModel):
    """A model call that failed, or an answer outside the choices it was offered."""

    model_config = ConfigDict(frozen=True)

    step: str
    reason: str
    failed: bool
    """The gateway raised (no usable answer): the stage used its deterministic fallback."""
    outside_choices: bool


class InvoiceFacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoice_id: str
    file_name: str
    vendor_id: str | None = None
    vendor_name: str | None = None
    invoice_number: str | None = None
    total: Decimal | None = None
    currency: str | None = None
    status: str
    received_at: datetime
    apx_decision: str | None = None
    """What the policy decided (approve, review, hold, reject), whatever a person did after."""
    apx_decided_at: datetime | None = None
    approver_role: str | None = None
    four_eyes: bool = False
    policy_version: str | None = None
    primary_pattern: str | None = None
    classification_source: str | None = None
    findings: tuple[Finding, ...] = ()
    unconfirmed: dict[str, str] | None = None
    """Facts the rules stage could not confirm ({fact: why}); None when nothing was assessed."""
    reviews: tuple[ReviewRecord, ...] = ()
    posted_at: datetime | None = None
    calls: tuple[ModelCallRecord, ...] = ()
    issues: tuple[ModelIssue, ...] = ()

    @property
    def path(self) -> Path:
        return PATH_OF.get(self.apx_decision or "", "failed")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted({finding.code for finding in self.findings}))

    @property
    def label(self) -> str:
        """How a person finds it: the file name and the invoice number."""
        number = f" ({self.invoice_number})" if self.invoice_number else ""
        return f"{self.file_name}{number}"

    @property
    def decisive_reviews(self) -> tuple[ReviewRecord, ...]:
        """Reviews that decided the invoice (not shadow-mode second opinions)."""
        return tuple(review for review in self.reviews if not review.shadow)

    @property
    def reviewed_at(self) -> datetime | None:
        """When the people it needs had decided it (two distinct ones for four eyes)."""
        needed = 2 if self.four_eyes else 1
        seen: set[str] = set()
        for review in sorted(self.decisive_reviews, key=lambda r: r.decided_at):
            seen.add(review.reviewer)
            if len(seen) >= needed:
                return review.decided_at
        return None

    @property
    def final_review(self) -> ReviewRecord | None:
        decisive = sorted(self.decisive_reviews, key=lambda r: r.decided_at)
        return decisive[-1] if decisive else None

    @property
    def decided_at(self) -> datetime | None:
        """When the invoice was decided: by the policy, or by its reviewers on the review path."""
        if self.path == "review":
            return self.reviewed_at
        return self.apx_decided_at

    @property
    def final_decision(self) -> str | None:
        """approve, reject or hold as finally decided; None while it waits for a person."""
        if self.path == "touchless":
            return "approve"
        if self.path in ("hold", "reject"):
            return self.path
        if self.path == "review" and self.reviewed_at is not None:
            review = self.final_review
            return review.decision if review is not None else None
        return None

    @property
    def waiting_review(self) -> bool:
        return self.path == "review" and self.reviewed_at is None


def _detail(event: AuditEvent | None, key: str) -> Any:
    return None if event is None else event.detail.get(key)


def build_facts(
    invoices: Iterable[InvoiceRecord],
    findings: dict[str, list[Finding]],
    calls: Iterable[ModelCallRecord],
    events: Iterable[AuditEvent],
    vouchers: Iterable[Voucher],
    reviews: Iterable[ReviewRecord],
) -> list[InvoiceFacts]:
    """Each stored invoice's history, in processing order."""
    by_invoice_events: dict[str, list[AuditEvent]] = {}
    for event in events:
        if event.invoice_id is not None:
            by_invoice_events.setdefault(event.invoice_id, []).append(event)
    by_invoice_calls: dict[str, list[ModelCallRecord]] = {}
    for call in calls:
        by_invoice_calls.setdefault(call.invoice_id, []).append(call)
    posted = {voucher.invoice_id: utc(voucher.posted_at) for voucher in vouchers}
    by_invoice_reviews: dict[str, list[ReviewRecord]] = {}
    for review in reviews:
        review = review.model_copy(update={"decided_at": utc(review.decided_at)})
        by_invoice_reviews.setdefault(review.invoice_id, []).append(review)

    result = []
    for row in invoices:
        history = by_invoice_events.get(row.id, [])
        # The policy's decision (a person's decision is a review record, not a `decide` event).
        decide = next((e for e in reversed(history)
                       if e.step == "decide" and e.actor == "policy"), None)
        rules = next((e for e in reversed(history) if e.step == "rules"), None)
        unconfirmed = _detail(rules, "unconfirmed")
        result.append(InvoiceFacts(
            invoice_id=row.id, file_name=row.file_name, vendor_id=row.vendor_id,
            vendor_name=row.vendor_name, invoice_number=row.invoice_number, total=row.total,
            currency=row.currency, status=row.status, received_at=utc(row.created_at),
            apx_decision=_detail(decide, "outcome") or (row.decision if decide is None else None),
            apx_decided_at=utc(decide.at) if decide is not None else None,
            approver_role=_detail(decide, "approver_role") if decide else row.approver_role,
            four_eyes=bool(_detail(decide, "four_eyes")) if decide else row.four_eyes,
            policy_version=_detail(decide, "policy_version") or row.policy_version,
            primary_pattern=row.primary_pattern, classification_source=row.classification_source,
            findings=tuple(findings.get(row.id, [])),
            unconfirmed=dict(unconfirmed) if isinstance(unconfirmed, dict) else None,
            reviews=tuple(sorted(by_invoice_reviews.get(row.id, []), key=lambda r: r.decided_at)),
            posted_at=posted.get(row.id),
            calls=tuple(by_invoice_calls.get(row.id, [])),
            issues=tuple(_issues(history)),
        ))
    return result


def _issues(history: list[AuditEvent]) -> list[ModelIssue]:
    issues = []
    for event in history:
        if event.step.startswith("model.") and event.step.endswith(".failed"):
            reason = str(event.detail.get("reason", ""))
            issues.append(ModelIssue(
                step=event.step.removeprefix("model.").removesuffix(".failed"), reason=reason,
                failed=True, outside_choices=any(mark in reason for mark in OUTSIDE_CHOICES)))
        elif event.step == "classify":
            reason = str(event.detail.get("fallback_reason") or "")
            if "not one of the candidates" in reason:
                issues.append(ModelIssue(step="classification", reason=reason, failed=False,
                                         outside_choices=True))
    return issues


def in_period(facts: Iterable[InvoiceFacts], since: datetime, until: datetime
              ) -> list[InvoiceFacts]:
    """Invoices received in [since, until)."""
    since, until = utc(since), utc(until)
    return [item for item in facts if since <= item.received_at < until]


def default_period(facts: Iterable[InvoiceFacts], today: date, days: int = 30
                   ) -> tuple[datetime, datetime]:
    """The last `days` days of the database: up to the end of the day of its newest invoice."""
    newest = max((item.received_at for item in facts), default=None)
    last = newest.date() if newest is not None else today
    until = datetime.combine(last + timedelta(days=1), time(), UTC)
    return until - timedelta(days=days), until


def latest_activity(facts: Iterable[InvoiceFacts]) -> datetime | None:
    """The newest time anything happened to these invoices (for the age of waiting work)."""
    times = [t for item in facts for t in (
        item.received_at, item.apx_decided_at, item.posted_at,
        *(review.decided_at for review in item.reviews)) if t is not None]
    return max(times, default=None)
