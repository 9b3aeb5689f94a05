"""APX as a service, for real: `apx serve` with its own Prefect server (PostgreSQL), files
dropped into the inbox, reviews resumed programmatically, a goods receipt posted, a restart.

One service for the whole module (starting one costs ~10-40 s); the tests run in order.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from store.tables import ReviewRow
from tests.serve_helpers import SAMPLES, Service, service, wait_for

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def apx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with service(tmp_path_factory.mktemp("serve")) as svc:
        yield svc


def sha(name: str) -> str:
    return hashlib.sha256((SAMPLES / "invoices" / name).read_bytes()).hexdigest()


def settled(apx: Service, name: str, timeout: float = 120) -> str:
    """Wait until the invoice of a sample file has its decision; its id."""
    invoice_id = sha(name)

    def decided() -> bool:
        row = apx.store.invoice(invoice_id)
        if row is None or row.decision is None:
            return False
        return row.status == "posted" if row.decision == "approve" else row.status in {
            "decided", "unreadable"}

    wait_for(decided, timeout, f"{name} to be decided")
    return invoice_id


def test_dropped_files_are_processed_once_each_without_a_command(apx: Service) -> None:
    clean, copy = "001-acme-inv-10231.pdf", "001-copy-with-another-name.pdf"
    apx.drop(clean)
    apx.drop("011-acme-inv-10244.pdf")  # PRICE_VARIANCE: review
    apx.drop("025-lumen-lit-2026-131.pdf")  # BANK_DETAILS_CHANGED: review, four eyes
    apx.drop("017-harbor-hpc-30458.pdf")  # RECEIPT_PENDING: hold
    # a writer that is slow but steady: the file is read once, complete
    slow = apx.inbox / "002-written-slowly.pdf"
    data = (SAMPLES / "invoices" / "002-nordwind-re-2026-04417.pdf").read_bytes()
    with slow.open("wb") as handle:
        for start in range(0, len(data), len(data) // 8 + 1):
            handle.write(data[start:start + len(data) // 8 + 1])
            handle.flush()
            time.sleep(0.12)
    clean_id = settled(apx, clean)
    assert apx.store.invoice(clean_id).status == "posted"  # type: ignore[union-attr]
    settled(apx, "002-nordwind-re-2026-04417.pdf")
    held = settled(apx, "017-harbor-hpc-30458.pdf")
    assert apx.store.invoice(held).decision == "hold"  # type: ignore[union-attr]
    apx.drop(clean, as_name=copy)  # the same bytes again, under another name
    time.sleep(3)  # time enough for the watcher to see it (it must not start a run)
    runs = [run.parameters["path"] for run in apx.flow_runs("process-invoice")]
    assert sorted(Path(p).name for p in runs) == sorted([
        "001-acme-inv-10231.pdf", "011-acme-inv-10244.pdf", "025-lumen-lit-2026-131.pdf",
        "017-harbor-hpc-30458.pdf", "002-written-slowly.pdf"])
    assert len(apx.store.invoices()) == 5  # no half-read file became an invoice
    assert [v.invoice_id for v in apx.store.vouchers()].count(clean_id) == 1


def test_a_review_waits_in_its_own_run_and_a_refusal_says_why(apx: Service) -> None:
    invoice_id = settled(apx, "011-acme-inv-10244.pdf")
    run = apx.review_run(invoice_id)
    assert run.name == "Acme Office Supplies Ltd · INV-10244 · 2,332.56 GBP · PRICE_VARIANCE"
    description = apx.form_description(run)
    assert "⚠ price +5.0 %" in description and "approve: **ap_clerk** or above" in description
    apx.resume(run, "clara", "approve", code="WRONG-CODE-0")
    case = apx.decided(invoice_id, 1)
    assert case.status == "waiting"
    run = apx.review_run(invoice_id)  # waiting again, with the reason on top of the form
    assert "not recognised" in apx.form_description(run)
    assert apx.store.vouchers() == [v for v in apx.store.vouchers() if v.invoice_id != invoice_id]
    apx.resume(run, "clara", "approve", reason="price increase agreed")
    case = apx.decided(invoice_id, 2)
    assert case.status == "approved" and case.decided_by == "clara"
    assert apx.flow_run(run.id).state.is_completed()
    # the answers held personal codes: none is left in Prefect's database
    assert apx.run_input(run, "suspended-decision-0-response") is None
    assert apx.run_input(run, "suspended-decision-1-response") is None
    assert [v.invoice_id for v in apx.store.vouchers()].count(invoice_id) == 1
    stored = apx.flow_runs("review-invoice")
    assert len([r for r in stored if r.parameters["invoice_id"] == invoice_id]) == 1


def test_four_eyes_and_corrections_in_the_ui_flow(apx: Service) -> None:
    invoice_id = settled(apx, "025-lumen-lit-2026-131.pdf")
    run = apx.review_run(invoice_id)
    apx.resume(run, "max", "approve", reason="confirmed new account by phone",
               invoice_number="LIT-2026-131-A")
    case = apx.decided(invoice_id, 1)
    assert case.status == "waiting" and case.approvers == ("max",)
    feedback = apx.store.reviews.feedback(invoice_id)
    assert [(f.field, f.old_value, f.new_value, f.reviewer) for f in feedback] == [
        ("invoice_number", "LIT-2026-131", "LIT-2026-131-A", "max")]
    run = apx.review_run(invoice_id)
    assert "two different reviewers" in apx.form_description(run)
    apx.resume(run, "cora", "approve")
    case = apx.decided(invoice_id, 2)
    assert case.status == "approved" and case.decided_by == "max, cora"
    [voucher] = [v for v in apx.store.vouchers() if v.invoice_id == invoice_id]
    assert voucher.invoice_number == "LIT-2026-131-A"


def test_a_posted_goods_receipt_releases_the_invoice_on_hold(apx: Service) -> None:
    held = settled(apx, "017-harbor-hpc-30458.pdf")
    with (apx.erp / "goods_receipts.csv").open("a") as handle:
        handle.write("GR-60001,PO-2026-0144,1,4000,2026-11-19\n"
                     "GR-60002,PO-2026-0144,2,200,2026-11-19\n")  # every billed line
    wait_for(lambda: apx.store.invoice(held).status == "posted",  # type: ignore[union-attr]
             120, "the held invoice to be re-matched and posted")
    assert [v.invoice_id for v in apx.store.vouchers()].count(held) == 1
    assert any(run.state.is_completed() for run in apx.flow_runs("rematch-on-receipt"))


def test_an_unanswered_review_escalates_by_its_own_deployment(apx: Service) -> None:
    from prefect.deployments import run_deployment

    apx.drop("014-harbor-hpc-30451.pdf")  # HIGH_VALUE 17,995.09: ap_manager
    invoice_id = settled(apx, "014-harbor-hpc-30451.pdf")
    run = apx.review_run(invoice_id)
    with apx.store.session() as session:  # it has waited two days
        session.execute(update(ReviewRow).where(ReviewRow.invoice_id == invoice_id).values(
            opened_at=datetime.now(UTC) - timedelta(days=2)))
    with apx.prefect():
        finished: Any = run_deployment("escalate-reviews/apx", timeout=120, poll_interval=1)
    assert finished.state is not None and finished.state.is_completed()
    case = apx.store.reviews.case(invoice_id)
    assert case is not None and case.required_role == "controller"
    assert case.status == "waiting" and case.escalation_level == 1
    run = apx.flow_run(run.id)
    assert run.state.is_paused() and run.name.endswith("escalated to controller")
    assert "approve: **controller** or above" in apx.form_description(run)
    queue = apx.artifact("review-queue") or ""
    assert "1 invoice(s) waiting for review" in queue
    row = next(line for line in queue.splitlines() if "HPC-30451" in line)
    assert "2 d" in row and "17,995.09 USD" in row and "HIGH_VALUE" in row
    assert "controller" in row and f"/runs/flow-run/{run.id}" in row


def test_stopping_loses_nothing_and_waiting_reviews_still_wait(apx: Service) -> None:
    invoice_id = sha("014-harbor-hpc-30451.pdf")
    waiting = apx.review_run(invoice_id)
    assert apx.stop() == 0
    apx.drop("013-kestrel-kip-558236.pdf")  # arrives while APX is down
    apx.start()
    after = apx.review_run(invoice_id)
    assert after.id == waiting.id  # the same run, still waiting
    new = settled(apx, "013-kestrel-kip-558236.pdf")
    apx.review_run(new)
    apx.resume(after, "cora", "approve")
    assert apx.decided(invoice_id, 1).status == "approved"
    assert [v.invoice_id for v in apx.store.vouchers()].count(invoice_id) == 1
    queue = apx.flow_runs("review-invoice")
    assert sum(1 for r in queue if r.parameters["invoice_id"] == invoice_id) == 1
