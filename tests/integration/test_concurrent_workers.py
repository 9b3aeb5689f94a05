"""Concurrent workers on one PostgreSQL database, as real processes (issue 14).

Copies of one invoice with different bytes (a re-sent PDF), processed by several workers at
the same moment, round after round: exactly one is paid, every other copy is caught as a
DUPLICATE_EXACT. And two workers on the same inbox (the same files): each invoice is
processed once.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from config.loader import POLICY_FILE
from extractors.source import read_source
from pipeline.runtime import RunSpec
from store.repository import Store
from store.tables import InvoiceRow
from tests.batch import Batch, sha256_of, variant, write_batch
from tests.workers import ROOT, open_store, race_worker

ROUNDS = 24
WORKERS = 3
SAME_INBOX_FILES = 16
STAGE_DELAYS = ("parse", "extract", "check")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return write_batch(tmp_path_factory.mktemp("race"), ROUNDS)


def _spec(batch: Batch, database_url: str, documents: Path) -> RunSpec:
    return RunSpec(erp_dir=str(batch.erp_dir), database_url=database_url,
                   documents_dir=str(documents), policy_file=str(POLICY_FILE),
                   as_of=batch.as_of, use_model=False)


def test_a_copy_reads_the_same_whatever_its_bytes(batch: Batch, tmp_path: Path) -> None:
    original = batch.files[0]
    tagged = variant(original, tmp_path / "tagged.pdf", "tagged")
    padded = variant(original, tmp_path / "padded.pdf", "padded", padding_kb=400)
    shas = {sha256_of(p) for p in (original, tagged, padded)}
    assert len(shas) == 3
    texts = {read_source(p, "x").document.text for p in (original, tagged, padded)}
    assert len(texts) == 1 and "INV-60000" in texts.pop()


def test_workers_starting_on_a_new_database_do_not_race_on_the_schema(
    database_url: str,
) -> None:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [context.Process(target=open_store, args=(database_url, barrier, results))
                 for _ in range(WORKERS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert outcomes == ["ok"] * WORKERS
    store = Store.open(database_url)  # at the newest revision: opening again changes nothing
    assert store.invoices() == [] and store.verify_audit().ok
    store.engine.dispose()


@pytest.fixture
def race_workers(batch: Batch, postgres_url: str, tmp_path: Path) -> Iterator[Any]:
    """WORKERS processes (spawned), each with its own runtime on the same database."""
    context = multiprocessing.get_context("spawn")
    spec = _spec(batch, postgres_url, tmp_path / "documents").model_dump_json()
    barrier = context.Barrier(WORKERS)
    tasks = [context.Queue() for _ in range(WORKERS)]
    results = context.Queue()
    processes = [
        context.Process(target=race_worker, args=(n, spec, barrier, tasks[n], results),
                        daemon=True)
        for n in range(WORKERS)
    ]
    for process in processes:
        process.start()
    try:
        ready = [results.get(timeout=180) for _ in processes]
        assert sorted(r[1] for r in ready) == list(range(WORKERS)), ready
        yield tasks, results
    finally:
        for queue in tasks:
            queue.put(None)
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def test_copies_processed_at_the_same_moment_are_paid_once(
    batch: Batch, race_workers: Any, postgres_url: str, tmp_path: Path
) -> None:
    tasks, results = race_workers
    rng = random.Random(14)
    copies: dict[int, list[Path]] = {}
    slow: Counter[str] = Counter()
    overlapping = 0  # rounds in which two workers were in the check stage at the same time
    for number, original in enumerate(batch.files):
        # Each worker gets its own copy; one may parse slower (padding) or be held up
        # before a stage, so that any of them can reach the check first.
        padded = rng.randrange(WORKERS + 1)  # == WORKERS: nobody padded
        late, stage = rng.randrange(WORKERS + 1), rng.choice(STAGE_DELAYS)
        pause = rng.choice((0.0, 0.002, 0.02, 0.1))
        copies[number] = []
        for worker in range(WORKERS):
            path = variant(original, tmp_path / f"round{number}-worker{worker}.pdf",
                           f"{number}/{worker}", padding_kb=300 if worker == padded else 0)
            copies[number].append(path)
            delays = {stage: pause} if worker == late and pause else {}
            if delays:
                slow[stage] += 1
            tasks[worker].put((number, str(path), delays))
        answers = [results.get(timeout=180) for _ in range(WORKERS)]
        errors = [a[2]["error"] for a in answers if "error" in a[2]]
        assert not errors, errors[0]
        assert {a[0] for a in answers} == {number}
        spans = sorted(a[2]["check_span"] for a in answers)
        overlapping += any(spans[j][0] < max(end for _, end in spans[:j])
                           for j in range(1, len(spans)))

    store = Store.open(postgres_url)
    try:
        vouchers = Counter(v.invoice_id for v in store.vouchers())
        invoices = {row.id: row for row in store.invoices()}
        orders = _orders(store)
        missed, paid_twice = 0, 0
        for number, paths in copies.items():
            ids = [sha256_of(p) for p in paths]
            assert len(set(ids)) == WORKERS  # different bytes: different invoices
            paid = [i for i in ids if vouchers[i]]
            paid_twice += len(paid) > 1
            caught = [i for i in ids if i not in paid
                      and "DUPLICATE_EXACT" in {f.code for f in store.findings(i)}
                      and invoices[i].decision == "reject"]
            missed += len(caught) != WORKERS - 1
            assert len(paid) == 1 and len(caught) == WORKERS - 1, (number, [
                (invoices[i].status, invoices[i].decision, orders[i]) for i in ids])
            assert invoices[paid[0]].status == "posted"
        print(f"\nraces: {len(copies)} rounds x {WORKERS} workers ({overlapping} with checks "
              f"at the same moment), duplicates missed: {missed}, paid twice: {paid_twice}, "
              f"delayed stages: {dict(slow)}")
        assert missed == 0 and paid_twice == 0
        assert overlapping >= ROUNDS // 4  # it was a race, most of the time
        assert len(vouchers) == ROUNDS and set(vouchers.values()) == {1}
        checked = [check for _, check in orders.values()]
        assert len(set(checked)) == len(checked) == ROUNDS * WORKERS  # one check order
        assert len({seq for seq, _ in orders.values()}) == len(orders)  # one intake order
        assert store.verify_audit().ok
    finally:
        store.engine.dispose()


def _orders(store: Store) -> dict[str, tuple[int, int | None]]:
    """Invoice id -> (intake order, check order)."""
    with store.session() as session:
        rows = session.execute(select(InvoiceRow.id, InvoiceRow.seq, InvoiceRow.checked_seq))
        return {invoice_id: (seq, checked) for invoice_id, seq, checked in rows}


def _worker(spec: Path, files: Path, start: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers", str(spec), str(files), "--wait-for", str(start)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )


def test_two_workers_on_the_same_inbox_process_each_invoice_once(
    batch: Batch, postgres_url: str, tmp_path: Path
) -> None:
    files = batch.files[:SAME_INBOX_FILES]
    spec = tmp_path / "spec.json"
    spec.write_text(_spec(batch, postgres_url, tmp_path / "documents").model_dump_json())
    listing = tmp_path / "files.json"
    listing.write_text(json.dumps([str(f) for f in files]))
    start = tmp_path / "start"
    workers = [_worker(spec, listing, start) for _ in range(2)]
    try:
        for worker in workers:  # both ready (runtime built), then both start at once
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        start.touch()
        outputs = [worker.communicate(timeout=300) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    processed: Counter[str] = Counter()
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-3000:]
        assert out.strip().endswith("finished")
        done = [line.split() for line in out.splitlines() if line.startswith("done ")]
        assert len(done) == len(files)
        processed.update(index for _, index, _, how in done if how == "processed")
    # every file processed by exactly one of the two (which one: whoever claimed it first)
    assert sorted(processed) == sorted(str(i) for i in range(len(files)))
    assert set(processed.values()) == {1}

    store = Store.open(postgres_url)
    try:
        rows = store.invoices()
        assert sorted(r.id for r in rows) == sorted(sha256_of(f) for f in files)
        assert all(r.status == "posted" and r.decision == "approve" for r in rows)
        vouchers = Counter(v.invoice_id for v in store.vouchers())
        assert set(vouchers) == {r.id for r in rows} and set(vouchers.values()) == {1}
        twice = {}
        for row in rows:
            steps = Counter(e.step for e in store.audit_events(row.id))
            work = {s: steps[s] for s in ("parse", "extract", "rules", "classify", "decide",
                                          "post")}
            if set(work.values()) != {1}:
                twice[row.file_name] = work
        assert not twice, f"processed more than once: {twice}"
        assert store.verify_audit().ok
    finally:
        store.engine.dispose()
