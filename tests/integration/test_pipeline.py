"""The whole pipeline through the real Prefect flows, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gateway.client import LiteLLMGateway
from gateway.config import GatewaySettings
from pipeline import runtime as runtime_module
from tests.pipeline_helpers import answer_from_schema, run_dataset, sample_subset, truth_by_file

# clean, HIGH_VALUE, RECEIPT_PENDING (hold), BANK_DETAILS_CHANGED, a re-sent copy of 001
# (DUPLICATE_EXACT), and the two unreadable files
SUBSET = ("001-", "014-", "017-", "025-", "037-", "042-", "043-")


@pytest.fixture
def subset(tmp_path: Path) -> Path:
    return sample_subset(tmp_path / "data", SUBSET)


def test_decisions_postings_and_audit(subset: Path, database_url: str, tmp_path: Path) -> None:
    outcomes, store = run_dataset(subset, database_url, tmp_path)
    truth = truth_by_file(subset)
    assert [o.file_name for o in outcomes] == sorted(truth)
    for outcome in outcomes:
        expected = truth[outcome.file_name]
        assert outcome.decision == expected["decision"], outcome.file_name
        assert outcome.patterns == sorted(expected["patterns"]), outcome.file_name
        assert outcome.extraction_calls == 0 and outcome.classification_calls == 0

    approved = {o.invoice_id for o in outcomes if o.decision == "approve"}
    assert approved and {v.invoice_id for v in store.vouchers()} == approved

    unreadable = [o for o in outcomes if "UNREADABLE_DOCUMENT" in o.patterns]
    assert len(unreadable) == 2
    assert all(o.status == "unreadable" and o.status_reason for o in unreadable)

    steps = {e.step for e in store.audit_events(outcomes[0].invoice_id)}
    assert {"intake", "parse", "extract", "rules", "classify", "decide", "post"} <= steps
    assert store.verify_audit().ok


def test_same_bytes_again_is_the_same_invoice(subset: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'apx.db'}"
    first = subset / "invoices" / "001-acme-inv-10231.pdf"
    again = tmp_path / "forwarded-again.pdf"
    shutil.copy(first, again)
    outcomes, store = run_dataset(subset, url, tmp_path, files=[first, again])
    assert outcomes[0].invoice_id == outcomes[1].invoice_id
    assert outcomes[1].duplicate_delivery and outcomes[1].decision == "approve"
    assert len(store.invoices()) == 1 and len(store.vouchers()) == 1


def test_rerun_posts_nothing_twice(subset: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'apx.db'}"
    first, store = run_dataset(subset, url, tmp_path)
    second, store = run_dataset(subset, url, tmp_path)
    assert [o.decision for o in first] == [o.decision for o in second]
    assert all(o.duplicate_delivery for o in second)
    assert len(store.vouchers()) == sum(o.decision == "approve" for o in first)


def test_bad_files_end_in_a_known_state(subset: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'apx.db'}"
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    encrypted_like = tmp_path / "truncated.pdf"
    encrypted_like.write_bytes((subset / "invoices" / "001-acme-inv-10231.pdf").read_bytes()[:500])
    missing = tmp_path / "never-arrived.pdf"
    good = subset / "invoices" / "014-harbor-hpc-30451.pdf"
    outcomes, _store = run_dataset(subset, url, tmp_path,
                                   files=[empty, encrypted_like, missing, good])
    states = {o.file_name: (o.status, o.status_reason) for o in outcomes}
    assert states["empty.pdf"][0] == "unreadable" and states["empty.pdf"][1]
    assert states["truncated.pdf"][0] == "unreadable"
    assert states["never-arrived.pdf"][0] == "failed"
    assert "not found" in (states["never-arrived.pdf"][1] or "")
    assert outcomes[-1].decision == "review"  # the batch went on after the bad files


def _scripted_gateway() -> LiteLLMGateway:
    import litellm

    def completion(**kwargs: Any) -> Any:
        schema = kwargs["response_format"]["json_schema"]["schema"]
        return litellm.completion(**kwargs, mock_response=json.dumps(answer_from_schema(schema)))

    return LiteLLMGateway(GatewaySettings(), completion=completion)


def test_model_is_called_only_where_judgment_lives(
    subset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime_module, "build_gateway", lambda spec: _scripted_gateway())
    url = f"sqlite:///{tmp_path / 'apx.db'}"
    outcomes, store = run_dataset(subset, url, tmp_path, use_model=True)
    truth = truth_by_file(subset)
    for outcome in outcomes:
        expected = truth[outcome.file_name]
        assert outcome.decision == expected["decision"]
        assert outcome.extraction_calls <= 1
        readable_with_findings = outcome.patterns and "UNREADABLE_DOCUMENT" not in outcome.patterns
        assert outcome.classification_calls == (1 if readable_with_findings else 0)
        if expected["primary"]:
            assert outcome.primary_pattern == expected["primary"]
    calls = store.model_calls()
    assert calls and all(c.model == "local/gemma3-270m" for c in calls)
    card_row = store.find_invoice("025-lumen-lit-2026-131.pdf")
    assert card_row is not None and card_row.model_explanation
    assert card_row.explanation and card_row.classification_source == "model"


def test_run_killed_after_posting_resumes_without_paying_twice(
    subset: Path, tmp_path: Path
) -> None:
    """A worker killed after the voucher was written but before it recorded the decision."""
    from sqlalchemy import update

    from store.tables import InvoiceRow

    url = f"sqlite:///{tmp_path / 'apx.db'}"
    clean = subset / "invoices" / "001-acme-inv-10231.pdf"
    first, store = run_dataset(subset, url, tmp_path, files=[clean])
    assert first[0].decision == "approve" and len(store.vouchers()) == 1
    with store.session() as session:  # what the database holds after the kill
        session.execute(update(InvoiceRow).where(InvoiceRow.id == first[0].invoice_id)
                        .values(status="extracted", decision=None))
    again, store = run_dataset(subset, url, tmp_path, files=[clean])
    assert not again[0].duplicate_delivery  # it was not finished: processed again
    assert again[0].decision == "approve" and again[0].status == "posted"
    assert len(store.vouchers()) == 1
    assert store.verify_audit().ok
