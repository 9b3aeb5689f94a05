"""APX's benchmark: where the time per invoice goes, from one run on the same files.

    python -m tools.bench [-n 500] [--json OUT] [--history 1000,100000] [--postgres URL]

Generates N invoices with the sample generator (the clean scenarios of sample_data, each
re-issued under a new invoice number: vendors and layouts as in the sample set), then reports
median and p95 seconds per invoice and invoices per second for
  - baseline:   pdfplumber alone (open, words, text, tables), in this process;
  - in-process: the deterministic path, intake -> parse (bounded worker) -> extract (no
                model) -> match and rules -> decide -> post -> audit, on SQLite;
  - prefect:    the same through the `process-batch` flow (temporary Prefect server);
plus SQL statements per invoice, peak RSS, and the history checks (duplicates, PO and
cumulative billing reads) with H invoices already stored, on SQLite and PostgreSQL.
A script that prints numbers, not a timed test.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("apx_bench_generator", SAMPLES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def generate(n: int, folder: Path) -> list[Path]:
    """N invoice PDFs: the sample set's clean invoices, re-issued under new numbers."""
    gen = _generator()
    oracle = gen.Oracle(gen.SCENARIOS)
    clean = [sc for i, sc in enumerate(gen.SCENARIOS)
             if oracle.decision(i) == "approve" and not sc.template]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        sc = clean[i % len(clean)]
        variant = replace(sc, number=f"{sc.number}-B{i:05d}")
        path = folder / f"{i:05d}-{sc.vendor}.pdf"
        path.write_bytes(gen.render(variant))
        files.append(path)
    return files


def summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    total = sum(seconds)
    return {"median_ms": round(statistics.median(seconds) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2),
            "per_second": round(len(seconds) / total, 1) if total else 0.0}


def timed(items: list[Path], work: Callable[[Path], object]) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        work(item)
        out.append(time.perf_counter() - started)
    return out


def baseline(files: list[Path]) -> list[float]:
    import pdfplumber

    def read(path: Path) -> None:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                page.extract_text()
                page.extract_tables()

    return timed(files, read)


def runtime(database_url: str, work: Path) -> Any:
    from config.loader import POLICY_FILE
    from pipeline.runtime import RunSpec, runtime_for

    return runtime_for(RunSpec(
        erp_dir=str(SAMPLES / "erp"), database_url=database_url,
        documents_dir=str(work / "documents"), policy_file=str(POLICY_FILE),
        as_of=_as_of(), use_model=False))


def _as_of() -> date:
    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    return date.fromisoformat(truth["as_of"])


