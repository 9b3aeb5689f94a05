"""Median per-file parse time over a folder of PDFs: in-process, bounded worker, and before.

    python tools/parse_overhead.py [sample_data/invoices] [--repeat 9] [--baseline-ref REF]

Modes: `in-process` is `parse_pdf(..., ParseLimits(isolate=False))` (every check, no worker);
`bounded` is the default `parse_pdf` (the reused worker under time and memory limits);
`baseline` (with --baseline-ref) is `extractors/pdf.py` as it was at a git ref, e.g. the
commit before bounded parsing. Each file is parsed once per mode to warm up (imports, the
worker's start), then `repeat` rounds that alternate the modes, so that the load of a busy
machine hits every mode alike. The per-file median is taken, then the median over files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.limits import ParseLimits  # noqa: E402
from extractors.pdf import UnreadableDocument, parse_pdf  # noqa: E402


def _module_at(ref: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:extractors/pdf.py"],
        check=True, capture_output=True, text=True,
    ).stdout
    module = types.ModuleType("baseline_pdf")
    exec(compile(source, f"{ref}:extractors/pdf.py", "exec"), module.__dict__)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", nargs="?", default=ROOT / "sample_data/invoices", type=Path)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--baseline-ref", help="git ref of the code to compare against")
    args = parser.parse_args(argv)
    local, bounded = ParseLimits(isolate=False), ParseLimits()
    modes: dict[str, Callable[[Path], object]] = {}
    if args.baseline_ref:
        old = _module_at(args.baseline_ref)
        modes["baseline"] = lambda p: old.parse_pdf(p, "bench")
    modes["in-process"] = lambda p: parse_pdf(p, "bench", local)
    modes["bounded"] = lambda p: parse_pdf(p, "bench", bounded)
    errors: tuple[type[Exception], ...] = (UnreadableDocument,)
    if args.baseline_ref:
        errors += (old.UnreadableDocument,)

    files = sorted(args.folder.glob("*.pdf"))
    per_file: dict[str, list[float]] = {mode: [] for mode in modes}
    unreadable = 0
    for path in files:
        try:
            for parse in modes.values():
                parse(path)  # warm-up
        except errors:
            unreadable += 1
            continue
        times: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(args.repeat):
            for mode, parse in modes.items():
                start = time.perf_counter()
                parse(path)
                times[mode].append(time.perf_counter() - start)
        for mode, values in times.items():
            per_file[mode].append(median(values))

    print(f"{len(files)} files ({unreadable} unreadable, skipped), "
          f"{args.repeat} alternating rounds per file")
    result = {mode: median(values) for mode, values in per_file.items()}
    for mode, value in result.items():
        print(f"  {mode:>10}: median {value * 1000:6.1f} ms per file")
    reference = "baseline" if "baseline" in result else "in-process"
    print(f"  ratio bounded / {reference}: {result['bounded'] / result[reference]:.3f}")
    if reference == "baseline":
        print(f"  ratio in-process / baseline: {result['in-process'] / result['baseline']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
