"""Runs a batch of files through the Prefect flows and reads the results back."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from extractors.limits import ParseLimits
from models.processing import ProcessingResult
from pipeline import progress
from pipeline.runtime import RunSpec, forget_runtimes, runtime_for
from store.db import drop_database, scratch_database
from store.repository import Store


@contextmanager
def fresh_database(database_url: str | None, keep_dir: Path | None = None) -> Iterator[str]:
    """A new empty database: a SQLite file (in `keep_dir` or a temp dir), or a PostgreSQL one."""
    if database_url and database_url.startswith("postgresql"):
        url = scratch_database(database_url, f"apx_run_{uuid.uuid4().hex[:10]}")
        try:
            yield url
        finally:
            forget_runtimes()
            drop_database(url)
        return
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        for stale in keep_dir.glob("apx.db*"):
            stale.unlink()
        yield f"sqlite:///{keep_dir / 'apx.db'}"
        return
    folder = Path(tempfile.mkdtemp(prefix="apx-run-"))
    try:
        yield f"sqlite:///{folder / 'apx.db'}"
    finally:
        forget_runtimes()
        shutil.rmtree(folder, ignore_errors=True)


def run_files(
    files: list[Path],
    *,
    erp_dir: Path,
    database_url: str,
    documents_dir: Path,
    policy_file: Path,
    as_of: date,
    extraction_mode: str = "auto",
    use_model: bool = True,
    model_cache_file: Path | None = None,
    on_progress: Callable[[ProcessingResult], None] | None = None,
    parse_limits: ParseLimits | None = None,
    audit_key_file: Path | None = None,
    audit_key_env: str | None = None,
    audit_anchor_file: Path | None = None,
) -> tuple[list[ProcessingResult], Store]:
    """Process `files` in order; the audit chain is signed with the key in `audit_key_file`
    (or the variable named `audit_key_env`) and anchored in `audit_anchor_file`."""
    spec = RunSpec(
        erp_dir=str(erp_dir), database_url=database_url, documents_dir=str(documents_dir),
        policy_file=str(policy_file), as_of=as_of, extraction_mode=extraction_mode,
        use_model=use_model,
        model_cache_file=str(model_cache_file) if model_cache_file else None,
        parse_limits=parse_limits or ParseLimits(),
        audit_key_file=str(audit_key_file) if audit_key_file else None,
        audit_key_env=audit_key_env,
        audit_anchor_file=str(audit_anchor_file) if audit_anchor_file else None,
    )
    runtime = runtime_for(spec)  # fail fast on bad ERP data or database before Prefect starts
    from prefect.settings import temporary_settings

    from flows.process import process_batch

    if on_progress is not None:
        progress.add_listener(on_progress)
    try:
        # Heartbeats detect crashed runs of served deployments; for invoices run as subflows
        # in this process they only add ~1 s per invoice (the engine joins a sleeping thread).
        with temporary_settings(updates={"flows.heartbeat_frequency": None}):
            outcomes = process_batch([str(path) for path in files], spec)
    finally:
        if on_progress is not None:
            progress.remove_listener(on_progress)
    return outcomes, runtime.store
