"""Parse the hostile corpus under the default limits: file -> outcome -> seconds -> peak MB.

    python tools/hostile_report.py [--keep DIR] [--limits '{"max_seconds": 10}']

Every file gets a fresh, warmed-up worker, so "peak MB" is that file's own peak resident
memory in the worker ("-": refused by the caller's checks, no worker involved). The last
lines give this process's own peak, which the bombs must not touch.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.bounded import BoundedParser  # noqa: E402
from extractors.limits import ParseLimits  # noqa: E402
from tests.hostile.build_corpus import CASES, READABLE, build_all  # noqa: E402


def _own_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _outcome(reason: str | None) -> str:
    if reason is None:
        return "readable"
    return reason if len(reason) <= 78 else reason[:75] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--limits", default="{}", help="ParseLimits overrides, as JSON")
    args = parser.parse_args(argv)
    limits = ParseLimits.model_validate(json.loads(args.limits))
    folder = args.keep or Path(tempfile.mkdtemp(prefix="apx-hostile-"))
    started = time.perf_counter()
    paths = build_all(folder)
    built = time.perf_counter() - started
    print(f"corpus: {len(paths)} files in {folder} (built in {built:.1f} s)")
    print(f"limits: {limits.model_dump(exclude={'isolate'})}\n")
    before = _own_peak_mb()

    rows: list[tuple[str, str, float, float | None, bool]] = []
    width = max(len(ascii(case.name)) for case in CASES) - 2
    width = min(width, 34)
    print(f"{'file':<{width}}  {'seconds':>7}  {'peak MB':>7}  ok  outcome")
    for case in CASES:
        with BoundedParser(limits) as bounded:
            bounded.warm()
            run = bounded.run(paths[case.name], "report")
        ok = (run.document is not None) if case.expect == READABLE else (
            run.reason is not None and case.expect in run.reason)
        rows.append((case.kind, _outcome(run.reason), run.seconds, run.peak_rss_mb, ok))
        name = ascii(case.name)[1:-1]
        name = name if len(name) <= width else name[: width - 3] + "..."
        peak = f"{run.peak_rss_mb:7.0f}" if run.peak_rss_mb is not None else f"{'-':>7}"
        print(f"{name:<{width}}  {run.seconds:7.2f}  {peak}  {'✓' if ok else '✗':>2}  "
              f"{_outcome(run.reason)}", flush=True)

    peaks = [row[3] for row in rows if row[3] is not None]
    print(f"\n{len(rows)} files, {sum(row[4] for row in rows)} as expected; "
          f"{sum(row[1] == 'readable' for row in rows)} readable, "
          f"{sum(row[1] != 'readable' for row in rows)} unreadable")
    by_kind = Counter((row[0], "readable" if row[1] == "readable" else "unreadable")
                      for row in rows)
    print("by kind: " + ", ".join(f"{kind} {end} {count}"
                                  for (kind, end), count in sorted(by_kind.items())))
    print(f"worst worker peak: {max(peaks):.0f} MB; longest: {max(r[2] for r in rows):.1f} s")
    print(f"this process: peak {before:.0f} MB before parsing, {_own_peak_mb():.0f} MB after")
    return 0 if all(row[4] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
