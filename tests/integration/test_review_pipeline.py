"""Review without Prefect: cases, submissions, corrections as feedback, posting exactly once,
escalation and shadow mode, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from config.loader import POLICY_FILE
from models.review import Submission, Verdict
from pipeline import review
from pipeline.process import process_file
from pipeline.runtime import RunSpec, Runtime, forget_runtimes, runtime_for
from rules.review import hash_code
from store.reviews import ReviewerExists

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
CODES = {"clerk": "CLRK-0000-2222", "manager": "MNGR-3333-4444", "boss": "BOSS-5555-6666"}


def _runtime(database_url: str, tmp_path: Path, policy_file: Path = POLICY_FILE) -> Runtime:
    spec = RunSpec(erp_dir=str(SAMPLES / "erp"), database_url=database_url,
                   documents_dir=str(tmp_path / "documents"), policy_file=str(policy_file),
                   as_of="2026-11-20", use_model=False)
    rt = runtime_for(spec)
    for name, role in (("clerk", "ap_clerk"), ("manager", "ap_manager"), ("boss", "controller")):
        rt.store.reviews.add_reviewer(name, role, hash_code(CODES[name]))
    return rt


@pytest.fixture
def rt(database_url: str, tmp_path: Path) -> Iterator[Runtime]:
    yield _runtime(database_url, tmp_path)
    forget_runtimes()


def form(name: str, action: str = "approve", reason: str = "", code: str | None = None,
         **corrections: str) -> Submission:
    return Submission.model_validate({"action": action, "reviewer": name,
                                      "code": CODES.get(name, "x") if code is None else code,
                                      "reason": reason, "corrections": corrections})


def in_review(rt: Runtime, name: str) -> str:
    result = process_file(rt, SAMPLES / "invoices" / name)
    assert result.decision == "review", result
    return result.invoice_id


def test_a_refused_decision_changes_nothing_and_a_valid_one_posts_exactly_once(rt) -> None:
    invoice = in_review(rt, "011-acme-inv-10244.pdf")
    case = review.open_review(rt, invoice)
    assert case.required_role == "ap_clerk" and case.status == "waiting"
    assert review.open_review(rt, invoice) == case  # idempotent
    key = review.next_key(case)
    case = review.submit(rt, invoice, key, form("clerk", code="WRONG-CODE"))
    assert case.status == "waiting" and case.submissions == 1
    assert "not recognised" in (case.last_message or "")
    assert rt.store.vouchers() == []

    key = review.next_key(case)
    case = review.submit(rt, invoice, key, form("clerk", reason="price agreed by phone"))
    assert case.status == "approved" and case.decided_by == "clerk"
    row = rt.store.invoice(invoice)
    assert row is not None and row.decision == "approve" and row.status == "posted"
    assert [v.invoice_id for v in rt.store.vouchers()] == [invoice]

    # the flow re-running from the top hands the same answer again under the same key
    again = review.submit(rt, invoice, key, form("clerk", reason="price agreed by phone"))
    assert again.submissions == 2 and len(rt.store.reviews.actions(invoice)) == 2
    assert review.finish(rt, invoice) is False
    assert len(rt.store.vouchers()) == 1
    steps = [e.step for e in rt.store.audit_events(invoice)]
    assert steps.count("review.decision") == 1 and steps.count("post") == 1
    decision = next(e for e in rt.store.audit_events(invoice) if e.step == "review.decision")
    assert decision.actor == "reviewer:clerk" and decision.detail["verdict"] == "approved"
    assert rt.store.verify_audit().ok
    # the personal code is in no table and no audit event
    assert CODES["clerk"] not in str([e.detail for e in rt.store.audit_events()])


def test_four_eyes_needs_two_reviewers_and_corrections_are_feedback(rt) -> None:
    invoice = in_review(rt, "025-lumen-lit-2026-131.pdf")  # BANK_DETAILS_CHANGED
    case = review.open_review(rt, invoice)
    assert case.four_eyes
    old_number = rt.store.invoice(invoice).invoice_number
    case = review.submit(rt, invoice, review.next_key(case),
                         form("manager", reason="checked with vendor", invoice_number="LIT-X-1",
                              total="7042.20"))
    assert case.status == "waiting" and case.approvers == ("manager",)
    assert case.correctors == ("manager",)
    feedback = rt.store.reviews.feedback(invoice)
    assert [(f.field, f.old_value, f.new_value, f.reviewer) for f in feedback] == [
        ("invoice_number", old_number, "LIT-X-1", "manager")]  # an unchanged total is no feedback
    assert rt.store.invoice(invoice).invoice_number == "LIT-X-1"
    case = review.submit(rt, invoice, review.next_key(case), form("manager"))
    assert case.status == "waiting" and "already approved" in (case.last_message or "")
    assert rt.store.vouchers() == []
    case = review.submit(rt, invoice, review.next_key(case), form("boss"))
    assert case.status == "approved" and case.decided_by == "manager, boss"
    voucher = rt.store.vouchers()[0]
    assert voucher.invoice_number == "LIT-X-1" and voucher.amount == Decimal("7042.20")


def test_reject_records_the_reason_and_posts_nothing(rt) -> None:
    invoice = in_review(rt, "014-harbor-hpc-30451.pdf")  # HIGH_VALUE, 17,995.09
    case = review.open_review(rt, invoice)
    assert case.required_role == "ap_manager"
    case = review.submit(rt, invoice, review.next_key(case), form("clerk"))
    assert case.status == "waiting" and "needs ap_manager" in (case.last_message or "")
    case = review.submit(rt, invoice, review.next_key(case),
                         form("clerk", "reject", reason="not ordered by us"))
    assert case.status == "rejected"
    row = rt.store.invoice(invoice)
    assert row is not None and row.decision == "reject"
    assert "not ordered by us" in (row.decision_reason or "")
    assert rt.store.vouchers() == []


def test_hold_keeps_the_review_waiting_and_visible_in_the_queue(rt) -> None:
    invoice = in_review(rt, "011-acme-inv-10244.pdf")
    case = review.open_review(rt, invoice)
    case = review.submit(rt, invoice, review.next_key(case),
                         form("clerk", "hold", reason="waiting for credit note"))
    assert case.status == "waiting" and case.held_by == "clerk"
    [item] = review.queue(rt)
    assert item.invoice_id == invoice and item.state == "on hold"
    assert item.pattern == "PRICE_VARIANCE" and item.required_role == "ap_clerk"
    assert "Acme" in item.title and "2,332.56" in item.title and "PRICE_VARIANCE" in item.title


def test_the_form_description_is_the_review_card(rt) -> None:
    invoice = in_review(rt, "011-acme-inv-10244.pdf")
    review.open_review(rt, invoice)
    text = review.description(rt, invoice)
    for part in ("INV-10244", "PRICE_VARIANCE", "### Lines: invoice beside PO and receipts",
                 "⚠ price +", "evidence:", "Policy proposal:** review",
                 "approve: **ap_clerk** or above"):
        assert part in text, part


def test_unanswered_reviews_escalate_and_the_queue_is_oldest_first(rt) -> None:
    first = in_review(rt, "011-acme-inv-10244.pdf")
    second = in_review(rt, "013-kestrel-kip-558236.pdf")
    review.open_review(rt, first)
    review.open_review(rt, second)
    assert [item.invoice_id for item in review.queue(rt)] == [first, second]
    later = datetime.now(UTC) + timedelta(minutes=rt.policy.review.escalate_after_minutes + 1)
    due = review.due_escalations(rt, later)
    assert [(case.invoice_id, role) for case, role in due] == [
        (first, "ap_manager"), (second, "ap_manager")]
    escalated = review.escalate(rt, first, "ap_manager")
    assert escalated.escalation_level == 1 and escalated.required_role == "ap_manager"
    case = review.submit(rt, first, review.next_key(escalated), form("clerk"))
    assert case.status == "waiting" and "ap_manager" in (case.last_message or "")
    assert any(e.step == "review.escalated" for e in rt.store.audit_events(first))


def test_every_invoice_in_review_is_listed_until_its_review_is_decided(rt) -> None:
    invoice = in_review(rt, "011-acme-inv-10244.pdf")
    process_file(rt, SAMPLES / "invoices" / "001-acme-inv-10231.pdf")  # approved: not listed
    assert review.waiting_for_review(rt) == [invoice]
    case = review.open_review(rt, invoice)
    review.submit(rt, invoice, review.next_key(case), form("clerk", "reject", reason="no"))
    assert review.waiting_for_review(rt) == []


def test_the_registry_refuses_a_second_registration_of_a_name(rt) -> None:
    with pytest.raises(ReviewerExists):
        rt.store.reviews.add_reviewer("clerk", "ap_clerk", hash_code("x"))
    renewed = rt.store.reviews.add_reviewer("clerk", "ap_manager", hash_code("NEW"), replace=True)
    assert renewed.role == "ap_manager"
    assert [r.name for r in rt.store.reviews.reviewers()] == ["boss", "clerk", "manager"]


def test_shadow_mode_sends_a_clean_invoice_to_review_and_records_agreement(
    tmp_path: Path,
) -> None:
    policy = yaml.safe_load(POLICY_FILE.read_text())
    policy["mode"] = "shadow"
    shadow_file = tmp_path / "policy.yaml"
    shadow_file.write_text(yaml.safe_dump(policy))
    rt = _runtime(f"sqlite:///{tmp_path / 'apx.db'}", tmp_path, shadow_file)
    try:
        result = process_file(rt, SAMPLES / "invoices" / "001-acme-inv-10231.pdf")
        assert result.decision == "review" and rt.store.vouchers() == []
        case = review.open_review(rt, result.invoice_id)
        assert case.proposal == "approve"
        assert "shadow mode: APX proposes **approve**" in review.description(rt, result.invoice_id)
        case = review.submit(rt, result.invoice_id, review.next_key(case), form("clerk"))
        assert case.status == "approved" and case.agreed is True
        assert review.shadow_agreement(rt) == (1, 1)
        assert len(rt.store.vouchers()) == 1
        dup = process_file(rt, SAMPLES / "invoices" / "037-acme-inv-10231.pdf")
        case = review.open_review(rt, dup.invoice_id)
        assert case.proposal == "reject"
        case = review.submit(rt, dup.invoice_id, review.next_key(case), form("clerk"))
        assert case.agreed is False and review.shadow_agreement(rt) == (1, 2)
    finally:
        forget_runtimes()


def test_verdicts_that_end_a_review() -> None:
    assert {v for v in Verdict if v.final} == {Verdict.APPROVED, Verdict.REJECTED}


def test_a_goods_receipt_rematches_the_invoice_on_hold(tmp_path: Path) -> None:
    import shutil

    from pipeline.process import rematch_file

    shutil.copytree(SAMPLES / "erp", tmp_path / "erp")
    spec = RunSpec(erp_dir=str(tmp_path / "erp"), database_url=f"sqlite:///{tmp_path / 'a.db'}",
                   documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
                   as_of="2026-11-20", use_model=False)
    try:
        rt = runtime_for(spec)
        held = process_file(rt, SAMPLES / "invoices" / "017-harbor-hpc-30458.pdf")
        assert held.decision == "hold" and held.patterns == ["RECEIPT_PENDING"]
        assert rt.store.held_on_po("PO-2026-0144") == [held.invoice_id]
        assert rt.store.held_on_po("PO-2026-0143") == []
        with (tmp_path / "erp" / "goods_receipts.csv").open("a") as handle:
            handle.write("GR-60001,PO-2026-0144,1,4000,2026-11-19\n"
                         "GR-60002,PO-2026-0144,2,200,2026-11-19\n")  # every billed line
        forget_runtimes()  # the ERP export changed
        rt = runtime_for(spec)
        again = rematch_file(rt, held.invoice_id)
        assert again.decision == "approve" and again.status == "posted" and again.patterns == []
        assert rt.store.held_on_po("PO-2026-0144") == []
        assert [e.step for e in rt.store.audit_events(held.invoice_id)].count("rematch") == 1
    finally:
        forget_runtimes()


def test_review_decisions_reach_the_report_and_the_audit_ledger(rt: Runtime) -> None:
    invoice = in_review(rt, "011-acme-inv-10244.pdf")
    case = review.open_review(rt, invoice)
    case = review.submit(rt, invoice, review.next_key(case), form("clerk", code="WRONG"))
    case = review.submit(rt, invoice, review.next_key(case), form("clerk", reason="agreed"))
    assert case.status == "approved"
    (record,) = rt.store.review_records()  # the refused submission is not a decision
    assert (record.invoice_id, record.reviewer, record.role, record.decision) == (
        invoice, "clerk", "ap_clerk", "approve")
    assert record.proposed == "review" and not record.shadow and record.reason == "agreed"
    check = rt.store.verify_audit()  # the reviewer's decision is the invoice's decision
    assert check.ok, check
