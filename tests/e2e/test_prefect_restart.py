"""The Prefect server killed and restarted in the middle of a batch (issue 14).

A real `prefect server start` on a scratch PostgreSQL database; a batch runs through the
`process-batch` flow against it in another process; the server is SIGKILLed after some
invoices and started again on the same database a few seconds later. The batch completes,
or a re-run does: every invoice once, in a final state, none paid twice.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url

from config.loader import POLICY_FILE
from pipeline.runtime import RunSpec
from store.db import drop_database, scratch_database
from store.repository import Store
from tests.batch import sha256_of, write_batch
from tests.prefect_env import POSTGRES_URL
from tests.workers import ROOT

INVOICES = 24
KILL_AFTER = 8  # invoices done when the server goes down
DOWN_SECONDS = 3


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrefectServer:
    """`prefect server start` in its own process group, on a database of its own."""

    def __init__(self, home: Path, database_url: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.log = home / "server.log"
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith("PREFECT_")}
        self.env.update({
            "PREFECT_HOME": str(home / "server-home"),
            "PREFECT_API_DATABASE_CONNECTION_URL": make_url(database_url).set(
                drivername="postgresql+asyncpg").render_as_string(hide_password=False),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        })
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 240) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                 "--port", str(self.port), "--no-ui", "--no-services"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"the Prefect server did not start: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=60)


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[PrefectServer]:
    url = scratch_database(POSTGRES_URL, f"apx_prefect_restart_{uuid.uuid4().hex[:8]}")
    server = PrefectServer(tmp_path, url)
    try:
        server.start()
        yield server
    finally:
        server.kill()
        drop_database(url)


@pytest.fixture
def apx_database() -> Iterator[str]:
    url = scratch_database(POSTGRES_URL, f"apx_restart_{uuid.uuid4().hex[:8]}")
    try:
        yield url
    finally:
        drop_database(url)


def _batch_process(server: PrefectServer, spec: Path, files: Path,
                   home: Path) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update({"PREFECT_API_URL": server.url, "PREFECT_HOME": str(home),
                "PREFECT_LOGGING_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)})
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers", "--batch", str(spec), str(files)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_batch_survives_the_prefect_server_restarting(
    prefect_server: PrefectServer, apx_database: str, tmp_path: Path
) -> None:
    batch = write_batch(tmp_path / "batch", INVOICES)
    spec = tmp_path / "spec.json"
    spec.write_text(RunSpec(
        erp_dir=str(batch.erp_dir), database_url=apx_database,
        documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
        as_of=batch.as_of, use_model=False).model_dump_json())
    files = tmp_path / "files.json"
    files.write_text(json.dumps([str(f) for f in batch.files]))

    worker = _batch_process(prefect_server, spec, files, tmp_path / "client-home")
    assert worker.stdout is not None
    done = 0
    while done < KILL_AFTER:
        line = worker.stdout.readline()
        assert line, f"the batch ended early: {worker.stderr.read() if worker.stderr else ''}"
        done += line.startswith("done ")
    prefect_server.kill()  # mid-batch: its invoices keep going while the API is away
    assert worker.poll() is None
    time.sleep(DOWN_SECONDS)
    prefect_server.start()
    out, err = worker.communicate(timeout=600)
    completed = worker.returncode == 0 and out.strip().endswith("finished")

    store = Store.open(apx_database)
    try:
        unfinished = [r.file_name for r in store.invoices() if r.status != "posted"]
        missing = len(batch.files) - len(store.invoices())
        reran = False
        if not completed or unfinished or missing:  # a re-run finishes what the outage broke
            again = _batch_process(prefect_server, spec, files, tmp_path / "client-home")
            out, err = again.communicate(timeout=600)
            assert again.returncode == 0, err[-3000:]
            reran = True
        rows = {row.id: row for row in store.invoices()}
        vouchers = Counter(v.invoice_id for v in store.vouchers())
        print(f"\nPrefect server restarted after {done} of {INVOICES} invoices: batch "
              f"{'completed' if completed else 'stopped'}, {len(unfinished)} unfinished, "
              f"{missing} not registered, re-run: {reran}")
        assert sorted(rows) == sorted(sha256_of(f) for f in batch.files)
        assert all(row.status == "posted" for row in rows.values())
        assert set(vouchers) == set(rows) and set(vouchers.values()) == {1}
        assert store.verify_audit().ok
    finally:
        store.engine.dispose()
    # the batch's flow run is on the restarted server, and what it says happened did
    states = [run["state"]["type"] for run in _api(prefect_server, "flow_runs/filter", {})]
    assert len(states) == 1 + reran
    assert states.count("COMPLETED") >= 1 and (not completed or states == ["COMPLETED"])


def _api(server: PrefectServer, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    request = urllib.request.Request(f"{server.url}/{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())  # type: ignore[no-any-return]
