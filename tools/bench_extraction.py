"""Median parse + extract time per PDF (deterministic path, no model call).

python -m tools.bench_extraction sample_data/invoices/*.pdf
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from statistics import median

from extractors.extract import extract_invoice
from extractors.pdf import UnreadableDocument, parse_pdf

REPEAT = 5


def measure(path: Path) -> tuple[float, float] | None:
    """Median seconds (parse, extract) over REPEAT runs; None if the file is unreadable."""
    parse_times: list[float] = []
    extract_times: list[float] = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        try:
            doc = parse_pdf(path, "bench")
        except UnreadableDocument:
            return None
        middle = time.perf_counter()
        extract_invoice(doc, None, mode="never")
        parse_times.append(middle - start)
        extract_times.append(time.perf_counter() - middle)
    return median(parse_times), median(extract_times)


def main(argv: list[str]) -> int:
    parse_all: list[float] = []
    extract_all: list[float] = []
    for name in argv:
        result = measure(Path(name))
        if result is None:
            print(f"{name}: unreadable")
            continue
        parse_all.append(result[0])
        extract_all.append(result[1])
        print(f"{name}: parse {result[0] * 1000:.0f} ms, extract {result[1] * 1000:.1f} ms")
    if parse_all:
        print(
            f"median over {len(parse_all)} files: parse {median(parse_all) * 1000:.0f} ms, "
            f"extract {median(extract_all) * 1000:.1f} ms, "
            f"total {(median(parse_all) + median(extract_all)) * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
