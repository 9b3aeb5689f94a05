"""A worker SIGKILLed in the middle of a batch, again and again, on PostgreSQL (issue 14).

A batch of clean invoices (each is approved and posted when processed alone) is run by a
worker process that is killed at each stage boundary (after intake, parse, extract, check,
classify, decide — decide → post included — and post), inside stages just before their
unit of work commits, and at random moments. After each kill the worker restarts where it
was; at the end the whole batch is run once more. Then: every invoice is processed exactly
once — none lost, no voucher posted twice, no half-written stage — and the audit chain holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from config.loader import POLICY_FILE
from pipeline.runtime import RunSpec
from store.repository import Store
from store.tables import InvoiceRow
from tests.batch import Batch, sha256_of, write_batch
from tests.workers import ROOT, STAGES

INVOICES = int(os.environ.get("APX_KILL_TEST_INVOICES", "200"))
RANDOM_KILLS = 5
# Inside these stages, after their writes are flushed and before they commit.
BEFORE_COMMIT = ("intake", "parse", "extract", "check", "decide", "post")
MARKER = "APX_KILL_TEST_RUN"


class Zygote:
    """`python -m tests.workers --zygote`: forks a worker per run (imports paid once)."""

    def __init__(self, run_id: str, log: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), MARKER: run_id}
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.workers", "--zygote"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.next_line(timeout=300) == "zygote ready", self.errors()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # end of output

    def next_line(self, timeout: float = 300) -> str:
        return self.lines.get(timeout=timeout)

    def run(self, *args: str) -> Run:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(list(args)) + "\n")
        self.process.stdin.flush()
        return Run(self)

    def errors(self) -> str:
        return self.log.read_text()[-3000:]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


class Run:
    """One forked worker: its pid, the file it is on, how it ended."""

    def __init__(self, zygote: Zygote) -> None:
        self.zygote = zygote
        self.current = -1  # the file it was processing last
        self.output: list[str] = []
        line = zygote.next_line()
        assert line.startswith("pid "), (line, zygote.errors())
        self.pid = int(line.split()[1])

    def _next(self) -> str | None:
        line = self.zygote.next_line()
        assert line, f"the zygote ended: {self.zygote.errors()}"
        self.output.append(line)
        if line.startswith("file "):
            self.current = int(line.split()[1])
        return line

    def wait_for_file(self, index: int) -> None:
        while self.current < index:
            line = self._next()
            assert line is not None and not line.startswith("exit "), (
                f"the worker ended before file {index}: {line}")

    def finish(self) -> int:
        while not (line := self._next() or "").startswith("exit "):
            pass
        return int(line.split()[1])


def _processes_of(run_id: str) -> list[int]:
    """Processes started by this test's workers (the parser workers inherit the marker)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"{MARKER}={run_id}".encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _plan(rng: random.Random) -> list[tuple[str, str]]:
    kills = [("--kill-after", stage) for stage in STAGES]
    kills += [("--kill-before-commit", stage) for stage in BEFORE_COMMIT]
    kills += [("random", "")] * RANDOM_KILLS
    rng.shuffle(kills)
    return kills


