"""The controller's numbers over a period, computed from invoice histories (pure).

Definitions (the report prints them too):
- touchless rate: invoices the policy approved with no person involved / invoices received;
- exception rate: invoices with at least one finding / invoices received;
- cycle time: received → decided (by the policy, or by the reviewers on the review path)
  → posted to the ERP, per path;
- cost per invoice: model cost + reviewer minutes × the policy's hourly rate, over the
  invoices received; a review without measured minutes counts the policy's standard minutes,
  and an invoice still waiting for review (or reviewed where no review records are kept)
  counts them too, as an estimate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from metrics.conformance import ConformanceGap, InvoiceRef, conformance_gap
from metrics.facts import PATHS, InvoiceFacts
from metrics.stats import hours_between, mean, median, quantile, share
from metrics.usage import StepUsage, step_usage
from models.benchmarks import Anchor, Benchmarks
from models.catalog import Catalog
from models.policy import Policy

CYCLE_PATHS = ("touchless", "review", "hold")
NO_PATTERN = "(no finding)"


class Spread(BaseModel):
    model_config = ConfigDict(frozen=True)

    count: int
    median_hours: float | None
    p90_hours: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(count=len(values), median_hours=median(values),
                   p90_hours=quantile(values, 0.9))


class PathCycle(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    invoices: int
    received_to_decided: Spread
    decided_to_posted: Spread
    received_to_posted: Spread


class PatternRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    pattern: str
    primary: int
    """Invoices classified as this pattern."""
    with_finding: int
    """Invoices with at least one finding of this pattern."""
    rate: float | None
    """`primary` / invoices received."""
    decisions: dict[str, int]


class DayRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    received: dict[str, int]
    """Invoices received that day, by APX's path."""
    reviewed: int
    posted: int


class ReviewerRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    reviewer: str
    role: str | None
    decisions: int
    approved: int
    rejected: int
    held: int
    corrected: int
    shadow: int
    minutes: Decimal
    median_hours_to_decision: float | None
    p90_hours_to_decision: float | None


