"""The decision policy."""

from __future__ import annotations

from decimal import Decimal

from models.findings import Outcome
from rules.base import finding
from rules.decide import decide
from tests.factories import POLICY


def test_clean_invoice_within_limit_is_approved() -> None:
    decision = decide([], Decimal("892.50"), POLICY)
    assert decision.outcome is Outcome.APPROVE
    assert decision.policy_version == POLICY.version
    assert decision.approver_role is None and not decision.four_eyes


def test_clean_invoice_at_the_limit_is_approved_above_it_reviewed() -> None:
    assert decide([], Decimal("10000.00"), POLICY).outcome is Outcome.APPROVE
    above = decide([], Decimal("10000.01"), POLICY)
    assert above.outcome is Outcome.REVIEW and above.approver_role == "ap_manager"


def test_missing_total_is_never_approved() -> None:
    decision = decide([], None, POLICY)
    assert decision.outcome is Outcome.REVIEW
    assert decision.approver_role == "controller"


def test_duplicate_is_rejected_whatever_else() -> None:
    findings = [
        finding("RECEIPT_PENDING", "nothing received"),
        finding("DUPLICATE_EXACT", "already processed"),
    ]
    decision = decide(findings, Decimal("100"), POLICY)
    assert decision.outcome is Outcome.REJECT
    assert "DUPLICATE_EXACT" in decision.reason


def test_only_receipt_pending_holds() -> None:
    decision = decide([finding("RECEIPT_PENDING", "nothing received")], Decimal("100"), POLICY)
    assert decision.outcome is Outcome.HOLD


def test_receipt_pending_with_another_finding_is_reviewed() -> None:
    findings = [
        finding("RECEIPT_PENDING", "nothing received"),
        finding("PRICE_VARIANCE", "too expensive"),
    ]
    decision = decide(findings, Decimal("100"), POLICY)
    assert decision.outcome is Outcome.REVIEW
    assert decision.reason == "Needs review: PRICE_VARIANCE, RECEIPT_PENDING"
    assert decision.approver_role == "ap_clerk"


def test_review_routes_by_total_and_flags_four_eyes() -> None:
    findings = [finding("BANK_DETAILS_CHANGED", "new IBAN")]
    decision = decide(findings, Decimal("60000"), POLICY)
    assert decision.outcome is Outcome.REVIEW
    assert decision.approver_role == "controller"
    assert decision.four_eyes


def test_high_value_alone_is_reviewed_without_four_eyes() -> None:
    decision = decide([finding("HIGH_VALUE", "big")], Decimal("20000"), POLICY)
    assert decision.outcome is Outcome.REVIEW
    assert decision.approver_role == "ap_manager"
    assert not decision.four_eyes
