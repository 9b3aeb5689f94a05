"""Worker processes for the kill and race tests: test support, not product code.

Product code has no test hooks: `process_file(rt, path, run)` takes a stage runner, and the
runners here wrap `run_directly` to delay a stage (races) or to SIGKILL their own process
after a given stage of a given file, or inside a stage just before its unit of work commits.

As a script, one worker over a list of files, printing its progress (what the kill test
reads to kill it at a random point):

    python -m tests.workers SPEC.json FILES.json [--start I] [--wait-for START_FILE]
        [--kill-after STAGE:I] [--kill-before-commit STAGE:I]

    ready               the runtime is built (database open and migrated)
    file I              processing of file I starts
    done I STATUS HOW   file I ended in STATUS; HOW: processed (here), again (finished
                        before), elsewhere (another worker was processing it)
    finished            every file was processed

With `--batch SPEC.json FILES.json`, the files go through the Prefect batch flow instead.
With `--zygote`, one process imports everything and forks such a worker per command it
reads (the kill test restarts its worker many times). For races, `race_worker` is a
multiprocessing ('spawn') target: it waits at a barrier with
the other workers, then processes its copy, round after round.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier
from pathlib import Path
from queue import Queue
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("intake", "parse", "extract", "check", "classify", "decide", "post")


def die() -> None:
    """What a power cut or the OOM killer does: no cleanup, no rollback, no atexit."""
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class KillingRunner:
    """Runs each stage directly; SIGKILLs the process after stage `after[0]` of file number
    `after[1]`, or inside stage `before_commit[0]` of file `before_commit[1]`, just before
    its unit of work commits (its writes flushed to the database, not committed)."""

    after: tuple[str, int] | None = None
    before_commit: tuple[str, int] | None = None
    file_index: int = -1
    stage: str = ""
    ran: list[str] = field(default_factory=list)

    def __call__(self, stage: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        from pipeline.process import run_directly

        self.stage = stage.__name__
        self.ran.append(self.stage)
        result = run_directly(stage, *args, **kwargs)
        if self.after == (self.stage, self.file_index):
            die()
        return result

    def install_commit_hook(self) -> None:
        if self.before_commit is None:
            return
        from store.unit_of_work import UnitOfWork

        commit = UnitOfWork.commit

        def commit_or_die(uow: UnitOfWork) -> None:
            if (self.stage, self.file_index) == self.before_commit:
                uow.session.flush()  # the stage's writes are in the database, uncommitted
                die()
            commit(uow)

        UnitOfWork.commit = commit_or_die  # type: ignore[method-assign, assignment]


@dataclass
class DelayingRunner:
    """Runs each stage directly, sleeping first before the stages named in `delays`."""

    delays: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)
    """When each stage ran (wall clock, comparable between processes on one machine)."""

    def __call__(self, stage: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        from pipeline.process import run_directly

        pause = self.delays.get(stage.__name__, 0.0)
        if pause:
            time.sleep(pause)
        started = time.time()
        try:
            return run_directly(stage, *args, **kwargs)
        finally:
            self.spans[stage.__name__] = (started, time.time())


def _stage_at(text: str | None) -> tuple[str, int] | None:
    if text is None:
        return None
    stage, index = text.split(":")
    if stage not in STAGES:
        raise SystemExit(f"unknown stage {stage!r}")
    return stage, int(index)


def main(argv: list[str] | None = None) -> int:
    from pipeline.process import process_file
    from pipeline.runtime import RunSpec, runtime_for

    parser = argparse.ArgumentParser(prog="python -m tests.workers")
    parser.add_argument("spec", type=Path)
    parser.add_argument("files", type=Path)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--kill-after")
    parser.add_argument("--kill-before-commit")
    parser.add_argument("--wait-for", type=Path, help="start when this file exists")
    args = parser.parse_args(argv)
    spec = RunSpec.model_validate_json(args.spec.read_text())
    files = [Path(name) for name in json.loads(args.files.read_text())]
    runner = KillingRunner(after=_stage_at(args.kill_after),
                           before_commit=_stage_at(args.kill_before_commit))
    runner.install_commit_hook()
    runtime = runtime_for(spec)
    print("ready", flush=True)
    while args.wait_for is not None and not args.wait_for.exists():
        time.sleep(0.005)
    for index in range(args.start, len(files)):
        runner.file_index = index
        print(f"file {index}", flush=True)
        result = process_file(runtime, files[index], runner)
        how = ("elsewhere" if result.processed_elsewhere
               else "again" if result.duplicate_delivery else "processed")
        print(f"done {index} {result.status} {how}", flush=True)
    print("finished", flush=True)
    return 0


def race_worker(
    worker: int, spec_json: str, barrier: Barrier, tasks: Queue[Any], results: Queue[Any]
) -> None:
    """Round after round: take (round, path, delays), wait for the other workers at the
    barrier, process the file; put (round, worker, result or error) on `results`."""
    from pipeline.process import process_file
    from pipeline.runtime import RunSpec, runtime_for

    runtime = runtime_for(RunSpec.model_validate_json(spec_json))
    results.put(("ready", worker, None))
    while (task := tasks.get()) is not None:
        number, path, delays = task
        try:
            barrier.wait(timeout=120)
            runner = DelayingRunner(delays)
            result = process_file(runtime, Path(path), runner)
            results.put((number, worker, {**result.model_dump(mode="json"),
                                          "check_span": runner.spans.get("check")}))
        except Exception:
            results.put((number, worker, {"error": traceback.format_exc()}))
    runtime.store.engine.dispose()


def open_store(url: str, barrier: Barrier, results: Queue[Any]) -> None:
    """Open (and so migrate) the store at the barrier, with the other processes."""
    from store.repository import Store

    try:
        barrier.wait(timeout=120)
        Store.open(url).engine.dispose()
        results.put("ok")
    except Exception as error:
        results.put(repr(error))


def zygote() -> int:
    """Import everything once, then fork a worker per command line read from stdin (the
    arguments of `main`, as a JSON list): a restart costs the runtime, not the imports.

        pid PID             a worker was forked for the command
        exit CODE           it ended (-9: SIGKILL), the next command may come
    """
    import threading

    import pipeline.process
    import pipeline.runtime  # noqa: F401

    if threading.active_count() != 1:  # forking a process with threads is unsafe
        raise SystemExit("the zygote has threads after its imports; cannot fork")
    print("zygote ready", flush=True)
    for line in sys.stdin:
        argv = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                code = main(argv)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)
    return 0


def batch(argv: list[str]) -> int:
    """`--batch SPEC.json FILES.json`: the files through the Prefect batch flow
    (`apx.runner.run_files`, against PREFECT_API_URL), printing `done I STATUS` per file."""
    from apx.runner import run_files
    from pipeline.runtime import RunSpec

    spec = RunSpec.model_validate_json(Path(argv[0]).read_text())
    files = [Path(name) for name in json.loads(Path(argv[1]).read_text())]
    done = iter(range(len(files)))

    def report(result: Any) -> None:
        print(f"done {next(done)} {result.status}", flush=True)

    run_files(files, erp_dir=Path(spec.erp_dir), database_url=spec.database_url,
              documents_dir=Path(spec.documents_dir), policy_file=Path(spec.policy_file),
              as_of=spec.as_of, use_model=False, on_progress=report)
    print("finished", flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--zygote"]:
        raise SystemExit(zygote())
    if sys.argv[1:2] == ["--batch"]:
        raise SystemExit(batch(sys.argv[2:]))
    raise SystemExit(main())
