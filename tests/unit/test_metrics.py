"""The report's figures from invoice histories: facts, rates, cycle times, costs, agreement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from config.loader import load_benchmarks, load_catalog, load_policy
from metrics.batch import batch_markdown
from metrics.facts import InvoiceFacts, build_facts, default_period, in_period
from metrics.kpis import controller_report, cost_summary, standing
from metrics.stats import median, quantile
from metrics.usage import step_usage
from models.findings import Finding, Severity
from models.processing import ProcessingResult
from models.records import AuditEvent, InvoiceRecord, ModelCallRecord, Voucher
from models.review import ReviewRecord

POLICY = load_policy()
CATALOG = load_catalog()
BENCHMARKS = load_benchmarks()
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
D = Decimal


def finding(code: str, **evidence: str) -> Finding:
    return Finding(code=code, severity=Severity.MEDIUM, message=code, evidence=evidence)


def call(step: str = "classification", *, cached: bool = False, cost: str = "0.001",
         latency: int = 800, invoice: str = "a") -> ModelCallRecord:
    return ModelCallRecord(invoice_id=invoice, step=step, model="openai/gpt-4o-mini",
                           prompt_version="v1", cached=cached, prompt_tokens=100,
                           completion_tokens=20, cost=D(cost), latency_ms=latency, answer={},
                           at=T0)


def review(decision: str = "approve", *, at: datetime, reviewer: str = "alice",
           **extra: Any) -> ReviewRecord:
    return ReviewRecord.model_validate({"invoice_id": "x", "reviewer": reviewer,
                                        "decision": decision, "decided_at": at, **extra})


def facts(path: str = "approve", *, hours_to_decide: float = 0.01, posted_after: float | None
          = 0.001, findings: tuple[Finding, ...] = (), reviews: tuple[ReviewRecord, ...] = (),
          **extra: Any) -> InvoiceFacts:
    received = extra.pop("received_at", T0)
    decided = received + timedelta(hours=hours_to_decide)
    posted = None
    if posted_after is not None and path == "approve":
        posted = decided + timedelta(hours=posted_after)
    base: dict[str, Any] = {
        "invoice_id": extra.pop("invoice_id", "inv"), "file_name": "f.pdf", "status": "decided",
        "received_at": received, "apx_decision": path, "apx_decided_at": decided,
        "total": D("100.00"), "currency": "EUR", "findings": findings, "reviews": reviews,
        "posted_at": posted, "approver_role": "ap_clerk",
    }
    base.update(extra)
    return InvoiceFacts.model_validate(base)


# -- stats ---------------------------------------------------------------------------------------


def test_quantiles_interpolate_between_ranks() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([1.0, 2.0, 3.0, 4.0]) == 2.5
    assert quantile([0.0, 10.0], 0.9) == pytest.approx(9.0)
    assert quantile([], 0.5) is None


# -- facts from stored records -------------------------------------------------------------------


def _event(step: str, at: datetime, detail: dict[str, Any], invoice: str = "a",
           actor: str = "apx") -> AuditEvent:
    return AuditEvent(id=0, invoice_id=invoice, step=step, actor=actor, at=at, detail=detail,
                      prev_hash="", hash="")


def test_build_facts_takes_times_from_the_audit_log_and_the_voucher() -> None:
    naive = T0.replace(tzinfo=None)  # SQLite hands instants back without their zone
    invoice = InvoiceRecord(id="a", seq=1, file_name="a.pdf", status="posted",
                            decision="approve", created_at=naive, updated_at=naive)
    events = [
        _event("rules", naive + timedelta(seconds=5), {"findings": [], "unconfirmed": {}}),
        _event("model.classification.failed", naive + timedelta(seconds=6),
               {"reason": "no model answered: schema violation at pattern: 'X' is not one of "
                          "['A', 'UNKNOWN_PATTERN']"}),
        _event("decide", naive + timedelta(seconds=10),
               {"outcome": "approve", "approver_role": None, "four_eyes": False,
                "policy_version": "p1"}, actor="policy"),
    ]
    voucher = Voucher(invoice_id="a", vendor_id="V1", invoice_number="1", invoice_date=None,
                      currency="EUR", amount=D(1), po_number=None,
                      posted_at=naive + timedelta(seconds=12))
    [item] = build_facts([invoice], {}, [call()], events, [voucher], [])
    assert item.received_at == T0
    assert item.path == "touchless" and item.final_decision == "approve"
    assert item.apx_decided_at == T0 + timedelta(seconds=10)
    assert item.posted_at == T0 + timedelta(seconds=12)
    assert item.unconfirmed == {} and item.policy_version == "p1"
    assert [(i.step, i.failed, i.outside_choices) for i in item.issues] == [
        ("classification", True, True)]


def test_the_policy_decision_stays_apx_s_after_a_reviewer_decided() -> None:
    invoice = InvoiceRecord(id="a", seq=1, file_name="a.pdf", status="posted",
                            decision="approve", created_at=T0, updated_at=T0)
    events = [_event("decide", T0, {"outcome": "review", "approver_role": "ap_clerk"},
                     actor="policy")]
    decided = review(at=T0 + timedelta(hours=5)).model_copy(update={"invoice_id": "a"})
    [item] = build_facts([invoice], {}, [], events, [], [decided])
    assert item.apx_decision == "review" and item.path == "review"
    assert item.decided_at == T0 + timedelta(hours=5)


def test_four_eyes_is_decided_only_by_two_distinct_reviewers() -> None:
    first = review(at=T0 + timedelta(hours=1), reviewer="alice")
    again = review(at=T0 + timedelta(hours=2), reviewer="alice")
    second = review(at=T0 + timedelta(hours=3), reviewer="bob")
    item = facts("review", four_eyes=True, reviews=(first, again))
    assert item.waiting_review and item.final_decision is None
    item = facts("review", four_eyes=True, reviews=(first, again, second))
    assert item.reviewed_at == T0 + timedelta(hours=3) and item.final_decision == "approve"


def test_period_defaults_to_the_last_30_days_of_the_database() -> None:
    items = [facts(received_at=T0), facts(received_at=T0 - timedelta(days=40))]
    since, until = default_period(items, today=date(2030, 1, 1))
    assert until == datetime(2026, 11, 3, tzinfo=UTC)
    assert since == until - timedelta(days=30)
    assert in_period(items, since, until) == items[:1]


# -- the controller's figures ------------------------------------------------------------------


def _report(items: list[InvoiceFacts]) -> Any:
    return controller_report(items, since=T0 - timedelta(days=1), until=T0 + timedelta(days=30),
                             policy=POLICY, catalog=CATALOG, benchmarks=BENCHMARKS,
                             rule_patterns=["PRICE_VARIANCE", "HIGH_VALUE"])


def test_rates_cycle_times_and_waiting_reviews() -> None:
    items = [
        facts("approve", invoice_id="t1", hours_to_decide=0.1),
        facts("approve", invoice_id="t2", hours_to_decide=0.3),
        facts("hold", invoice_id="h", findings=(finding("RECEIPT_PENDING"),),
              primary_pattern="RECEIPT_PENDING"),
        facts("reject", invoice_id="r", findings=(finding("DUPLICATE_EXACT"),),
              primary_pattern="DUPLICATE_EXACT"),
        facts("review", invoice_id="w", findings=(finding("PRICE_VARIANCE"),),
              primary_pattern="PRICE_VARIANCE"),
        facts("review", invoice_id="d", findings=(finding("PRICE_VARIANCE"),),
              primary_pattern="PRICE_VARIANCE",
              reviews=(review(at=T0 + timedelta(hours=48)),)),
    ]
    report = _report(items)
    assert report.invoices == 6
    assert report.touchless_rate == pytest.approx(2 / 6)
    assert report.exception_rate == pytest.approx(4 / 6)
    assert report.hold_rate == report.reject_rate == pytest.approx(1 / 6)
    touchless = next(c for c in report.cycles if c.path == "touchless")
    assert touchless.received_to_decided.median_hours == pytest.approx(0.2)
    assert touchless.received_to_posted.count == 2
    in_review = next(c for c in report.cycles if c.path == "review")
    assert in_review.received_to_decided.count == 1
    assert in_review.received_to_decided.median_hours == pytest.approx(48)
    assert report.waiting_reviews == 1
    assert report.oldest_waiting[0].invoice.invoice_id == "w"
    price = next(p for p in report.patterns if p.pattern == "PRICE_VARIANCE")
    assert (price.primary, price.decisions) == (2, {"review": 2})
    assert report.reviewers[0].reviewer == "alice"
    assert report.reviewers[0].median_hours_to_decision == pytest.approx(48 - 0.01)
    assert [d.received["touchless"] for d in report.days] == [2, 0, 0]
    assert [d.reviewed for d in report.days] == [0, 0, 1]
    assert "HIGH_VALUE" in report.conformance.rules_never_fired


def test_cost_per_invoice_adds_model_cost_and_reviewer_minutes() -> None:
    policy = POLICY.model_copy(update={"costs": POLICY.costs.model_copy(update={
        "reviewer_minutes_per_review": D(10), "reviewer_hourly_rate": D(60)})})
    items = [
        facts("approve", calls=(call(cost="0.002"), call(cached=True, cost="0"))),
        facts("review", reviews=(review(at=T0, minutes=D(4)),)),  # measured: 4 minutes
        facts("review"),  # waiting: the standard 10 minutes, estimated
        facts("review", four_eyes=True),  # waiting for two people: 20 minutes
    ]
    costs = cost_summary(items, policy)
    assert costs.model_cost == D("0.002")
    assert costs.review_minutes == D(34) and costs.estimated_minutes == D(30)
    assert costs.review_cost == D("34.00")
    assert costs.per_invoice == D("8.5005")


def test_model_usage_per_step() -> None:
    items = [
        facts(calls=(call(latency=100), call("extraction", latency=1000))),
        facts(calls=(call(latency=300), call(cached=True))),
        facts(),
    ]
    usage = {row.step: row for row in step_usage(items)}
    classification = usage["classification"]
    assert (classification.calls, classification.cache_hits) == (2, 1)
    assert classification.calls_per_invoice == pytest.approx(2 / 3)
    assert classification.latency_median_ms == 200
    assert classification.latency_p95_ms == pytest.approx(290)
    assert classification.prompt_tokens == 200 and classification.cost == D("0.002")
    assert usage["extraction"].max_calls_per_invoice == 1


def test_shadow_agreement_by_pattern() -> None:
    def shadow(decision: str, proposed: str, **extra: Any) -> ReviewRecord:
        return review(decision, at=T0, shadow=True, proposed=proposed, **extra)

    items = [
        facts("approve", reviews=(shadow("approve", "approve"),)),
        facts("approve", reviews=(shadow("reject", "approve"),), invoice_id="bad"),
        facts("review", primary_pattern="PRICE_VARIANCE",
              findings=(finding("PRICE_VARIANCE"),), reviews=(shadow("approve", "review"),)),
        facts("review", primary_pattern="PRICE_VARIANCE",
              findings=(finding("PRICE_VARIANCE"),), reviews=(shadow("reject", "review"),)),
    ]
    rows = {row.pattern: row for row in _report(items).agreement}
    clean = rows["(no finding)"]
    assert (clean.comparable, clean.agreed, clean.agreement) == (2, 1, 0.5)
    assert clean.disagreements[0].invoice_id == "bad"
    price = rows["PRICE_VARIANCE"]
    assert (price.escalated, price.escalation_confirmed, price.agreement) == (2, 1, None)


def test_anchor_standing() -> None:
    exception = BENCHMARKS.get("exception_rate")
    touchless = BENCHMARKS.get("touchless_rate")
    assert exception is not None and touchless is not None
    assert standing(exception, D("8")) == "best in class or better"
    assert standing(exception, D("15")) == "better than average"
    assert standing(exception, D("30")) == "below average"
    assert standing(touchless, D("70")) == "best in class or better"
    assert standing(touchless, D("20")) == "below average"
    assert standing(touchless, None) == "no data"


# -- the conformance gap -----------------------------------------------------------------------


def test_conformance_gap_finds_overrides_escalations_tolerances_and_unknowns() -> None:
    def reviewed(i: int, code: str, decision: str = "approve", role: str = "ap_clerk",
                 total: str = "100.00", **evidence: str) -> InvoiceFacts:
        return facts("review", invoice_id=f"{code}-{i}", total=D(total),
                     findings=(finding(code, **evidence),), primary_pattern=code,
                     reviews=(review(decision, at=T0, role=role),))

    items = [reviewed(i, "PAYMENT_TERMS_MISMATCH") for i in range(4)]
    items += [facts("review", invoice_id=f"hv{i}", primary_pattern="HIGH_VALUE",
                    approver_role="controller", total=D("20000.00"),
                    findings=(Finding(code="HIGH_VALUE", severity=Severity.INFO, message="hv"),),
                    reviews=(review("approve", at=T0, role="controller"),)) for i in range(3)]
    # the controller decides everything above 5,000 the policy leaves to a clerk
    items += [reviewed(i, "NON_PO_INVOICE", role="controller", total=f"{5000 + i * 1000}.00")
              for i in range(3)]
    items += [reviewed(9, "NON_PO_INVOICE", decision="reject", total="900.00")]
    items += [reviewed(i, "PRICE_VARIANCE", invoice_unit_price=price, po_unit_price="100.00")
              for i, price in enumerate(("103.00", "104.50", "103.50"))]
    items += [reviewed(5, "PRICE_VARIANCE", decision="reject", invoice_unit_price="112.00",
                       po_unit_price="100.00")]
    items += [facts("review", invoice_id=f"u{i}", primary_pattern="UNKNOWN_PATTERN",
                    findings=(finding("UNPLANNED_CHARGE"), finding("TAX_RATE_UNEXPECTED")))
              for i in range(2)]
    gap = _report(items).conformance

    overridden = {row.code: row for row in gap.overridden_rules}
    assert set(overridden) == {"PAYMENT_TERMS_MISMATCH"}
    assert overridden["PAYMENT_TERMS_MISMATCH"].approved_as_is == 4
    assert len(overridden["PAYMENT_TERMS_MISMATCH"].invoices) == 4

    settings = {gap.setting: gap for gap in gap.thresholds}
    clerk = settings["routing.approver_roles[ap_clerk].up_to"]
    assert "3 of 12 were decided by controller" in clerk.practice
    assert "in practice the limit is about 5,000.00" in clerk.practice
    assert {ref.invoice_id for ref in clerk.invoices} == {f"NON_PO_INVOICE-{i}" for i in range(3)}
    price = settings["tolerances.unit_price_percent"]
    assert "3 price variances were approved as billed, up to 4.5 %" in price.practice
    assert "1 rejected or held, from 12.0 %" in price.practice

    [group] = gap.unknown_groups
    assert group.codes == ("TAX_RATE_UNEXPECTED", "UNPLANNED_CHARGE")
    assert [ref.invoice_id for ref in group.invoices] == ["u0", "u1"]
    assert "BANK_DETAILS_CHANGED" in gap.patterns_never_seen
    assert "PAYMENT_TERMS_MISMATCH" not in gap.patterns_never_seen


def test_batch_markdown_summarises_decisions_and_patterns() -> None:
    def result(decision: str | None, pattern: str | None = None) -> ProcessingResult:
        return ProcessingResult(
            invoice_id="x", file_name="f", status="decided", status_reason=None, vendor_id=None,
            vendor_name=None, invoice_number=None, currency=None, total=None,
            patterns=[pattern] if pattern else [], primary_pattern=pattern, decision=decision,
            decision_reason=None, extraction_calls=0, classification_calls=1 if pattern else 0)

    text = batch_markdown([result("approve"), result("review", "PRICE_VARIANCE"),
                           result(None)])
    assert "# APX batch: 3 invoices" in text
    assert "| touchless (approved, posted) | 1 | 33.3% |" in text
    assert "| PRICE_VARIANCE | 1 |" in text
    assert "failed" in text and "1 classification" in text
