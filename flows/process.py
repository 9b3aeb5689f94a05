"""The APX flows: `process-invoice` (one file) and `process-batch` (many files).

Orchestration only: `pipeline.process.process_file` owns the order of the stages and the
branches. The per-invoice flow (what an inbox event starts) hands it a stage runner that
runs each stage as a task, so the UI shows each stage with its timing and state. A batch
runs each invoice as one task named after its file: visible and retried per invoice, at
~5 ms of Prefect bookkeeping instead of a flow run and seven task runs each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from models.processing import ProcessingResult
from pipeline import logredaction, progress, stages
from pipeline.process import process_file
from pipeline.runtime import RunSpec, runtime_for
from store.audit import AuditAnchor

P = ParamSpec("P")
T = TypeVar("T")

logredaction.install()  # a worker's logs never carry a bank account or an API key in full

# Per-stage tasks: results stay in memory (no persistence, no input hashing).
_TASK_NAMES: dict[Callable[..., Any], str] = {
    stages.intake: "intake",
    stages.parse: "parse",
    stages.extract: "extract",
    stages.check: "match-and-rules",
    stages.classify: "classify",
    stages.decide: "decide",
    stages.post: "post-to-erp",
}
_TASKS: dict[Callable[..., Any], Task[..., Any]] = {
    stage: task(name=name, cache_policy=NO_CACHE, persist_result=False, retries=0)(stage)
    for stage, name in _TASK_NAMES.items()
}


def run_as_task(stage: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """The stage runner of the flow: each stage is a task run.

    quote(): Prefect would otherwise walk every input (the runtime, thousands of parsed
    words) looking for futures; that walk cost more than all the stages together.
    """
    quoted = [quote(arg) for arg in args]
    return cast(T, _TASKS[stage](*quoted, **kwargs))


def _run_name() -> str:
    """The file name, which is what a finance user looks for in the UI's run list."""
    from prefect.runtime import flow_run

    return Path(str(flow_run.parameters.get("path", "invoice"))).name


@flow(name="process-invoice", flow_run_name=_run_name, persist_result=False)
def process_invoice(path: str, spec: RunSpec) -> ProcessingResult:
    """Take one file from intake to a decision (and to the ERP when approved)."""
    result = process_file(runtime_for(spec), Path(path), run_as_task)
    progress.notify(result)
    return result


def _file_task_name() -> str:
    from prefect.runtime import task_run

    return Path(str(task_run.parameters.get("path", "invoice"))).name


@task(name="invoice", task_run_name=_file_task_name, cache_policy=NO_CACHE,
      persist_result=False)
def process_invoice_file(path: str, spec: RunSpec) -> ProcessingResult:
    """One invoice of a batch, every stage in this task (the stage timings are in the audit)."""
    return process_file(runtime_for(spec), Path(path))


@flow(name="process-batch", persist_result=False)
def process_batch(paths: list[str], spec: RunSpec) -> list[ProcessingResult]:
    """Process files one after another in the given order (later copies are the duplicates)."""
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
