"""Parse PDFs in a reused worker process under a memory limit and a wall-clock timeout.

pdfplumber cannot bound its own time or memory: a 1 MB file can inflate to gigabytes, a
page of tiny text can take seconds and hundreds of MB. So the parse runs in a worker
process and a hostile file kills only the worker, then ends as `UnreadableDocument` like
any other bad file. Three bounds, all per document:

- time: the caller stops waiting after `max_seconds` and kills the worker;
- memory: while it waits, the caller reads the worker's resident size (/proc, every
  25 ms) and kills it above `max_memory_mb`. Killing from outside is the dependable way:
  a CPython that runs out of memory inside itself often dies in its own error handling;
- address space: the worker caps itself at twice `max_memory_mb` with
  `setrlimit(RLIMIT_AS)`, so a single huge allocation (a 1 GB inflate) fails at once,
  inside the worker, as a MemoryError it reports.

Cheap for normal invoices: the worker starts once (~0.3 s, not charged to any document)
and is reused; a document costs one round trip over a socket and the pickling of its
ParsedDocument (~1 ms). A worker is replaced when it dies, is killed, has grown past half
the memory limit, or after `recycle_after` documents; the replacement starts at once,
while the caller carries on.

The worker is a plain `python -c` subprocess, not multiprocessing: no re-import of the
caller's __main__, no threads or locks inherited from a forked parent.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal

from extractors import limits as reasons
from extractors.limits import MB, ParseLimits
from extractors.pdf import UnreadableDocument, check_file, read_pdf
from models.documents import ParsedDocument

try:
    import resource
except ImportError:  # pragma: no cover - Windows: parse_pdf falls back to in-process parsing
    AVAILABLE = False
else:
    AVAILABLE = True

log = logging.getLogger(__name__)

STARTUP_SECONDS = 60.0  # starting a worker (imports) is not charged to any document
WATCH_SECONDS = 0.025  # how often the caller reads the worker's memory while it waits
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from extractors.bounded import serve; serve(int(sys.argv[2]), int(sys.argv[3]))"
)


class WorkerStartError(RuntimeError):
    """The parser worker could not start: a deployment problem, not the document's fault."""


@dataclass(frozen=True)
class ParseRun:
    """One document through the worker, with what it cost."""

    document: ParsedDocument | None
    reason: str | None  # the UnreadableDocument reason when document is None
    seconds: float
    peak_rss_mb: float | None  # the worker's peak resident memory (its life so far)
    worker_replaced: bool  # the worker died, was killed or recycled after this document


class _Lost(Exception):
    """The worker gave no answer: killed for time or memory, or died."""

    def __init__(self, cause: Literal["time", "memory", "died"], peak_mb: float | None,
                 returncode: int | None) -> None:
        super().__init__(cause, peak_mb, returncode)
        self.cause = cause
        self.peak_mb = peak_mb
        self.returncode = returncode


