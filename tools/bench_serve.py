"""Measure `apx serve`: inbox → flow running, one file at a time and a burst of 20.

    PYTHONPATH=. .venv/bin/python tools/bench_serve.py

Starts a service on scratch PostgreSQL databases (as the integration test does), then
1. drops 20 sample invoices one by one, each after the previous one finished, and reports
   the time from the file landing to its process-invoice run being Running (median, max);
2. drops 20 other sample invoices at once and reports the time until the last one is
   decided, and whether each was processed exactly once.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.serve_helpers import SAMPLES, Service, service, wait_for


def run_of(svc: Service, name: str) -> Any:
    for run in svc.flow_runs("process-invoice"):
        if Path(str(run.parameters.get("path", ""))).name == name:
            return run
    return None


def decided(svc: Service, names: set[str]) -> bool:
    rows = {row.file_name: row for row in svc.store.invoices()}
    return all(name in rows and rows[name].decision is not None
               and rows[name].status in {"decided", "posted", "unreadable"} for name in names)


def main() -> None:
    files = sorted(p.name for p in (SAMPLES / "invoices").glob("*.pdf"))
    one_by_one, burst = files[:20], files[20:40]
    with tempfile.TemporaryDirectory() as tmp, service(Path(tmp)) as svc:
        latencies = []
        for name in one_by_one:
            landed = datetime.now(UTC)
            svc.drop(name)
            def running(n: str = name) -> Any:
                run = run_of(svc, n)
                return run if run is not None and run.start_time is not None else None

            run = wait_for(running, 120, f"{name} running", 0.1)
            latencies.append((run.start_time - landed).total_seconds())
            wait_for(partial(decided, svc, {name}), 180, f"{name} decided", 0.2)
        print(f"inbox -> flow running, one by one (n={len(latencies)}): "
              f"median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s, "
              f"min {min(latencies):.2f} s")
        print("  each:", " ".join(f"{x:.1f}" for x in latencies))

        started = time.monotonic()
        for name in burst:
            svc.drop(name)
        wait_for(lambda: decided(svc, set(burst)), 900, "the burst to be decided", 0.5)
        elapsed = time.monotonic() - started
        runs = [Path(str(r.parameters["path"])).name for r in svc.flow_runs("process-invoice")]
        per_file = {name: runs.count(name) for name in burst}
        invoices = [row.file_name for row in svc.store.invoices()]
        print(f"20 at once: last decided after {elapsed:.1f} s; runs per file: "
              f"{sorted(set(per_file.values()))}; invoices per file: "
              f"{sorted({invoices.count(n) for n in burst})}")


if __name__ == "__main__":
    main()
