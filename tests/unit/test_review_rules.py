"""The review rules: personal codes, roles by amount, four eyes, self-correction, escalation,
shadow mode. Pure functions: no store, no Prefect."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from config.loader import load_policy
from models.findings import Decision, Outcome
from models.review import ReviewCase, Reviewer, Submission, Verdict
from rules import review as rules

POLICY = load_policy()
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CODES = {"ada": "AAAA-BBBB-CCCC", "bo": "DDDD-EEEE-FFFF", "cy": "GGGG-HHHH-JJJJ",
         "dee": "KKKK-LLLL-MMMM"}
ROLES = {"ada": "ap_clerk", "bo": "ap_manager", "cy": "controller", "dee": "controller"}
# One hash per reviewer for the whole module: scrypt is deliberately slow.
HASHES = {name: rules.hash_code(code) for name, code in CODES.items()}


def reviewer(name: str) -> Reviewer:
    return Reviewer(name=name, role=ROLES[name], code_hash=HASHES[name], created_at=NOW)


def case(total: str | None = "1200.00", **changes: object) -> ReviewCase:
    amount = Decimal(total) if total is not None else None
    values: dict[str, object] = {
        "invoice_id": "inv1", "total": amount,
        "required_role": rules.required_role(POLICY, amount), "opened_at": NOW,
    }
    values.update(changes)
    return ReviewCase.model_validate(values)


def submit(name: str, action: str = "approve", code: str | None = None, reason: str = "",
           **corrections: str) -> Submission:
    return Submission.model_validate({
        "action": action, "reviewer": name, "code": CODES.get(name, "") if code is None else code,
        "reason": reason, "corrections": corrections})


def judge(c: ReviewCase, s: Submission, name: str | None = None):
    who = name if name is not None else s.reviewer
    return rules.judge(c, s, reviewer(who) if who in ROLES else None, POLICY)


# -- codes ----------------------------------------------------------------------------------

def test_a_code_is_stored_only_as_a_salted_hash_and_verifies() -> None:
    code = rules.new_code()
    assert len(code) == 14 and code.count("-") == 2
    stored = rules.hash_code(code)
    assert code.replace("-", "") not in stored and stored.startswith("scrypt$")
    assert rules.hash_code(code) != stored  # a new salt each time
    assert rules.verify_code(code, stored)
    assert rules.verify_code(code.lower().replace("-", " "), stored)  # typed loosely
    assert not rules.verify_code(rules.new_code(), stored)
    assert not rules.verify_code(code, "not-a-hash")
    assert not rules.verify_code(code, stored.replace("scrypt", "md5"))


def test_an_unknown_reviewer_or_a_wrong_code_is_refused_without_saying_which() -> None:
    unknown = judge(case(), submit("mallory", code="AAAA-BBBB-CCCC"))
    wrong = judge(case(), submit("ada", code="AAAA-BBBB-CCCX"))
    assert unknown.verdict is wrong.verdict is Verdict.REFUSED
    assert unknown.message == wrong.message
    assert "not recognised" in wrong.message


def test_an_inactive_reviewer_is_refused() -> None:
    gone = reviewer("cy").model_copy(update={"active": False})
    assert rules.judge(case(), submit("cy"), gone, POLICY).verdict is Verdict.REFUSED


# -- roles by amount ------------------------------------------------------------------------

@pytest.mark.parametrize(("total", "needed"), [
    ("9999.99", "ap_clerk"), ("10000.00", "ap_clerk"), ("10000.01", "ap_manager"),
    ("50000.00", "ap_manager"), ("50000.01", "controller"), ("-60000", "controller"),
    (None, "controller"),
])
def test_the_required_role_follows_the_policys_approval_matrix(total, needed) -> None:
    assert rules.required_role(POLICY, Decimal(total) if total else None) == needed


def test_a_role_below_the_policys_requirement_cannot_approve() -> None:
    big = case("25000.00")
    refused = judge(big, submit("ada"))
    assert refused.verdict is Verdict.REFUSED
    assert "ap_clerk" in refused.message and "ap_manager" in refused.message
    assert judge(big, submit("bo")).verdict is Verdict.APPROVED
    assert judge(big, submit("cy")).verdict is Verdict.APPROVED  # above is fine


def test_correcting_the_total_upwards_raises_the_role_needed() -> None:
    small = case("900.00")
    refused = judge(small, submit("ada", reason="typo", total="90000.00"))
    assert refused.verdict is Verdict.REFUSED and "controller" in refused.message


def test_escalation_raises_the_floor_even_for_a_small_amount() -> None:
    escalated = case("900.00", required_role="ap_manager")
    assert judge(escalated, submit("ada")).verdict is Verdict.REFUSED
    assert judge(escalated, submit("bo")).verdict is Verdict.APPROVED


def test_an_invoice_that_cannot_be_posted_cannot_be_approved() -> None:
    unreadable = case(None, missing_for_posting=("a vendor from the vendor master", "a total"))
    refused = judge(unreadable, submit("cy"))
    assert refused.verdict is Verdict.REFUSED and "vendor" in refused.message
    rejected = judge(unreadable, submit("ada", "reject", reason="unreadable scan"))
    assert rejected.verdict is Verdict.REJECTED


# -- four eyes and self-correction -----------------------------------------------------------

def test_a_fraud_risk_pattern_needs_two_different_reviewers() -> None:
    risky = case("1200.00", four_eyes=True)
    first = judge(risky, submit("ada"))
    assert first.verdict is Verdict.APPROVAL_RECORDED and first.approvers == ("ada",)
    after_first = risky.model_copy(update={"approvers": first.approvers})
    again = judge(after_first, submit("ada"))
    assert again.verdict is Verdict.REFUSED and "already approved" in again.message
    second = judge(after_first, submit("bo"))
    assert second.verdict is Verdict.APPROVED and second.approvers == ("ada", "bo")


def test_a_reviewer_cannot_approve_alone_an_invoice_they_corrected() -> None:
    plain = case("1200.00")
    corrected = judge(plain, submit("ada", reason="misread", invoice_number="INV-77"))
    assert corrected.verdict is Verdict.APPROVAL_RECORDED
    assert corrected.corrections == {"invoice_number": "INV-77"}
    state = plain.model_copy(update={"approvers": corrected.approvers, "correctors": ("ada",)})
    assert judge(state, submit("ada")).verdict is Verdict.REFUSED
    assert judge(state, submit("bo")).verdict is Verdict.APPROVED


def test_a_correction_voids_earlier_approvals() -> None:
    risky = case("1200.00", four_eyes=True, approvers=("ada",))
    # bo corrects and approves: ada approved other values, so bo's is the only approval
    result = judge(risky, submit("bo", total="1250.00"))
    assert result.verdict is Verdict.APPROVAL_RECORDED and result.approvers == ("bo",)


def test_someone_else_correcting_does_not_stop_a_clean_approval() -> None:
    state = case("1200.00", correctors=("ada",))
    assert judge(state, submit("bo")).verdict is Verdict.APPROVED


# -- reject, hold, form input ----------------------------------------------------------------

def test_reject_and_hold_need_a_reason_and_any_registered_reviewer_may_give_them() -> None:
    big = case("90000.00")
    assert judge(big, submit("ada", "reject")).verdict is Verdict.REFUSED
    rejected = judge(big, submit("ada", "reject", reason="duplicate of INV-1"))
    assert rejected.verdict is Verdict.REJECTED and rejected.verdict.final
    held = judge(big, submit("ada", "hold", reason="asked vendor for a credit note"))
    assert held.verdict is Verdict.HELD and not held.verdict.final


@pytest.mark.parametrize(("field", "value"), [
    ("total", "abc"), ("total", "1,200.00"), ("tax", "12.123456"), ("invoice_date", "2026-13-01"),
    ("vendor_id", "V1"),
])
def test_malformed_corrections_are_refused_and_nothing_is_applied(field, value) -> None:
    result = judge(case(), submit("cy", **{field: value}))
    assert result.verdict is Verdict.REFUSED and result.corrections == {}


def test_corrections_become_typed_values_and_blanks_mean_no_change() -> None:
    parsed, problems = rules.parse_corrections(
        {"total": "1250.5", "tax": "  ", "invoice_date": "2026-11-02", "po_number": "PO-9"})
    assert problems == []
    assert parsed == {"total": Decimal("1250.5"), "invoice_date": "2026-11-02",
                      "po_number": "PO-9"}


def test_nothing_changes_once_the_review_is_decided() -> None:
    done = case(status="approved")
    assert judge(done, submit("cy")).verdict is Verdict.REFUSED


# -- escalation -----------------------------------------------------------------------------

def test_an_unanswered_review_escalates_one_role_at_a_time_after_the_policy_time() -> None:
    wait = timedelta(minutes=POLICY.review.escalate_after_minutes)
    fresh = case("900.00")
    assert rules.escalation(fresh, POLICY, NOW + wait - timedelta(seconds=1)) is None
    assert rules.escalation(fresh, POLICY, NOW + wait) == "ap_manager"
    once = fresh.model_copy(update={"required_role": "ap_manager", "escalated_at": NOW + wait,
                                    "escalation_level": 1})
    assert rules.escalation(once, POLICY, NOW + wait + wait / 2) is None
    assert rules.escalation(once, POLICY, NOW + 2 * wait) == "controller"
    top = once.model_copy(update={"required_role": "controller"})
    assert rules.escalation(top, POLICY, NOW + 10 * wait) is None
    assert rules.escalation(fresh.model_copy(update={"status": "approved"}), POLICY,
                            NOW + 10 * wait) is None


# -- shadow mode ----------------------------------------------------------------------------

def test_shadow_mode_sends_every_decision_to_review_with_the_proposal() -> None:
    clean = Decision(outcome=Outcome.APPROVE, reason="No findings", policy_version="v")
    assert rules.shadow(clean, POLICY, Decimal("100")) == clean  # normal mode: unchanged
    shadow_policy = POLICY.model_copy(update={"mode": "shadow"})
    shadowed = rules.shadow(clean, shadow_policy, Decimal("100"))
    assert shadowed.outcome is Outcome.REVIEW and shadowed.proposal == "approve"
    assert shadowed.approver_role == "ap_clerk" and "APX proposes approve" in shadowed.reason


def test_agreement_is_recorded_only_for_final_decisions_with_a_proposal() -> None:
    assert rules.agreed_with("approve", Verdict.APPROVED) is True
    assert rules.agreed_with("approve", Verdict.REJECTED) is False
    assert rules.agreed_with("reject", Verdict.REJECTED) is True
    assert rules.agreed_with("hold", Verdict.APPROVED) is False
    assert rules.agreed_with("approve", Verdict.HELD) is None
    assert rules.agreed_with(None, Verdict.APPROVED) is None
    assert rules.agreed_with("review", Verdict.APPROVED) is None
