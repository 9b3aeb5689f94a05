"""`apx serve` as a subprocess for the integration and browser tests: its own Prefect server
(on a scratch PostgreSQL database), APX's database (another scratch database), an inbox."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import make_url

from rules.review import hash_code
from store.db import drop_database, scratch_database
from store.repository import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_data"
POSTGRES_URL = os.environ.get(
    "APX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T = TypeVar("T")

REVIEWERS = {  # name: (role, personal code)
    "clara": ("ap_clerk", "CLRA-2345-6789"),
    "max": ("ap_manager", "MAXX-2345-6789"),
    "cora": ("controller", "CORA-2345-6789"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], T | None], timeout: float, what: str,
             interval: float = 0.3) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass
class Service:
    """One `apx serve` with everything it owns under `root`."""

    root: Path
    port: int = field(default_factory=free_port)
    apx_db: str = ""
    prefect_db: str = ""
    process: subprocess.Popen[bytes] | None = None
    _store: Store | None = None

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def erp(self) -> Path:
        return self.root / "erp"

    @property
    def log(self) -> Path:
        return self.root / "serve.log"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.apx_db)
        return self._store

    def start(self, timeout: float = 180) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "APX_"))}
        env.update({
            "PYTHONPATH": str(ROOT), "APX_HOME": str(self.root / "home"),
            "APX_DATABASE_URL": self.apx_db, "APX_PREFECT_DATABASE_URL": self.prefect_db,
            "APX_INBOX": str(self.inbox),
        })
        started = self.log.stat().st_size if self.log.exists() else 0
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "apx.cli", "serve", "--port", str(self.port),
             "--erp", str(self.erp), "--as-of", "2026-11-20", "--no-model"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        out.close()

        def ready() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"apx serve exited:\n{self.log.read_text()[-4000:]}")
            return "APX is serving." in self.log.read_text(errors="replace")[started:]

        wait_for(ready, timeout, "apx serve to start")

    def stop(self, timeout: float = 90) -> int:
        """SIGTERM, as a service manager stops it; the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise AssertionError(
                f"apx serve ignored SIGTERM:\n{self.log.read_text()[-3000:]}") from None

    def drop(self, name: str, as_name: str | None = None) -> Path:
        """Copy a sample invoice into the inbox the way a careful writer does (rename in)."""
        target = self.inbox / (as_name or name)
        partial = target.with_name(f".{target.name}.part")
        shutil.copy(SAMPLES / "invoices" / name, partial)
        partial.rename(target)
        return target

    @contextmanager
    def prefect(self) -> Iterator[None]:
        """Prefect client calls in this block go to this service's server."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: self.api_url}):
            yield

    def flow_runs(self, flow_name: str | None = None) -> list[Any]:
        from prefect import get_client

        with self.prefect(), get_client(sync_client=True) as client:
            flows = {flow.id: flow.name for flow in client.read_flows()}
            return [run for run in client.read_flow_runs(limit=200)
                    if flow_name is None or flows.get(run.flow_id) == flow_name]

    def flow_run(self, run_id: str | UUID) -> Any:
        from prefect import get_client

        with self.prefect(), get_client(sync_client=True) as client:
            return client.read_flow_run(UUID(str(run_id)))

    def review_run(self, invoice_id: str, timeout: float = 120) -> Any:
        """The invoice's review run, once it waits (suspended) for a person."""
        def waiting() -> Any:
            case = self.store.reviews.case(invoice_id)
            if case is None or not case.flow_run_id:
                return None
            run = self.flow_run(case.flow_run_id)
            return run if run.state is not None and run.state.is_paused() else None

        return wait_for(waiting, timeout, f"the review of {invoice_id[:12]} to wait", 0.5)

    def artifact(self, key: str) -> str | None:
        """The latest version of an artifact (markdown text), or None."""
        from prefect import get_client
        from prefect.client.schemas.filters import (
            ArtifactCollectionFilter,
            ArtifactCollectionFilterKey,
        )

        with self.prefect(), get_client(sync_client=True) as client:
            found = client.read_latest_artifacts(artifact_filter=ArtifactCollectionFilter(
                key=ArtifactCollectionFilterKey(any_=[key])))
        return str(found[0].data) if found else None

    def form_description(self, run: Any) -> str:
        from prefect.input.actions import read_flow_run_input

        keyset = run.state.state_details.run_input_keyset
        with self.prefect():
            return str(read_flow_run_input(keyset["description"], flow_run_id=run.id))

    def run_input(self, run: Any, key: str) -> Any:
        from prefect.input.actions import read_flow_run_input

        with self.prefect():
            return read_flow_run_input(key, flow_run_id=run.id)

    def resume(self, run: Any, reviewer: str, decision: str, **fields: str) -> None:
        from prefect.flow_runs import resume_flow_run

        code = fields.pop("code", REVIEWERS.get(reviewer, ("", "NOPE-NOPE"))[1])
        with self.prefect():
            resume_flow_run(run.id, run_input={"decision": decision, "reviewer": reviewer,
                                               "code": code, **fields})

    def decided(self, invoice_id: str, submissions: int, timeout: float = 120) -> Any:
        """The review case once `submissions` were processed and the run is at rest again."""
        def done() -> Any:
            case = self.store.reviews.case(invoice_id)
            if case is None or case.submissions < submissions or not case.flow_run_id:
                return None
            run = self.flow_run(case.flow_run_id)
            resting = run.state is not None and (run.state.is_paused() or run.state.is_final())
            return case if resting else None

        return wait_for(done, timeout, f"submission {submissions} on {invoice_id[:12]}", 0.5)


@contextmanager
def service(tmp: Path) -> Iterator[Service]:
    """A started `apx serve` on scratch databases; stopped and dropped afterwards."""
    tag = uuid.uuid4().hex[:8]
    apx_db = scratch_database(POSTGRES_URL, f"apx_serve_{tag}")
    prefect_db = make_url(scratch_database(POSTGRES_URL, f"apx_serve_prefect_{tag}")).set(
        drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    svc = Service(root=tmp, apx_db=apx_db, prefect_db=prefect_db)
    shutil.copytree(SAMPLES / "erp", svc.erp)
    svc.inbox.mkdir(parents=True)
    for name, (role, code) in REVIEWERS.items():
        svc.store.reviews.add_reviewer(name, role, hash_code(code))
    try:
        svc.start()
        yield svc
    finally:
        if svc.process is not None and svc.process.poll() is None:
            svc.process.send_signal(signal.SIGTERM)
            try:
                svc.process.wait(60)
            except subprocess.TimeoutExpired:
                svc.process.kill()
        if svc._store is not None:
            svc._store.engine.dispose()
        from pipeline.runtime import forget_runtimes

        forget_runtimes()
        drop_database(apx_db)
        drop_database(prefect_db.replace("+asyncpg", "+psycopg"))
