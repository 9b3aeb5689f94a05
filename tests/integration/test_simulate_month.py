"""The simulated month: generated invoices through the real pipeline, reviewers, the report."""

from __future__ import annotations

import json
from pathlib import Path

from apx.reporting import build_report, load_facts
from config.loader import load_policy
from store.repository import Store
from tools.simulate_month import MONTH_START, simulate


def test_a_small_month_is_decided_as_labelled_and_reported(tmp_path: Path) -> None:
    database = simulate(tmp_path / "sim", count=30, seed=11)
    store = Store.open(f"sqlite:///{database}")
    try:
        assert store.verify_audit().ok
        facts = load_facts(store)
        truth = json.loads((tmp_path / "sim" / "data" / "truth.json").read_text())
        expected = {label["file"]: label["decision"] for label in truth["invoices"]}
        # APX's own decision on every generated invoice is the one its labels derive
        assert {f.file_name: f.apx_decision for f in facts} == {
            name: expected[name] for name in {f.file_name for f in facts}}
        assert all(f.received_at.date() >= MONTH_START for f in facts)
        reviews = store.review_records()
        assert reviews and all(r.role for r in reviews)
        approved_in_review = [f for f in facts
                              if f.path == "review" and f.final_decision == "approve"]
        assert approved_in_review and all(f.posted_at is not None for f in approved_in_review)
        report = build_report(facts, load_policy())
        assert report.invoices == len(facts) and report.reviews == len(reviews)
        assert report.usage[1].calls > 0 and report.usage[1].cost > 0
    finally:
        store.engine.dispose()