def _memory_mb(pid: int | str) -> tuple[float, float] | None:
    """(resident, peak resident) MB of a process, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            fields = dict(line.split(b":", 1) for line in status if line.startswith(b"Vm"))
        return int(fields[b"VmRSS"].split()[0]) / 1024, int(fields[b"VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return None


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        parent, child = socket.socketpair()
        root = str(Path(__file__).resolve().parent.parent)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, root, str(child.fileno()), str(memory_mb)],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        except OSError as exc:
            parent.close()
            raise WorkerStartError(f"cannot start the PDF parser worker: {exc}") from exc
        finally:
            child.close()
        self.conn = Connection(parent.detach())
        self.ready = False
        self.tasks = 0
        self.peak_mb: float | None = None

    def wait_ready(self) -> None:
        if self.ready:
            return
        try:
            if not self.conn.poll(STARTUP_SECONDS):
                raise WorkerStartError("the PDF parser worker did not start in time")
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.stop(kill=True)
            raise WorkerStartError(
                f"the PDF parser worker exited on start (code {self.process.returncode}); "
                "see its stderr"
            ) from exc
        if message != "ready":  # pragma: no cover - protocol guard
            raise WorkerStartError(f"unexpected message from the worker: {message!r}")
        self.ready = True

    def parse(self, path: Path, sha256: str, limits: ParseLimits) -> tuple[str, Any]:
        """("ok", ParsedDocument) or ("unreadable", reason); raises _Lost."""
        self.wait_ready()
        self.tasks += 1
        deadline = time.monotonic() + limits.max_seconds
        try:
            self.conn.send((str(path), sha256, limits))
            while not self.conn.poll(min(WATCH_SECONDS, max(deadline - time.monotonic(), 0))):
                memory = _memory_mb(self.process.pid)
                if memory is not None:
                    self.peak_mb = max(self.peak_mb or 0.0, memory[1])
                    if memory[0] > limits.max_memory_mb:
                        self.stop(kill=True)
                        raise _Lost("memory", self.peak_mb, self.process.returncode)
                if time.monotonic() >= deadline:
                    self.stop(kill=True)
                    raise _Lost("time", self.peak_mb, self.process.returncode)
            kind, payload, peak = self.conn.recv()
        except (EOFError, OSError) as exc:  # died: a crash, or killed by someone else
            self.stop(kill=True)
            raise _Lost("died", self.peak_mb, self.process.returncode) from exc
        self.peak_mb = float(peak)
        return str(kind), payload

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, kill: bool = False) -> None:
        """End the worker: close its socket (it exits on EOF), or kill it; then reap it."""
        with contextlib.suppress(OSError):
            self.conn.close()
        if kill:
            with contextlib.suppress(OSError):
                self.process.kill()
        try:
            self.process.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class BoundedParser:
    """A small pool of reused parser workers; thread-safe. `workers` run concurrently.

    `limits.max_memory_mb` sets the workers' address-space cap (fixed for the pool); every
    other limit, and the resident-memory watch, apply per call.
    """

    def __init__(
        self, limits: ParseLimits | None = None, workers: int = 1, recycle_after: int = 500
    ) -> None:
        self.limits = limits or ParseLimits()
        self.recycle_after = recycle_after
        self._idle: list[_Worker] = []
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._closed = False
        self.owner_pid = os.getpid()

    def parse(
        self, path: Path, sha256: str, limits: ParseLimits | None = None
    ) -> ParsedDocument:
        """Same result and errors as `extractors.pdf.read_pdf`, within the limits."""
        run = self.run(path, sha256, limits)
        if run.document is None:
            raise UnreadableDocument(run.reason or reasons.parser_crashed())
        return run.document

    def run(self, path: Path, sha256: str, limits: ParseLimits | None = None) -> ParseRun:
        """Parse and report the cost; a bad file gives `reason`, never an exception."""
        limits = limits or self.limits
        started = time.perf_counter()
        try:
            check_file(path, limits)  # no round trip for empty, huge or non-PDF files
        except UnreadableDocument as bad:
            return ParseRun(None, bad.reason, time.perf_counter() - started, None, False)
        for attempt in (1, 2):
            worker = self._checkout()
            healthy = False
            try:
                kind, payload = worker.parse(path, sha256, limits)
                healthy = (
                    worker.alive
                    and worker.tasks < self.recycle_after
                    # a heap that grew large stays large: start afresh after a big document
                    and (worker.peak_mb or 0.0) < self.limits.max_memory_mb / 2
                )
            except _Lost as lost:
                near_limit = (lost.peak_mb or 0.0) > limits.max_memory_mb / 2
                if lost.cause == "died" and not near_limit and attempt == 1:
                    log.warning("PDF parser worker died (code %s) on %s; retrying once",
                                lost.returncode, path.name)
                    continue  # (finally: replaced) a crash unrelated to the file is retried
                reason = (
                    reasons.too_slow(limits)
                    if lost.cause == "time"
                    else reasons.too_much_memory(limits)
                    if lost.cause == "memory" or near_limit
                    else reasons.parser_crashed()
                )
                return ParseRun(None, reason, time.perf_counter() - started, lost.peak_mb, True)
            finally:
                self._checkin(worker, healthy)
            seconds = time.perf_counter() - started
            if kind == "ok":
                return ParseRun(payload, None, seconds, worker.peak_mb, not healthy)
            return ParseRun(None, str(payload), seconds, worker.peak_mb, not healthy)
        raise AssertionError("unreachable")  # pragma: no cover

    def warm(self) -> None:
        """Start a worker now (~0.3 s) rather than on the first document."""
        worker = self._checkout()
        try:
            worker.wait_ready()
        except BaseException:
            self._checkin(worker, healthy=False, replace=False)
            raise
        self._checkin(worker, healthy=True)

    def _checkout(self) -> _Worker:
        self._slots.acquire()
        try:
            with self._lock:
                if self._closed:
                    raise RuntimeError("the parser is closed")
                worker = self._idle.pop() if self._idle else None
            return worker if worker is not None else _Worker(self.limits.max_memory_mb)
        except BaseException:
            self._slots.release()
            raise

    def _checkin(self, worker: _Worker, healthy: bool, replace: bool = True) -> None:
        try:
            if not healthy:
                worker.stop()  # already reaped if it died or was killed
                if not replace:
                    return
                worker = _Worker(self.limits.max_memory_mb)  # starts while the caller goes on
            with self._lock:
                if not self._closed:
                    self._idle.append(worker)
                    return
            worker.stop()
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop the workers (they also exit by themselves when the caller's process ends)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def __enter__(self) -> BoundedParser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: BoundedParser | None = None
_shared_lock = threading.Lock()


def shared_parser(limits: ParseLimits) -> BoundedParser:
    """The process-wide parser `parse_pdf` uses, (re)made when the memory limit changes."""
    global _shared
    with _shared_lock:
        current = _shared
        if (
            current is None
            or current.owner_pid != os.getpid()  # a forked child never shares its parent's
            or current.limits.max_memory_mb != limits.max_memory_mb
        ):
            if current is not None and current.owner_pid == os.getpid():
                current.close()
            _shared = current = BoundedParser(limits)
        return current


@atexit.register
def _close_shared() -> None:
    if _shared is not None and _shared.owner_pid == os.getpid():
        _shared.close()


# ---- the worker side -------------------------------------------------------------------


def serve(fd: int, memory_mb: int) -> None:
    """The worker's loop: read (path, sha256, limits), answer, until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    conn = Connection(fd)
    import pdfplumber  # noqa: F401  - imported once per worker, before the limits

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    _limit(resource.RLIMIT_CORE, 0)  # a crash on a bomb must not write a core file
    _limit(resource.RLIMIT_AS, 2 * memory_mb * MB)
    try:
        conn.send("ready")
    except OSError:
        return  # the caller went away while we started
    while True:
        try:
            path, sha256, limits = conn.recv()
        except (EOFError, OSError):
            return  # the caller closed the socket or exited
        _limit_cpu(limits.max_seconds)
        reply: tuple[str, Any, float]
        try:
            reply = ("ok", read_pdf(Path(path), sha256, limits), _peak_mb())
        except UnreadableDocument as bad:
            reply = ("unreadable", bad.reason, _peak_mb())
        except MemoryError:
            reply = ("unreadable", reasons.too_much_memory(limits), _peak_mb())
        except Exception:  # read_pdf turns pdfminer's errors into reasons: this is a bug
            log.exception("PDF parser worker: unexpected error on %s", path)
            reply = ("unreadable", reasons.parser_crashed(), _peak_mb())
        try:
            conn.send(reply)
        except MemoryError:  # the document is too big to send back
            conn.send(("unreadable", reasons.too_much_memory(limits), _peak_mb()))
        except OSError:
            return


def _limit(kind: int, soft: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        resource.setrlimit(kind, (soft, hard))
    except (OSError, ValueError) as exc:  # pragma: no cover - e.g. RLIMIT_AS on macOS
        log.warning("PDF parser worker: cannot set resource limit %s: %s", kind, exc)


def _limit_cpu(seconds: float) -> None:
    """Bound this document's CPU time too, should the caller vanish mid-parse (SIGXCPU)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    _limit(resource.RLIMIT_CPU, int(used.ru_utime + used.ru_stime + 2 * seconds + 5))


def _peak_mb() -> float:
    memory = _memory_mb("self")
    if memory is not None:
        return memory[1]
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover
