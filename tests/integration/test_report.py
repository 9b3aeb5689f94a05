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
    rt.store.audit(_id(rt, "043-email-attachment-invoice.pdf"), REVIEW_EVENT, "user:bob", {
        "reviewer": "bob", "decision": "reject", "shadow": True, "pattern": "UNREADABLE_DOCUMENT",
        "corrections": {"invoice_number": "EA-1", "total": "10.00"}})
    yield rt
    forget_runtimes()


def _id(rt: Runtime, file_name: str) -> str:
    row = rt.store.find_invoice(file_name)
    assert row is not None
    return row.id


def test_review_records_are_read_back(runtime: Runtime) -> None:
    record, shadow = runtime.store.review_records()
    assert record.reviewer == "alice" and record.decision == "approve"
    assert record.invoice_id == _id(runtime, "011-acme-inv-10244.pdf")
    assert shadow.shadow and shadow.corrections["total"] == "10.00"


def test_report_over_processed_invoices(runtime: Runtime) -> None:
    report = build_report(load_facts(runtime.store), load_policy())
    assert report.invoices == 6
    assert report.paths == {"touchless": 1, "review": 3, "hold": 1, "reject": 1, "failed": 0}
    assert report.exception_invoices == 5
    assert report.waiting_reviews == 2 and report.reviews == 2  # bob's is a shadow review
    touchless = next(c for c in report.cycles if c.path == "touchless")
    assert touchless.received_to_posted.count == 1
    in_review = next(c for c in report.cycles if c.path == "review")
    assert in_review.received_to_decided.count == 1  # the one alice decided
    assert {u.step: u.calls for u in report.usage} == {"extraction": 0, "classification": 0}
    # 2 recorded reviews + 2 waiting, at the standard 8 minutes each
    assert report.costs.review_minutes == 32 and report.costs.estimated_minutes == 16
    [row] = report.agreement
    assert (row.pattern, row.escalated, row.escalation_confirmed) == ("UNREADABLE_DOCUMENT", 1, 1)
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


def test_reviewed_invoices_export_as_an_eval_set(runtime: Runtime, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from apx.cli import app
    from apx.dataset import load_dataset

    monkeypatch.setenv("APX_DATABASE_URL", str(runtime.store.engine.url))
    monkeypatch.setenv("APX_HOME", str(tmp_path / ".apx"))
    target = tmp_path / "labels"
    result = CliRunner().invoke(app, ["export-labels", "--out", str(target),
                                      "--erp", str(SAMPLES / "erp")])
    assert result.exit_code == 0, result.output
    assert "2 labelled invoices (1 with corrections)" in result.output
    dataset = load_dataset(target, require_truth=True)
    assert dataset.truth is not None
    labels = {label.file: label for label in dataset.truth.invoices}
    assert [path.name for path in dataset.invoice_files] == sorted(labels)
    price = next(v for k, v in labels.items() if k.endswith("011-acme-inv-10244.pdf"))
    assert price.patterns == ["PRICE_VARIANCE"] and price.decision == "review"
    assert price.fields.invoice_number == "INV-10244"
    unreadable = next(v for k, v in labels.items() if "043-email" in k)
    assert unreadable.fields.invoice_number == "EA-1" and unreadable.fields.total == "10.00"
    again = CliRunner().invoke(app, ["export-labels", "--out", str(target)])
    assert again.exit_code == 2 and "already holds" in again.output


def test_report_and_replay_commands(runtime: Runtime, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from apx.cli import app

    monkeypatch.setenv("APX_DATABASE_URL", str(runtime.store.engine.url))
    monkeypatch.setenv("APX_HOME", str(tmp_path / ".apx"))
    page, figures = tmp_path / "report.html", tmp_path / "report.json"
    result = CliRunner().invoke(app, ["report", "--out", str(page), "--json", str(figures)])
    assert result.exit_code == 0, result.output
    assert "6 invoices received" in result.output and "touchless 16.7 %" in result.output
    assert "<svg" in page.read_text() and json.loads(figures.read_text())["invoices"] == 6
    empty = CliRunner().invoke(app, ["report", "--out", str(page), "--since", "2020-01-01",
                                     "--until", "2020-01-31"])
    assert empty.exit_code == 0 and "0 invoices received 2020-01-01 to 2020-01-31" in empty.output
    bad = CliRunner().invoke(app, ["report", "--since", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output

    stricter = tmp_path / "policy.yaml"
    stricter.write_text(POLICY_FILE.read_text().replace(
        'reject_on: [DUPLICATE_EXACT]', 'reject_on: [DUPLICATE_EXACT, PRICE_VARIANCE]'))
    replayed = CliRunner().invoke(app, ["policy", "replay", "--policy", str(stricter)])
    assert replayed.exit_code == 0, replayed.output
    assert "6 invoices re-decided, 1 would change" in replayed.output
    assert "review → reject" in replayed.output and "2,332.56 GBP" in replayed.output