def in_process(files: list[Path], work: Path) -> tuple[list[float], float]:
    """Seconds per invoice and SQL statements per invoice, on a fresh SQLite database."""
    from sqlalchemy import event

    from pipeline.process import process_file

    rt = runtime(f"sqlite:///{work / 'inprocess.db'}", work)
    statements = {"n": 0}

    @event.listens_for(rt.store.engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        statements["n"] += 1

    seconds = timed(files, lambda path: process_file(rt, path))
    return seconds, statements["n"] / len(files)


def through_prefect(files: list[Path], work: Path) -> tuple[float, float]:
    """(seconds for the whole batch, seconds until the first result: the server start)."""
    from apx import environment

    environment.configure(work / "prefect-home")
    from apx.runner import run_files
    from config.loader import POLICY_FILE

    stamps: list[float] = []
    started = time.perf_counter()
    run_files(files, erp_dir=SAMPLES / "erp", database_url=f"sqlite:///{work / 'prefect.db'}",
              documents_dir=work / "documents-prefect", policy_file=POLICY_FILE,
              as_of=_as_of(), use_model=False,
              on_progress=lambda _result: stamps.append(time.perf_counter() - started))
    return time.perf_counter() - started, stamps[0] if stamps else 0.0


def history(database_url: str, stored: int, probes: int = 200) -> float:
    """Median ms of the history reads for one invoice with `stored` invoices already there."""
    from sqlalchemy import insert

    from pipeline.process import process_file  # noqa: F401  (imports the store's tables)
    from store.repository import Store
    from store.tables import DocumentRow, InvoiceRow
    from store.unit_of_work import now

    store = Store.open(database_url)
    at = now()
    rows, documents = [], []
    for i in range(stored):
        sha = f"{i:064x}"
        documents.append({"sha256": sha, "file_name": f"{i}.pdf", "size_bytes": 1,
                          "stored_path": "-", "received_at": at})
        rows.append({"id": sha, "document_sha256": sha, "seq": i + 1, "checked_seq": i + 1,
                     "file_name": f"{i}.pdf", "status": "decided", "vendor_id": f"V{i % 50}",
                     "invoice_number": f"INV-{i}", "invoice_number_key": str(i),
                     "po_number": f"PO-{i % 5000}", "currency": "EUR",
                     "total": f"{i % 997}.00", "total_minor": (i % 997) * 100,
                     "decision": "approve", "created_at": at, "updated_at": at})
    with store.engine.begin() as connection:
        for start in range(0, stored, 5000):
            connection.execute(insert(DocumentRow), documents[start:start + 5000])
            connection.execute(insert(InvoiceRow), rows[start:start + 5000])
    from decimal import Decimal

    seconds = []
    for probe in range(probes):
        invoice_id = f"{probe * 7 % stored:064x}"
        started = time.perf_counter()
        with store.unit_of_work() as uow:
            uow.prior_invoices(invoice_id, f"V{probe % 50}", f"INV-{probe}", Decimal("12.00"))
            uow.prior_on_po(invoice_id, f"PO-{probe % 5000}")
            uow.billed_before(invoice_id, f"PO-{probe % 5000}")
        seconds.append(time.perf_counter() - started)
    store.engine.dispose()
    return round(statistics.median(seconds) * 1000, 3)


def _postgres(url: str) -> Iterator[str]:
    from store.db import drop_database, scratch_database

    name = f"apx_bench_{os.getpid()}_{int(time.time())}"
    scratch = scratch_database(url, name)
    try:
        yield scratch
    finally:
        drop_database(scratch)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="invoices to generate (500)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--history", default="1000,100000",
                        help="stored invoices for the history reads (comma-separated)")
    parser.add_argument("--postgres", default=os.environ.get(
        "APX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL to create scratch databases next to ('' to skip)")
    parser.add_argument("--no-prefect", action="store_true", help="skip the Prefect batch")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="apx-bench-"))
    started = time.perf_counter()
    files = generate(args.n, work / "invoices")
    print(f"generated {len(files)} invoices in {time.perf_counter() - started:.1f} s ({work})")
    base = baseline(files)
    inproc, statements = in_process(files, work)
    result: dict[str, Any] = {
        "machine": f"{os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}",
        "invoices": len(files),
        "baseline": summary(base),
        "in_process": summary(inproc),
        "in_process_ratio": round(statistics.median(inproc) / statistics.median(base), 2),
        "sql_statements_per_invoice": round(statements, 1),
    }
    if not args.no_prefect:
        batch_seconds, first = through_prefect(files, work)
        per = (batch_seconds - first) / max(1, len(files) - 1)
        result["prefect_batch"] = {
            "seconds": round(batch_seconds, 1), "server_start_s": round(first, 1),
            "per_invoice_ms": round(per * 1000, 1), "per_second": round(1 / per, 1),
            "ratio": round(per / statistics.median(base), 2)}
    sizes = [int(s) for s in args.history.split(",") if s]
    result["history_ms"] = {}
    for size in sizes:
        entry = {"sqlite": history(f"sqlite:///{work / f'history-{size}.db'}", size)}
        if args.postgres:
            for url in _postgres(args.postgres):
                entry["postgresql"] = history(url, size)
        result["history_ms"][str(size)] = entry
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
