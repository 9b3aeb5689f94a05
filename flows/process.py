"""The APX flows: `process-invoice` (one file) and `process-batch` (many files).

Orchestration only: `pipeline.process.process_file` owns the order of the stages and the
branches. The per-invoice flow (what an inbox event starts) hands it a stage runner that
runs each stage as a task, so the UI shows each stage with its timing and state. A batch
runs each invoice as one task named after its file: visible and retried per invoice, at
~5 ms of Prefect bookkeeping instead of a flow run and seven task runs each.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from models.processing import ProcessingResult
from pipeline import logredaction, progress
from pipeline.runtime import RunSpec, runtime_for

if TYPE_CHECKING:
    from store.audit import AuditAnchor

P = ParamSpec("P")
T = TypeVar("T")

logredaction.install()  # a worker's logs never carry a bank account or an API key in full

# The stages (pdfplumber, the extractors, the rules) are imported when a run first needs
# them, not with this module: a served run then shows Running as soon as its process is up.
_TASK_NAMES: dict[str, str] = {
    "intake": "intake",
    "parse": "parse",
    "extract": "extract",
    "check": "match-and-rules",
    "classify": "classify",
    "decide": "decide",
    "post": "post-to-erp",
}


@cache
def _task(stage: Callable[..., Any]) -> Task[..., Any]:
    """The stage as a task: results stay in memory (no persistence, no input hashing)."""
    return task(name=_TASK_NAMES[stage.__name__], cache_policy=NO_CACHE, persist_result=False,
                retries=0)(stage)


def run_as_task(stage: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """The stage runner of the flow: each stage is a task run.

    quote(): Prefect would otherwise walk every input (the runtime, thousands of parsed
    words) looking for futures; that walk cost more than all the stages together.
    """
    quoted = [quote(arg) for arg in args]
    return cast(T, _task(stage)(*quoted, **kwargs))


def _run_name() -> str:
    """The file name, which is what a finance user looks for in the UI's run list."""
    from prefect.runtime import flow_run

    return Path(str(flow_run.parameters.get("path", "invoice"))).name


@flow(name="process-invoice", flow_run_name=_run_name, persist_result=False)
def process_invoice(path: str, spec: RunSpec, request_review: bool = False) -> ProcessingResult:
    """Take one file from intake to a decision (and to the ERP when approved).

    `request_review` (apx serve): an invoice decided "review" gets its own review run, which
    waits for a person in the UI while this run ends (a batch is never held by a review).
    """
    from pipeline.process import process_file

    result = process_file(runtime_for(spec), Path(path), run_as_task)
    progress.notify(result)
    if request_review and result.decision == "review" and result.invoice_id:
        from flows.review import request_review as start_review

        start_review(spec, result.invoice_id)  # once per invoice, also for a repeat delivery
    return result


@flow(name="rematch-on-receipt", persist_result=False)
def rematch_on_receipt(
    po_number: str, spec: RunSpec, request_review: bool = False
) -> list[ProcessingResult]:
    """A goods receipt was posted: invoices on hold for it (RECEIPT_PENDING) are matched again."""
    from flows.review import request_review as start_review
    from pipeline.process import rematch_file

    rt = runtime_for(spec)
    results = []
    for invoice_id in rt.store.held_on_po(po_number):
        result = rematch_file(rt, invoice_id, run_as_task)
        results.append(result)
        if request_review and result.decision == "review":
            start_review(spec, invoice_id)
    return results


def _file_task_name() -> str:
    from prefect.runtime import task_run

    return Path(str(task_run.parameters.get("path", "invoice"))).name


@task(name="invoice", task_run_name=_file_task_name, cache_policy=NO_CACHE,
      persist_result=False)
def process_invoice_file(path: str, spec: RunSpec) -> ProcessingResult:
    """One invoice of a batch, every stage in this task (the stage timings are in the audit)."""
    from pipeline.process import process_file

    return process_file(runtime_for(spec), Path(path))


@flow(name="process-batch", persist_result=False)
def process_batch(paths: list[str], spec: RunSpec) -> list[ProcessingResult]:
    """Process files one after another in the given order (later copies are the duplicates)."""
    from pipeline import stages

    results = []
    for path in paths:
        state = process_invoice_file(path, spec, return_state=True)
        if state.is_completed():
            result: ProcessingResult = state.result()
        else:  # a bug or an outage on one file must not stop the batch or lose the file
            result = stages.record_failure(runtime_for(spec), Path(path), state.message or "")
        progress.notify(result)
        results.append(result)
    anchor = stages.anchor_audit(runtime_for(spec))  # the chain's head, outside the database
    _publish_summary(results, anchor, spec.audit_anchor_file)
    return results


BATCH_ARTIFACT_KEY = "apx-batch-summary"


def _publish_summary(
    results: list[ProcessingResult], anchor: AuditAnchor | None, anchor_file: str | None,
) -> None:
    """The batch's figures as a markdown artifact in the Prefect UI (`apx report` has more),
    with the audit chain's head after the batch (`apx audit verify` checks it is still there).

    A summary that cannot be written must not fail a batch whose invoices are all decided.
    """
    from prefect.artifacts import create_markdown_artifact
    from prefect.logging import get_run_logger

    from metrics.batch import batch_markdown

    try:
        markdown = batch_markdown(results)
        if anchor is not None:
            markdown += (f"\n\n**Audit chain head** after this batch: event {anchor.event_id}, "
                         f"hash `{anchor.hash}`, anchored in "
                         f"{anchor_file or 'this artifact only (no anchor file configured)'}.")
        create_markdown_artifact(key=BATCH_ARTIFACT_KEY, markdown=markdown,
                                 description="APX batch: decisions, exceptions, model calls")
    except Exception as error:  # the API being briefly unavailable, say
        get_run_logger().warning("batch summary artifact not written: %s", error)