def test_a_worker_killed_anywhere_loses_nothing_and_pays_nothing_twice(
    postgres_url: str, tmp_path: Path
) -> None:
    batch = write_batch(tmp_path / "batch", INVOICES)
    spec = tmp_path / "spec.json"
    spec.write_text(RunSpec(
        erp_dir=str(batch.erp_dir), database_url=postgres_url,
        documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
        as_of=batch.as_of, use_model=False).model_dump_json())
    files = tmp_path / "files.json"
    files.write_text(json.dumps([str(f) for f in batch.files]))
    run_id = uuid.uuid4().hex
    rng = random.Random(14)

    plan = _plan(rng)
    targets = sorted(rng.sample(range(1, INVOICES - 2), len(plan)))
    start, kills, landed = 0, 0, Counter[str]()
    zygote = Zygote(run_id, tmp_path / "workers.log")
    try:
        for (how, stage), target in zip(plan, targets, strict=True):
            target = max(target, start + 1)  # a file the restarted worker still has to do
            args = [str(spec), str(files), "--start", str(start)]
            if how != "random":
                args += [how, f"{stage}:{target}"]
            run = zygote.run(*args)
            if how == "random":
                run.wait_for_file(target)
                time.sleep(rng.uniform(0.0, 0.5))
                os.kill(run.pid, signal.SIGKILL)
            code = run.finish()
            assert code == -signal.SIGKILL, (how, stage, target, code, zygote.errors())
            assert run.current >= target if how == "random" else run.current == target
            kills += 1
            landed[f"{how.removeprefix('--')} {stage}".strip()] += 1
            start = run.current  # the restart begins with the file it was killed on

        final = zygote.run(str(spec), str(files))  # the whole batch again, nobody killed
        assert final.finish() == 0, zygote.errors()
        assert final.output[-2] == "finished"
    finally:
        zygote.close()

    store = Store.open(postgres_url)
    try:
        lost, posted_twice = _check_exactly_once(store, batch, tmp_path / "documents")
    finally:
        store.engine.dispose()
    print(f"\nkill test: {INVOICES} invoices, {kills} kills ({dict(landed)}), "
          f"lost: {len(lost)}, posted twice: {len(posted_twice)}")
    assert kills == len(plan) and not lost and not posted_twice

    deadline = time.monotonic() + 15  # the killed workers' PDF parsers went with them
    while _processes_of(run_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_of(run_id) == []


def _check_exactly_once(store: Store, batch: Batch, documents: Path) -> tuple[list[str], ...]:
    """(lost files, invoices posted twice); asserts no stage is half-written."""
    invoices = {row.id: row for row in store.invoices()}
    vouchers = Counter(v.invoice_id for v in store.vouchers())
    by_number = Counter((v.vendor_id, v.invoice_number, v.amount) for v in store.vouchers())
    events = store.audit_events()
    steps: dict[str, Counter[str]] = {}
    last: dict[tuple[str, str], dict[str, object]] = {}
    for event in events:
        if event.invoice_id is not None:
            steps.setdefault(event.invoice_id, Counter())[event.step] += 1
            last[(event.invoice_id, event.step)] = event.detail
    with store.session() as session:
        checked = dict(session.query(InvoiceRow.id, InvoiceRow.checked_seq).all())
        extracted = {i for i, e in session.query(InvoiceRow.id, InvoiceRow.extraction) if e}

    lost = [f.name for f in batch.files
            if (row := invoices.get(sha256_of(f))) is None
            or row.status != "posted" or row.decision != "approve"]
    posted_twice = [i for i, n in vouchers.items() if n > 1]
    posted_twice += [str(k) for k, n in by_number.items() if n > 1]
    posts = {i: sum(1 for e in events if e.invoice_id == i and e.step == "post"
                    and e.detail.get("posted") is True) for i in invoices}
    assert len(invoices) == len(batch.files)
    for invoice_id, row in invoices.items():
        seen = steps.get(invoice_id, Counter())
        assert seen["intake"] >= 1, row.file_name
        if invoice_id in extracted:  # each stage's result came with its audit event
            assert seen["extract"] >= 1, row.file_name
        if checked[invoice_id] is not None:
            assert seen["rules"] >= 1, row.file_name
            rules = last[(invoice_id, "rules")]
            assert sorted(f.code for f in store.findings(invoice_id)) == sorted(
                rules["findings"]), row.file_name  # type: ignore[call-overload]
        if row.decision is not None:
            assert last[(invoice_id, "decide")]["outcome"] == row.decision, row.file_name
        # posted, a voucher and one "posted" event: all three or none
        assert (row.status == "posted") == (vouchers[invoice_id] == 1) == (
            posts[invoice_id] == 1), (row.file_name, row.status, posts[invoice_id])
    for stored in documents.rglob("*.pdf"):  # every kept original is whole
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == stored.stem, stored
    assert store.verify_audit().ok
    return lost, posted_twice
