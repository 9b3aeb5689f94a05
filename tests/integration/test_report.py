"""The report, the replay and review records over invoices the pipeline really processed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from apx.report_html import render_html
from apx.reporting import build_report, load_facts
from config.loader import POLICY_FILE, load_catalog, load_policy
from pipeline.process import process_file
from pipeline.replay import replay
from pipeline.runtime import RunSpec, Runtime, forget_runtimes, runtime_for
from store.repository import REVIEW_EVENT

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
FILES = ("001-acme-inv-10231.pdf", "011-acme-inv-10244.pdf", "017-harbor-hpc-30458.pdf",
         "037-acme-inv-10231.pdf", "043-email-attachment-invoice.pdf", "041-acme-inv-10266.pdf")


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    work = tmp_path_factory.mktemp("report")
    spec = RunSpec(erp_dir=str(SAMPLES / "erp"), database_url=f"sqlite:///{work / 'apx.db'}",
                   documents_dir=str(work / "documents"), policy_file=str(POLICY_FILE),
                   as_of="2026-11-20", use_model=False)
    rt = runtime_for(spec)
    for name in FILES:
        process_file(rt, SAMPLES / "invoices" / name)
    rt.store.audit(_id(rt, "011-acme-inv-10244.pdf"), REVIEW_EVENT, "user:alice", {
        "reviewer": "alice", "role": "ap_clerk", "decision": "approve", "proposed": "review",
        "corrections": {}, "shadow": False})
    yield rt
    forget_runtimes()


def _id(rt: Runtime, file_name: str) -> str:
    row = rt.store.find_invoice(file_name)
    assert row is not None
    return row.id


def test_review_records_are_read_back(runtime: Runtime) -> None:
    [record] = runtime.store.review_records()
    assert record.reviewer == "alice" and record.decision == "approve"
    assert record.invoice_id == _id(runtime, "011-acme-inv-10244.pdf")


def test_report_over_processed_invoices(runtime: Runtime) -> None:
    report = build_report(load_facts(runtime.store), load_policy())
    assert report.invoices == 6
    assert report.paths == {"touchless": 1, "review": 3, "hold": 1, "reject": 1, "failed": 0}
    assert report.exception_invoices == 5
    assert report.waiting_reviews == 2 and report.reviews == 1
    touchless = next(c for c in report.cycles if c.path == "touchless")
    assert touchless.received_to_posted.count == 1
    in_review = next(c for c in report.cycles if c.path == "review")
    assert in_review.received_to_decided.count == 1  # the one alice decided
    assert {u.step: u.calls for u in report.usage} == {"extraction": 0, "classification": 0}
    # 1 recorded review + 2 waiting, at the standard 8 minutes each
    assert report.costs.review_minutes == 24 and report.costs.estimated_minutes == 16
    gap = report.conformance
    assert "HIGH_VALUE" in gap.rules_never_fired and "BANK_DETAILS_CHANGED" in gap.rules_never_fired

    page = render_html(report)
    assert page.startswith("<!doctype html>") and page.count("<svg") >= 3
    assert "Where we stand" in page and "The conformance gap" in page
    assert "src=" not in page and "<link" not in page  # self-contained: nothing to fetch


def test_replay_with_the_same_policy_changes_nothing(runtime: Runtime) -> None:
    facts = load_facts(runtime.store)
    result = replay(facts, load_policy(), load_catalog(), current=load_policy())
    assert result.replayed == 6 and result.changes == ()