class WaitingReview(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoice: InvoiceRef
    pattern: str | None
    approver_role: str | None
    waiting_since: datetime
    age_hours: float


class Costs(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoices: int
    model_cost: Decimal
    review_minutes: Decimal
    estimated_minutes: Decimal
    """Part of review_minutes counted at the standard for reviews not (yet) recorded."""
    review_cost: Decimal
    total: Decimal
    per_invoice: Decimal | None
    model_per_invoice: Decimal | None
    review_per_invoice: Decimal | None
    currency: str
    minutes_per_review: Decimal
    hourly_rate: Decimal


class AgreementRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    pattern: str
    records: int
    comparable: int
    """Records where APX proposed a final outcome (approve, hold, reject)."""
    agreed: int
    agreement: float | None
    escalated: int
    """Records where APX proposed review (a person must look)."""
    escalation_confirmed: int
    """... of which the person did not approve as it stood (rejected, held or corrected)."""
    disagreements: tuple[InvoiceRef, ...]


class AnchorRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    anchor: Anchor
    ours: Decimal | None
    standing: str


class ControllerReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    since: datetime
    until: datetime
    policy_versions: tuple[str, ...]
    invoices: int
    paths: dict[str, int]
    touchless_rate: float | None
    exception_invoices: int
    exception_rate: float | None
    review_rate: float | None
    hold_rate: float | None
    reject_rate: float | None
    failed: int
    patterns: tuple[PatternRow, ...]
    cycles: tuple[PathCycle, ...]
    mean_days_to_approval: float | None
    approvals: int
    """Invoices approved in the period (touchless or by reviewers): the cycle time's base."""
    waiting_reviews: int
    oldest_waiting: tuple[WaitingReview, ...]
    days: tuple[DayRow, ...]
    reviews: int
    reviewers: tuple[ReviewerRow, ...]
    review_hours: Spread
    usage: tuple[StepUsage, ...]
    costs: Costs
    shadow_records: int
    agreement: tuple[AgreementRow, ...]
    anchors: tuple[AnchorRow, ...]
    conformance: ConformanceGap
    benchmark_source: str


def controller_report(
    facts: Sequence[InvoiceFacts], *, since: datetime, until: datetime, policy: Policy,
    catalog: Catalog, benchmarks: Benchmarks, rule_patterns: Sequence[str],
    as_of: datetime | None = None, oldest: int = 10,
) -> ControllerReport:
    """Every figure of `apx report` for the invoices received in the period (`facts`).

    `as_of` is "now" for the age of waiting reviews (default: the end of the period).
    """
    total = len(facts)
    paths = Counter(item.path for item in facts)
    exceptions = sum(1 for item in facts if item.findings)
    reviews = [review for item in facts for review in item.reviews]
    costs = cost_summary(facts, policy)
    approvals = [h for item in facts if item.final_decision == "approve"
                 if (h := hours_between(item.received_at, item.decided_at)) is not None]
    mean_days = (mean(approvals) or 0) / 24 if approvals else None
    touchless_rate = share(paths["touchless"], total)
    exception_rate = share(exceptions, total)
    waiting = waiting_reviews(facts, min(as_of or until, until))
    return ControllerReport(
        since=since, until=until,
        policy_versions=tuple(sorted({i.policy_version for i in facts if i.policy_version})),
        invoices=total, paths={path: paths[path] for path in PATHS},
        touchless_rate=touchless_rate, exception_invoices=exceptions,
        exception_rate=exception_rate, review_rate=share(paths["review"], total),
        hold_rate=share(paths["hold"], total), reject_rate=share(paths["reject"], total),
        failed=paths["failed"],
        patterns=tuple(pattern_rows(facts, catalog)),
        cycles=tuple(cycle(facts, path) for path in CYCLE_PATHS),
        mean_days_to_approval=mean_days, approvals=len(approvals),
        waiting_reviews=len(waiting), oldest_waiting=tuple(waiting[:oldest]),
        days=tuple(day_rows(facts)),
        reviews=len(reviews), reviewers=tuple(reviewer_rows(facts, policy)),
        review_hours=Spread.of([h for item in facts for r in item.reviews
                                if (h := hours_between(item.apx_decided_at, r.decided_at))
                                is not None]),
        usage=tuple(step_usage(facts)), costs=costs,
        shadow_records=sum(1 for review in reviews if review.shadow),
        agreement=tuple(agreement_rows(facts)),
        anchors=tuple(anchor_rows(benchmarks, {
            "exception_rate": _percent(exception_rate),
            "touchless_rate": _percent(touchless_rate),
            "cycle_time_days": Decimal(f"{mean_days:.2f}") if mean_days is not None else None,
            "cost_per_invoice": costs.per_invoice,
        })),
        conformance=conformance_gap(facts, policy, catalog, rule_patterns),
        benchmark_source=benchmarks.source,
    )


def _percent(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value * 100:.1f}")


def pattern_rows(facts: Sequence[InvoiceFacts], catalog: Catalog) -> list[PatternRow]:
    primary: dict[str, list[InvoiceFacts]] = defaultdict(list)
    with_finding: Counter[str] = Counter()
    for item in facts:
        if item.findings:
            primary[item.primary_pattern or (item.codes[0] if item.codes else NO_PATTERN)] \
                .append(item)
        for code in item.codes:
            with_finding[code] += 1
    names = set(primary) | set(with_finding)
    rows = [PatternRow(
        pattern=name, primary=len(primary.get(name, [])), with_finding=with_finding[name],
        rate=share(len(primary.get(name, [])), len(facts)),
        decisions=dict(Counter(item.apx_decision or "failed" for item in primary.get(name, []))),
    ) for name in names]
    return sorted(rows, key=lambda r: (-r.primary, -r.with_finding, catalog.priority(r.pattern)))


def cycle(facts: Sequence[InvoiceFacts], path: str) -> PathCycle:
    items = [item for item in facts if item.path == path]
    decided = [h for item in items
               if (h := hours_between(item.received_at, item.decided_at)) is not None]
    to_post = [h for item in items
               if (h := hours_between(item.decided_at, item.posted_at)) is not None]
    total = [h for item in items
             if (h := hours_between(item.received_at, item.posted_at)) is not None]
    return PathCycle(path=path, invoices=len(items), received_to_decided=Spread.of(decided),
                     decided_to_posted=Spread.of(to_post), received_to_posted=Spread.of(total))


def waiting_reviews(facts: Sequence[InvoiceFacts], until: datetime) -> list[WaitingReview]:
    rows = [WaitingReview(
        invoice=InvoiceRef.of(item), pattern=item.primary_pattern,
        approver_role=item.approver_role, waiting_since=since,
        age_hours=(until - since).total_seconds() / 3600,
    ) for item in facts if item.waiting_review
        if (since := item.apx_decided_at or item.received_at) is not None]
    return sorted(rows, key=lambda row: row.waiting_since)


def day_rows(facts: Sequence[InvoiceFacts]) -> list[DayRow]:
    received: dict[date, Counter[str]] = defaultdict(Counter)
    reviewed: Counter[date] = Counter()
    posted: Counter[date] = Counter()
    for item in facts:
        received[item.received_at.date()][item.path] += 1
        if item.reviewed_at is not None:
            reviewed[item.reviewed_at.date()] += 1
        if item.posted_at is not None:
            posted[item.posted_at.date()] += 1
    days = set(received) | set(reviewed) | set(posted)
    if not days:
        return []
    first, last = min(days), max(days)
    rows = []
    day = first
    while day <= last:
        rows.append(DayRow(day=day, received={p: received[day][p] for p in PATHS},
                           reviewed=reviewed[day], posted=posted[day]))
        day += timedelta(days=1)
    return rows


def reviewer_rows(facts: Sequence[InvoiceFacts], policy: Policy) -> list[ReviewerRow]:
    standard = policy.costs.reviewer_minutes_per_review
    grouped: dict[str, list[tuple[InvoiceFacts, int]]] = defaultdict(list)
    for item in facts:
        for index, review in enumerate(item.reviews):
            grouped[review.reviewer].append((item, index))
    rows = []
    for reviewer, entries in grouped.items():
        records = [item.reviews[index] for item, index in entries]
        waits = [h for (item, index) in entries
                 if (h := hours_between(item.apx_decided_at, item.reviews[index].decided_at))
                 is not None]
        roles = Counter(r.role for r in records if r.role)
        rows.append(ReviewerRow(
            reviewer=reviewer, role=roles.most_common(1)[0][0] if roles else None,
            decisions=len(records), approved=sum(r.decision == "approve" for r in records),
            rejected=sum(r.decision == "reject" for r in records),
            held=sum(r.decision == "hold" for r in records),
            corrected=sum(bool(r.corrections) for r in records),
            shadow=sum(r.shadow for r in records),
            minutes=sum((r.minutes if r.minutes is not None else standard for r in records),
                        Decimal(0)),
            median_hours_to_decision=median(waits), p90_hours_to_decision=quantile(waits, 0.9),
        ))
    return sorted(rows, key=lambda row: (-row.decisions, row.reviewer))


def cost_summary(facts: Sequence[InvoiceFacts], policy: Policy) -> Costs:
    costs = policy.costs
    standard = costs.reviewer_minutes_per_review
    model = sum((call.cost for item in facts for call in item.calls if not call.cached),
                Decimal(0))
    recorded = sum((review.minutes if review.minutes is not None else standard
                    for item in facts for review in item.reviews), Decimal(0))
    estimated = Decimal(0)
    for item in facts:
        if item.path == "review":
            needed = 2 if item.four_eyes else 1
            missing = needed - len({r.reviewer for r in item.decisive_reviews})
            estimated += standard * max(missing, 0)
    minutes = recorded + estimated
    review_cost = minutes * costs.per_minute
    count = len(facts)

    def per(amount: Decimal) -> Decimal | None:
        return (amount / count).quantize(Decimal("0.000001")) if count else None

    return Costs(
        invoices=count, model_cost=model, review_minutes=minutes, estimated_minutes=estimated,
        review_cost=review_cost.quantize(Decimal("0.01")),
        total=(model + review_cost).quantize(Decimal("0.0001")),
        per_invoice=per(model + review_cost), model_per_invoice=per(model),
        review_per_invoice=per(review_cost), currency=costs.currency,
        minutes_per_review=standard, hourly_rate=costs.reviewer_hourly_rate,
    )


def agreement_rows(facts: Sequence[InvoiceFacts]) -> list[AgreementRow]:
    """Shadow mode: did the person decide what APX proposed? By APX's pattern."""
    grouped: dict[str, list[tuple[InvoiceFacts, int]]] = defaultdict(list)
    for item in facts:
        for index, review in enumerate(item.reviews):
            if review.shadow:
                grouped[item.primary_pattern or NO_PATTERN].append((item, index))
    rows = []
    for pattern, entries in grouped.items():
        comparable = agreed = escalated = confirmed = 0
        disagreements = []
        for item, index in entries:
            review = item.reviews[index]
            proposed = review.proposed or item.apx_decision
            if proposed == "review":
                escalated += 1
                confirmed += not review.overrides_findings
                continue
            comparable += 1
            if review.decision == proposed:
                agreed += 1
            else:
                disagreements.append(InvoiceRef.of(
                    item, note=f"APX {proposed}, {review.reviewer} {review.decision}"))
        rows.append(AgreementRow(
            pattern=pattern, records=len(entries), comparable=comparable, agreed=agreed,
            agreement=share(agreed, comparable), escalated=escalated,
            escalation_confirmed=confirmed, disagreements=tuple(disagreements)))
    return sorted(rows, key=lambda row: (-row.records, row.pattern))


def anchor_rows(benchmarks: Benchmarks, ours: dict[str, Decimal | None]) -> list[AnchorRow]:
    rows = []
    for anchor in benchmarks.anchors:
        value = ours.get(anchor.metric)
        rows.append(AnchorRow(anchor=anchor, ours=value, standing=standing(anchor, value)))
    return rows


def standing(anchor: Anchor, value: Decimal | None) -> str:
    """Where a figure stands between the average and the best in class."""
    if value is None:
        return "no data"
    sign = -1 if anchor.lower_is_better else 1
    score, average, best = value * sign, anchor.average * sign, anchor.best_in_class * sign
    if score >= best:
        return "best in class or better"
    if score >= average:
        return "better than average"
    return "below average"
