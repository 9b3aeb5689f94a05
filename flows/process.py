"""The APX flows: `process-invoice` (one file) and `process-batch` (a parent for many).

Tasks are thin wrappers over `pipeline.stages`, so the UI shows each stage of each
invoice with its timing and state, while the logic stays testable without Prefect.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from models.outcome import InvoiceOutcome
from pipeline import stages
from pipeline.runtime import RunSpec, runtime_for

# Per-stage tasks: results stay in memory (no persistence, no input hashing).
_options: dict[str, object] = {"cache_policy": NO_CACHE, "persist_result": False, "retries": 0}
intake_task = task(name="intake", **_options)(stages.intake)  # type: ignore[call-overload]
parse_task = task(name="parse", **_options)(stages.parse)  # type: ignore[call-overload]
extract_task = task(name="extract", **_options)(stages.extract)  # type: ignore[call-overload]
check_task = task(name="match-and-rules", **_options)(stages.check)  # type: ignore[call-overload]
classify_task = task(name="classify", **_options)(stages.classify)  # type: ignore[call-overload]
decide_task = task(name="decide", **_options)(stages.decide)  # type: ignore[call-overload]
post_task = task(name="post-to-erp", **_options)(stages.post)  # type: ignore[call-overload]

ProgressHook = Callable[[InvoiceOutcome], None]
_progress_hooks: list[ProgressHook] = []


def add_progress_hook(hook: ProgressHook) -> None:
    """Called after each invoice (the CLI's progress bar); flows stay free of UI code."""
    _progress_hooks.append(hook)


def remove_progress_hook(hook: ProgressHook) -> None:
    if hook in _progress_hooks:
        _progress_hooks.remove(hook)


def _notify(outcome: InvoiceOutcome) -> None:
    for hook in list(_progress_hooks):
        hook(outcome)


def _run_name() -> str:
    """The file name, which is what a finance user looks for in the UI's run list."""
    from prefect.runtime import flow_run

    return Path(str(flow_run.parameters.get("path", "invoice"))).name


@flow(name="process-invoice", flow_run_name=_run_name, persist_result=False)
def process_invoice(path: str, spec: RunSpec) -> InvoiceOutcome:
    """Take one file from intake to a decision (and to the ERP when approved)."""
    # quote(): Prefect would otherwise walk every input (the runtime, thousands of parsed
    # words) looking for futures; that walk cost more than all the stages together.
    rt = quote(runtime_for(spec))
    item = intake_task(rt, Path(path))
    if item.finished:
        result = stages.outcome(rt.unquote(), item)  # same bytes again: one invoice, not two
    else:
        parsed = parse_task(rt, item)
        document = parsed.document
        extraction = (
            extract_task(rt, item, quote(document)) if document is not None else None
        )
        checked = check_task(rt, item, quote(document), quote(extraction),
                             parsed.unreadable_reason)
        invoice = extraction.invoice if extraction is not None else None
        classify_task(rt, item, quote(checked.findings), quote(invoice), document is None)
        decision = decide_task(rt, item, quote(checked.findings),
                               invoice.total if invoice is not None else None)
        post_task(rt, item, decision)
        result = stages.outcome(rt.unquote(), item)
    _notify(result)
    return result


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
def process_batch(paths: list[str], spec: RunSpec) -> list[InvoiceOutcome]:
    """Process files one after another in the given order (later copies are the duplicates)."""
    outcomes = []
    settle = _settle_seconds()
    for index, path in enumerate(paths):
        if index and settle:
            time.sleep(settle)
        state = process_invoice(path, spec, return_state=True)
        if state.is_completed():
            outcomes.append(state.result())
        else:  # a bug or an outage on one file must not stop the batch or lose the file
            failed = stages.record_failure(runtime_for(spec), Path(path), state.message or "")
            _notify(failed)
            outcomes.append(failed)
    return outcomes
