"""`apx serve`: APX as an event-driven service on one machine.

- a Prefect server with its own database (SQLite in APX's home, or PostgreSQL) and the V1 UI;
- the APX deployments, served by this process with a limit on concurrent runs (so a burst
  of files waits in Prefect instead of overloading the model or the database):
  `process-invoice` (started by the `invoice.received` event), `review-invoice` (one
  suspended run per invoice waiting for a person),
  `rematch-on-receipt` (started by `receipt.posted`) and `escalate-reviews` (scheduled);
- an inbox watcher: a file whose size and modification time stopped changing is hashed and
  announced once per content as `invoice.received`; new rows in the ERP's goods receipts
  are announced as `receipt.posted`.

Stopping (Ctrl-C, SIGTERM) loses nothing: files in the inbox that are not finished are
announced again at the next start (every stage is idempotent), review runs that were
interrupted are rescheduled, and suspended reviews simply stay suspended.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.runtime import RunSpec, runtime_for

log = logging.getLogger("apx.serve")

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".swp", ".partial", ".download")
PROCESS_DEPLOYMENT = "process-invoice/apx"


@dataclass(frozen=True)
class ServeOptions:
    inbox: Path
    spec: RunSpec
    host: str = "127.0.0.1"
    port: int = 4200
    workers: int = 2
    """How many invoices are processed at once (the runner's concurrency limit is this plus
    one, so a review or escalation run is not stuck behind a burst)."""
    settle_seconds: float = 0.5
    """A file is read once its size and modification time stayed the same this long."""
    poll_seconds: float = 0.2
    escalation_check_seconds: int = 300

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def configure_client(options: ServeOptions) -> None:
    """Point this process (and the flow runs it starts) at the APX Prefect server."""
    os.environ["PREFECT_API_URL"] = options.api_url
    os.environ["PREFECT_UI_URL"] = options.ui_url
    os.environ["PREFECT_UI_API_URL"] = options.api_url
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "1")
    auth = os.environ.get("PREFECT_SERVER_API_AUTH_STRING")
    if auth:  # the server asks for basic auth: so must every client
        os.environ.setdefault("PREFECT_API_AUTH_STRING", auth)


# -- the Prefect server -----------------------------------------------------------------------

def start_server(options: ServeOptions, log_file: Path) -> subprocess.Popen[bytes]:
    """`prefect server start` in its own process group, logging to `log_file`."""
    prefect = Path(sys.executable).with_name("prefect")
    command = ([str(prefect)] if prefect.exists() else [sys.executable, "-m", "prefect"]) + [
        "server", "start", "--host", options.host, "--port", str(options.port)]
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    # The escalation check runs every few minutes: keep a handful of runs scheduled ahead,
    # not Prefect's default hundred, which would fill the UI's run list.
    env.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS", "3")
    env.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_MIN_RUNS", "1")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)


def wait_healthy(api_url: str, process: subprocess.Popen[bytes] | None = None,
                 timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(f"{api_url}/health")
    auth = os.environ.get("PREFECT_API_AUTH_STRING")
    if auth:
        import base64

        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"the Prefect server did not answer at {api_url} within {timeout:.0f} s")


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
    except ProcessLookupError:
        pass


# -- the inbox watcher ------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float
    done: bool = False


@dataclass
class InboxWatcher:
    """Announces each new, completely written file of the inbox once per content.

    A file counts as written when its size and modification time have not changed for
    `settle_seconds` (writers that rename a finished temporary file in are safe at once;
    names starting with '.' or '~' and partial-download suffixes are ignored). The same
    content under another name, or again later, is announced once: `known(sha)` says whether
    APX finished it already (e.g. before a restart).
    """

    inbox: Path
    announce: Callable[[Path, str, int], None]
    known: Callable[[str], bool] = lambda sha: False
    taken_in: Callable[[str], bool] = lambda sha: True
    """Whether processing of this content has begun (APX registered it)."""
    in_flight: Callable[[Path], bool] = lambda path: False
    """Whether a run for this file is scheduled or running (waiting for a free slot)."""
    confirm_seconds: float = 20.0
    settle_seconds: float = 0.5
    poll_seconds: float = 0.2
    _files: dict[Path, _Seen] = field(default_factory=dict)
    _hashes: dict[str, Path] = field(default_factory=dict)
    _unconfirmed: dict[str, tuple[Path, int, float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def poll(self, now: float | None = None) -> list[Path]:
        """One look at the inbox; the files announced."""
        at = time.monotonic() if now is None else now
        present: set[Path] = set()
        announced: list[Path] = []
        try:
            entries = list(os.scandir(self.inbox))
        except FileNotFoundError:
            return []
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~")) or name.lower().endswith(IGNORED_SUFFIXES):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                stat = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            path = Path(entry.path)
            present.add(path)
            signature = (stat.st_size, stat.st_mtime_ns)
            seen = self._files.get(path)
            if seen is None or seen.signature != signature:
                self._files[path] = _Seen(signature, at)
                continue
            if seen.done or at - seen.since < self.settle_seconds:
                continue
            if self._take(path, signature, at):
                announced.append(path)
            seen.done = True
        for gone in set(self._files) - present:
            del self._files[gone]
        return announced

    def _take(self, path: Path, signature: tuple[int, int], at: float) -> bool:
        try:
            sha = sha256_file(path)
            stat = path.stat()
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != signature:  # changed while hashing: wait again
            self._files[path] = _Seen((stat.st_size, stat.st_mtime_ns), time.monotonic())
            return False
        if sha in self._hashes:
            log.info("%s has the same content as %s: not processed again", path.name,
                     self._hashes[sha].name)
            return False
        self._hashes[sha] = path
        if self.known(sha):
            log.info("%s was processed before", path.name)
            return False
        if self.in_flight(path):  # a run from before a restart will still take it
            log.info("%s is waiting for its run", path.name)
            self._unconfirmed[sha] = (path, signature[0], at)
            return False
        self.announce(path, sha, signature[0])
        self._unconfirmed[sha] = (path, signature[0], at)
        return True

    def confirm(self, now: float | None = None) -> list[Path]:
        """Announce again a file whose event started nothing (e.g. one emitted while the
        Prefect server was still starting its services); the files announced again."""
        at = time.monotonic() if now is None else now
        again = []
        for sha, (path, size, since) in list(self._unconfirmed.items()):
            if self.taken_in(sha) or not path.exists():
                del self._unconfirmed[sha]
            elif at - since >= self.confirm_seconds:
                if not self.in_flight(path):
                    log.warning("%s: no run started %.0f s after invoice.received; announcing "
                                "it again", path.name, at - since)
                    self.announce(path, sha, size)
                    again.append(path)
                self._unconfirmed[sha] = (path, size, at)
        return again

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
                self.confirm()
            except Exception:  # a watcher that dies silently would lose every later file
                log.exception("inbox watcher: unexpected error (continuing)")
            self._stop.wait(self.poll_seconds)

    def stop(self) -> None:
        self._stop.set()


@dataclass
class ReceiptWatcher:
    """Announces goods receipts that appear in the ERP export as `receipt.posted`."""

    receipts_file: Path
    announce: Callable[[dict[str, Any]], None]
    _signature: tuple[int, int] | None = None
    _known: set[tuple[str, int]] = field(default_factory=set)

    def prime(self) -> None:
        self._signature = self._stat()
        self._known = {(r["receipt_id"], r["line_no"]) for r in self._read()}

    def _stat(self) -> tuple[int, int] | None:
        try:
            stat = self.receipts_file.stat()
        except FileNotFoundError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def _read(self) -> list[dict[str, Any]]:
        from erp.csv_master import MasterDataError, load_receipts

        try:
            receipts = load_receipts(self.receipts_file)
        except MasterDataError as error:
            log.warning("goods receipts not read: %s", error)
            return []
        return [{"receipt_id": r.receipt_id, "po_number": r.po_number, "line_no": r.line_no,
                 "quantity": str(r.quantity_received), "date": r.received_date.isoformat()}
                for r in receipts]

    def poll(self) -> list[dict[str, Any]]:
        signature = self._stat()
        if signature == self._signature:
            return []
        self._signature = signature
        new = []
        for receipt in self._read():
            key = (receipt["receipt_id"], receipt["line_no"])
            if key not in self._known:
                self._known.add(key)
                new.append(receipt)
                self.announce(receipt)
        return new


# -- events and deployments -------------------------------------------------------------------

def announce_invoice(path: Path, sha: str, size: int) -> None:
    from prefect.events import emit_event

    emit_event("invoice.received",
               resource={"prefect.resource.id": f"apx.invoice.{sha}",
                         "prefect.resource.name": path.name},
               payload={"path": str(path.resolve()), "sha256": sha, "bytes": size})
    log.info("invoice.received %s (%s)", path.name, sha[:12])


def announce_receipt(receipt: dict[str, Any]) -> None:
    from prefect.events import emit_event

    emit_event("receipt.posted",
               resource={"prefect.resource.id":
                         f"apx.receipt.{receipt['receipt_id']}.{receipt['line_no']}",
                         "prefect.resource.name": receipt["receipt_id"]},
               payload=receipt)
    log.info("receipt.posted %s for %s", receipt["receipt_id"], receipt["po_number"])


def deployments(options: ServeOptions) -> list[Any]:
    """The APX deployments this process serves, with their parameters and schedule."""
    from prefect.types.entrypoint import EntrypointType

    from flows.process import process_invoice, rematch_on_receipt
    from flows.review import DEPLOYMENT, escalate_reviews, review_invoice

    spec = options.spec.model_dump(mode="json")
    module = EntrypointType.MODULE_PATH
    return [
        process_invoice.to_deployment(
            name=DEPLOYMENT, entrypoint_type=module,
            parameters={"spec": spec, "request_review": True}, tags=["apx"],
            description="One invoice file from intake to a decision; started by "
                        "invoice.received.",
        ),
        review_invoice.to_deployment(
            name=DEPLOYMENT, entrypoint_type=module, parameters={"spec": spec}, tags=["apx"],
            description="Waits (suspended) for a person's decision on one invoice in review.",
        ),
        rematch_on_receipt.to_deployment(
            name=DEPLOYMENT, entrypoint_type=module,
            parameters={"spec": spec, "request_review": True}, tags=["apx"],
            description="Invoices on hold for a receipt, matched again; started by "
                        "receipt.posted.",
        ),
        escalate_reviews.to_deployment(
            name=DEPLOYMENT, entrypoint_type=module, parameters={"spec": spec}, tags=["apx"],
            interval=options.escalation_check_seconds, paused=False,
            description="Moves reviews left unanswered to the next role (policy "
                        "review.escalate_after_minutes).",
        ),
    ]


def triggers() -> dict[str, Any]:
    """Deployment name -> the event trigger that starts it."""
    from prefect.events import DeploymentEventTrigger

    return {
        "process-invoice": DeploymentEventTrigger(
            name="apx: invoice received", expect={"invoice.received"},
            match={"prefect.resource.id": "apx.invoice.*"},
            parameters={"path": "{{ event.payload.path }}"}),
        "rematch-on-receipt": DeploymentEventTrigger(
            name="apx: receipt posted", expect={"receipt.posted"},
            match={"prefect.resource.id": "apx.receipt.*"},
            parameters={"po_number": "{{ event.payload.po_number }}"}),
    }


def ensure_triggers(deployment_ids: dict[str, Any]) -> None:
    """The automations that start deployments on events, created once and kept.

    `to_deployment(triggers=...)` would delete and re-create them every time the deployments
    are applied (twice per start); an event emitted in between starts nothing. These are
    owned by no deployment, so applying leaves them alone; one that differs is replaced.
    """
    from prefect import get_client

    with get_client(sync_client=True) as client:
        for flow_name, trigger in triggers().items():
            trigger.set_deployment_id(deployment_ids[flow_name])
            wanted = trigger.as_automation().model_copy(update={"owner_resource": None})
            same = {"trigger", "actions", "enabled"}
            existing = client.read_automations_by_name(wanted.name)
            if any(found.model_dump(mode="json", include=same)
                   == wanted.model_dump(mode="json", include=same) for found in existing) \
                    and len(existing) == 1:
                continue
            for found in existing:
                client.delete_automation(found.id)
            client.create_automation(wanted)


def recover(options: ServeOptions) -> list[str]:
    """At start: every invoice in review has a live review run (interrupted ones rescheduled,
    missing ones started); returns the invoice ids acted on."""
    from prefect import get_client
    from prefect.states import Scheduled

    from flows.review import request_review

    rt = runtime_for(options.spec)
    acted = []
    for invoice_id in _waiting(rt):
        case = rt.store.reviews.case(invoice_id)
        run_id = case.flow_run_id if case else None
        if run_id is None:
            request_review(options.spec, invoice_id)
            acted.append(invoice_id)
            continue
        with get_client(sync_client=True) as client:
            try:
                run = client.read_flow_run(_uuid(run_id))
            except Exception:  # the Prefect database was replaced: start the review anew
                run = None
            if run is None:
                rt.store.reviews.set_flow_run(invoice_id, "")
                request_review(options.spec, invoice_id)
                acted.append(invoice_id)
            elif run.state is None or run.state.is_paused() or run.state.is_scheduled():
                continue
            else:  # running when we stopped, cancelled by the shutdown, crashed or failed
                client.set_flow_run_state(run.id, Scheduled(), force=True)
                acted.append(invoice_id)
    return acted


def _waiting(rt: Any) -> list[str]:
    from pipeline.review import waiting_for_review

    return waiting_for_review(rt)


def _uuid(text: str) -> Any:
    from uuid import UUID

    return UUID(text)


def catch_up_receipts(options: ServeOptions, announce: Callable[[dict[str, Any]], None]) -> None:
    """Receipts posted while APX was stopped: announce those for POs with invoices on hold."""
    rt = runtime_for(options.spec)
    from erp.csv_master import load_receipts

    try:
        receipts = load_receipts(Path(options.spec.erp_dir) / "goods_receipts.csv")
    except Exception:
        return
    announced: set[str] = set()
    for receipt in receipts:
        if receipt.po_number in announced or not rt.store.held_on_po(receipt.po_number):
            continue
        announced.add(receipt.po_number)
        announce({"receipt_id": receipt.receipt_id, "po_number": receipt.po_number,
                  "line_no": receipt.line_no, "quantity": str(receipt.quantity_received),
                  "date": receipt.received_date.isoformat()})


def finished(options: ServeOptions) -> Callable[[str], bool]:
    rt = runtime_for(options.spec)

    def check(sha: str) -> bool:
        row = rt.store.invoice(sha)
        return row is not None and row.decision is not None and row.status in {
            "decided", "posted", "unreadable"}

    return check


def taken_in(options: ServeOptions) -> Callable[[str], bool]:
    rt = runtime_for(options.spec)
    return lambda sha: rt.store.invoice(sha) is not None


def in_flight(path: Path) -> bool:
    """A process-invoice run for this file that has not finished yet (scheduled, waiting for a
    slot, pending or running)."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    active = [StateType.SCHEDULED, StateType.PENDING, StateType.RUNNING]
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["apx"])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=active))),
            limit=200)
    target = str(path.resolve())
    return any(run.parameters.get("path") == target for run in runs)


