"""The decision policy."""

from __future__ import annotations

from decimal import Decimal

from models.completeness import Completeness, Fact, FactStatus
from models.findings import Outcome
from rules.decide import decide
from tests.factories import CATALOG, COMPLETE, POLICY, finding


def test_clean_invoice_within_limit_is_approved() -> None:
    decision = decide([], Decimal("892.50"), POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.APPROVE
    assert decision.policy_version == POLICY.version
    assert decision.approver_role is None and not decision.four_eyes


def test_clean_invoice_at_the_limit_is_approved_above_it_reviewed() -> None:
    assert decide([], Decimal("10000.00"), POLICY, CATALOG, COMPLETE).outcome is Outcome.APPROVE
    above = decide([], Decimal("10000.01"), POLICY, CATALOG, COMPLETE)
    assert above.outcome is Outcome.REVIEW and above.approver_role == "ap_manager"


def test_missing_total_is_never_approved() -> None:
    decision = decide([], None, POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.REVIEW
    assert decision.approver_role == "controller"


def test_duplicate_is_rejected_whatever_else() -> None:
    findings = [
        finding("RECEIPT_PENDING", "nothing received"),
        finding("DUPLICATE_EXACT", "already processed"),
    ]
    decision = decide(findings, Decimal("100"), POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.REJECT
    assert "DUPLICATE_EXACT" in decision.reason


def test_only_receipt_pending_holds() -> None:
    pending = [finding("RECEIPT_PENDING", "nothing received")]
    decision = decide(pending, Decimal("100"), POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.HOLD


def test_receipt_pending_with_another_finding_is_reviewed() -> None:
    findings = [
        finding("RECEIPT_PENDING", "nothing received"),
        finding("PRICE_VARIANCE", "too expensive"),
    ]
    decision = decide(findings, Decimal("100"), POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.REVIEW
    assert decision.reason == "Needs review: PRICE_VARIANCE, RECEIPT_PENDING"
    assert decision.approver_role == "ap_clerk"


def test_review_routes_by_total_and_flags_four_eyes() -> None:
    findings = [finding("BANK_DETAILS_CHANGED", "new IBAN")]
    decision = decide(findings, Decimal("60000"), POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.REVIEW
    assert decision.approver_role == "controller"
    assert decision.four_eyes


def test_high_value_alone_is_reviewed_without_four_eyes() -> None:
    decision = decide([finding("HIGH_VALUE", "big")], Decimal("20000"), POLICY, CATALOG, COMPLETE)
    assert decision.outcome is Outcome.REVIEW
    assert decision.approver_role == "ap_manager"
    assert not decision.four_eyes


def test_nothing_is_approved_untouched_when_a_fact_was_not_read() -> None:
    gap = Fact(name="invoice_number", label="invoice number", status=FactStatus.MISSING,
               detail="not found on the document", reported_by="EXTRACTION_UNVERIFIED")
    incomplete = Completeness(facts=(*COMPLETE.facts[1:], gap))
    decision = decide([], Decimal("100.00"), POLICY, CATALOG, incomplete)
    assert decision.outcome is Outcome.REVIEW
    assert "invoice number: not found on the document" in decision.reason
    assert decision.approver_role == "ap_clerk"


def test_an_empty_completeness_record_approves_nothing() -> None:
    decision = decide([], Decimal("100.00"), POLICY, CATALOG, Completeness())
    assert decision.outcome is Outcome.REVIEW and "nothing was assessed" in decision.reason


def test_a_reject_still_wins_over_an_incomplete_record() -> None:
    findings = [finding("DUPLICATE_EXACT", "same number")]
    decision = decide(findings, Decimal("100.00"), POLICY, CATALOG, Completeness())
    assert decision.outcome is Outcome.REJECT
