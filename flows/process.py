"""The APX flows: `process-invoice` (one file) and `process-batch` (a parent for many).

Orchestration only: `pipeline.process.process_file` owns the order of the stages and the
branches; this module hands it a stage runner that runs each stage as a Prefect task, so the
UI shows each stage of each invoice with its timing and state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from models.processing import ProcessingResult
from pipeline import progress
from pipeline.runtime import RunSpec, runtime_for

P = ParamSpec("P")
T = TypeVar("T")

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


def _settle_seconds() -> float:
    """A pause between invoices when the Prefect server keeps its state in SQLite.

    The temporary server's task-run recorder writes the last invoice's task events while
    the next flow run is created; SQLite then answers "database is locked", the server
    returns 503 and the client backs off ~2 s. Letting the recorder finish first costs
    0.3 s instead (measured: 43 sample invoices, ~2 s -> ~0.4 s of Prefect overhead each).
    On PostgreSQL, or against a real server (PREFECT_API_URL), there is no pause.
    """
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url:
        return 0.0
    url = settings.server.database.connection_url
    url_text = url.get_secret_value() if url is not None else ""
    return 0.3 if not url_text or url_text.startswith("sqlite") else 0.0


@flow(name="process-batch", persist_result=False)
def process_batch(paths: list[str], spec: RunSpec) -> list[ProcessingResult]:
    """Process files one after another in the given order (later copies are the duplicates)."""
    results = []
    settle = _settle_seconds()
    for index, path in enumerate(paths):
        if index and settle:
            time.sleep(settle)
        state = process_invoice(path, spec, return_state=True)
        if state.is_completed():
            results.append(state.result())
        else:  # a bug or an outage on one file must not stop the batch or lose the file
            from pipeline.stages import record_failure

            failed = record_failure(runtime_for(spec), Path(path), state.message or "")
            progress.notify(failed)
            results.append(failed)
    _batch_summary(results)
    return results


def _batch_summary(results: list[ProcessingResult]) -> None:
    """The batch's outcome as a Prefect artifact: counts by decision and one row per file."""
    from collections import Counter

    from prefect.artifacts import create_markdown_artifact

    counts = Counter(item.decision or item.status for item in results)
    lines = [f"**{len(results)} invoice(s)**: " + ", ".join(
        f"{count} {name}" for name, count in sorted(counts.items())), "",
        "| File | Vendor | Invoice | Total | Pattern | Decision |", "|---|---|---|---:|---|---|"]
    for item in results:
        total = f"{item.total:,.2f} {item.currency or ''}" if item.total is not None else "-"
        lines.append(f"| {item.file_name} | {item.vendor_name or '-'} | "
                     f"{item.invoice_number or '-'} | {total} | {item.primary_pattern or '-'} | "
                     f"{item.decision or item.status} |")
    try:
        create_markdown_artifact("\n".join(lines), key="batch-summary",
                                 description="What the batch came to")
    except Exception:  # a summary is a view: never fail a batch over it
        return
