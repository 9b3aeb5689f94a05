"""One invoice file through every stage: the order and the branches, in one plain function.

The stage runner is the only seam to the orchestrator: the Prefect flow passes one that runs
each stage as a task (visible, timed and retryable in the UI), tests and scripts pass
`run_directly`. So every branch — the same bytes again, an unreadable file, nothing to
extract, nothing approved — is testable without Prefect.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar

from models.processing import ProcessingResult
from pipeline import stages
from pipeline.runtime import Runtime

P = ParamSpec("P")
T = TypeVar("T")


class StageRunner(Protocol):
    """Runs one stage function with its arguments and returns its result."""

    def __call__(self, stage: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T: ...


def run_directly(stage: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    return stage(*args, **kwargs)


def process_file(rt: Runtime, path: Path, run: StageRunner = run_directly) -> ProcessingResult:
    """Intake → parse → extract → match & rules → classify → decide → post, for one file.

    One worker at a time works on an invoice: after intake it claims the invoice (see
    `Store.claim`); a worker that finds it claimed leaves it to the one processing it.
    """
    item = run(stages.intake, rt, path)
    if item.finished:  # the same bytes again: one invoice, not two
        return stages.result(rt, item)
    with rt.store.claim(item.invoice_id) as claimed:
        if not claimed:  # another worker is processing these bytes right now: it finishes
            return stages.result(rt, item, elsewhere=True)
        if rt.store.finished(item.invoice_id):  # ... or finished them since our intake
            return stages.result(rt, item.model_copy(update={"finished": True}))
        return continue_file(rt, item, run)


def continue_file(
    rt: Runtime, item: stages.IntakeResult, run: StageRunner = run_directly
) -> ProcessingResult:
    """Parse → extract → match & rules → classify → decide → post, for a file taken in."""
    parsed = run(stages.parse, rt, item)
    document = parsed.document
    extraction = run(stages.extract, rt, item, parsed) if document is not None else None
    checked = run(stages.check, rt, item, document, extraction, parsed.unreadable_reason)
    invoice = extraction.invoice if extraction is not None else None
    run(stages.classify, rt, item, checked.findings, invoice, document is None)
    total = invoice.total if invoice is not None else None
    decision = run(stages.decide, rt, item, checked.findings, total, checked.completeness)
    run(stages.post, rt, item, decision)
    return stages.result(rt, item)


def rematch_file(rt: Runtime, invoice_id: str, run: StageRunner = run_directly) -> ProcessingResult:
    """An invoice on hold, again from its stored original against the ERP data of now (a goods
    receipt arrived): the same stages, each replacing what it wrote before."""
    item = stages.held_item(rt, invoice_id)
    return continue_file(rt, item, run)
