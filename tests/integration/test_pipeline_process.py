"""The pipeline as one plain function: every branch runs without Prefect."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from config.loader import POLICY_FILE
from pipeline.process import process_file, run_directly
from pipeline.runtime import RunSpec, Runtime, forget_runtimes, runtime_for

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


class RecordingRunner:
    """A stage runner that runs each stage directly and remembers which ran, in order."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def __call__(self, stage: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self.ran.append(stage.__name__)
        return run_directly(stage, *args, **kwargs)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    spec = RunSpec(
        erp_dir=str(SAMPLES / "erp"), database_url=f"sqlite:///{tmp_path / 'apx.db'}",
        documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
        as_of="2026-11-20", use_model=False,
    )
    yield runtime_for(spec)
    forget_runtimes()


def test_a_clean_invoice_runs_every_stage_and_is_posted(runtime: Runtime) -> None:
    runner = RecordingRunner()
    result = process_file(runtime, SAMPLES / "invoices" / "001-acme-inv-10231.pdf", runner)
    assert runner.ran == ["intake", "parse", "extract", "check", "classify", "decide", "post"]
    assert result.decision == "approve" and result.status == "posted"
    assert [v.invoice_id for v in runtime.store.vouchers()] == [result.invoice_id]


def test_the_same_bytes_again_run_intake_only(runtime: Runtime, tmp_path: Path) -> None:
    original = SAMPLES / "invoices" / "001-acme-inv-10231.pdf"
    first = process_file(runtime, original)
    copy = tmp_path / "renamed-copy.pdf"
    shutil.copy(original, copy)
    runner = RecordingRunner()
    again = process_file(runtime, copy, runner)
    assert runner.ran == ["intake"]
    assert again.invoice_id == first.invoice_id and again.duplicate_delivery
    assert len(runtime.store.vouchers()) == 1


def test_an_unreadable_file_skips_extraction_and_is_never_posted(runtime: Runtime) -> None:
    runner = RecordingRunner()
    result = process_file(runtime, SAMPLES / "invoices" / "042-scan-20261117-0007.pdf", runner)
    assert "extract" not in runner.ran
    assert runner.ran[-1] == "post"
    assert result.status == "unreadable" and result.patterns == ["UNREADABLE_DOCUMENT"]
    assert result.decision == "review" and runtime.store.vouchers() == []


def test_an_invoice_in_review_is_not_posted(runtime: Runtime) -> None:
    result = process_file(runtime, SAMPLES / "invoices" / "011-acme-inv-10244.pdf")
    assert result.decision == "review" and result.patterns == ["PRICE_VARIANCE"]
    assert runtime.store.vouchers() == []
