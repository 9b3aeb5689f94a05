"""The hard set (sample_data/hard): invoices built to defeat extraction, labelled with the
business truth. Fail closed: none is approved untouched unless its truth is approve and
every fact the approval depends on was read right.

The set is made by sample_data/generate.py (unknown table headers, unknown or missing
labels, French, Spanish, Italian, Dutch and German layouts, lines split over pages, totals
blocks with discounts, freight and rounding, two-column headers, letter-spaced values).
Each invoice runs in-process, in file-name order, on one fresh SQLite store.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from apx.dataset import Truth, TruthInvoice, load_dataset
from config.loader import POLICY_FILE
from models.processing import ProcessingResult
from models.records import InvoiceRecord
from pipeline.process import process_file
from pipeline.runtime import RunSpec, forget_runtimes, runtime_for

HARD = Path(__file__).resolve().parents[2] / "sample_data" / "hard"
# What an approval pays on: the vendor, the invoice number (duplicates), the date (terms,
# periods), the currency and the total.
FACTS = ("vendor_id", "invoice_number", "invoice_date", "currency", "total")

Outcome = tuple[TruthInvoice, ProcessingResult, InvoiceRecord | None]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Outcome]]:
    work = tmp_path_factory.mktemp("hard-set")
    dataset = load_dataset(HARD, require_truth=True)
    assert isinstance(dataset.truth, Truth)
    spec = RunSpec(
        erp_dir=str(dataset.erp_dir), database_url=f"sqlite:///{work / 'apx.db'}",
        documents_dir=str(work / "documents"), policy_file=str(POLICY_FILE),
        as_of=dataset.as_of, use_model=False,
    )
    runtime = runtime_for(spec)
    labels = {label.file: label for label in dataset.truth.invoices}
    try:
        results = []
        for path in dataset.invoice_files:
            result = process_file(runtime, path)
            results.append((labels[path.name], result, runtime.store.invoice(result.invoice_id)))
        yield results
    finally:
        forget_runtimes()


def _same(fact: str, expected: Any, actual: Any) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if fact == "total":
        return Decimal(str(expected)) == Decimal(str(actual))
    if isinstance(expected, date) or isinstance(actual, date):
        return str(expected) == str(actual)
    return str(expected).strip() == str(actual).strip()


def test_the_hard_set_is_labelled_and_every_invoice_ends_decided(outcomes: list[Outcome]) -> None:
    assert len(outcomes) >= 20
    assert {label.decision for label, _, _ in outcomes} == {"approve", "review", "hold", "reject"}
    assert all(result.decision is not None for _, result, _ in outcomes)


def test_no_invoice_is_approved_unless_its_truth_is_approve(outcomes: list[Outcome]) -> None:
    wrong = [
        f"{label.file}: approved, but the truth is {label.decision} {label.patterns}"
        for label, result, _ in outcomes
        if result.decision == "approve" and label.decision != "approve"
    ]
    assert not wrong, "\n".join(wrong)


def test_an_approved_invoice_was_read_right(outcomes: list[Outcome]) -> None:
    wrong = []
    for label, result, record in outcomes:
        if result.decision != "approve":
            continue
        assert record is not None, label.file
        expected = label.fields.model_dump()
        for fact in FACTS:
            if not _same(fact, expected[fact], getattr(record, fact)):
                wrong.append(f"{label.file}: approved with {fact} {getattr(record, fact)!r}, "
                             f"the invoice says {expected[fact]!r}")
    assert not wrong, "\n".join(wrong)