def run_service(options: ServeOptions, *, home: Path, on_ready: Callable[[], None]) -> None:
    """Start everything, block until Ctrl-C or SIGTERM, then stop everything."""
    configure_client(options)  # before Prefect is imported: it reads its settings once
    from prefect import serve

    options.inbox.mkdir(parents=True, exist_ok=True)
    server = start_server(options, home / "prefect-server.log")
    watcher: InboxWatcher | None = None
    thread: threading.Thread | None = None
    try:
        wait_healthy(options.api_url, server)
        runtime_for(options.spec)  # fail fast: ERP data, database, policy
        served = deployments(options)
        ids = {deployment.flow_name: deployment.apply() for deployment in served}
        ensure_triggers(ids)  # before the watcher emits anything
        recover(options)
        receipts = ReceiptWatcher(Path(options.spec.erp_dir) / "goods_receipts.csv",
                                  announce_receipt)
        receipts.prime()
        catch_up_receipts(options, announce_receipt)
        watcher = InboxWatcher(options.inbox, announce_invoice, finished(options),
                               taken_in=taken_in(options), in_flight=in_flight,
                               settle_seconds=options.settle_seconds,
                               poll_seconds=options.poll_seconds)

        def watch() -> None:
            assert watcher is not None
            last_receipts = 0.0
            while not watcher._stop.is_set():
                try:
                    watcher.poll()
                    if time.monotonic() - last_receipts >= 1.0:
                        last_receipts = time.monotonic()
                        receipts.poll()
                        watcher.confirm()
                except Exception:
                    log.exception("watcher: unexpected error (continuing)")
                watcher._stop.wait(options.poll_seconds)

        thread = threading.Thread(target=watch, name="apx-inbox-watcher", daemon=True)
        thread.start()
        on_ready()
        # The runner's limit bounds the flow-run processes (each loads the model and opens
        # the database): a burst waits as Scheduled runs instead of overloading the machine.
        # (A deployment concurrency_limit would do the same per deployment, but in Prefect
        # 3.9.1 its lease is lost between Pending and Running with served deployments and
        # the runs end Cancelled: "Deployment concurrency slot lost during provisioning".)
        serve(*served, print_starting_message=False, pause_on_shutdown=True,
              limit=options.workers + 1)
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.stop()
        if thread is not None:
            thread.join(5)
        stop_process(server)
