"""Per-field accuracy of the deterministic extractor on a labelled set (no model call).

    python -m tools.extraction_accuracy sample_data [--show]

Compares invoice_number, invoice_date, po_number, currency, subtotal, tax and total with
truth.json; vendor_id is checked with a rough fuzzy match of the extracted vendor name to
erp/vendors.csv (the real vendor resolution lives in rules/).
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from extractors.extract import extract_invoice
from extractors.pdf import UnreadableDocument, parse_pdf

FIELDS = ("invoice_number", "invoice_date", "po_number", "currency", "subtotal", "tax", "total")


def _vendor_id(name: str | None, vendors: list[dict[str, str]]) -> str | None:
    if not name:
        return None
    best, score = None, 0.0
    for row in vendors:
        for candidate in [row["name"], *filter(None, row["aliases"].split(";"))]:
            s = fuzz.WRatio(name.casefold(), candidate.casefold())
            if s > score:
                best, score = row["vendor_id"], s
    return best if score >= 85 else None


def _same(field: str, expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if field in ("subtotal", "tax", "total"):
        return Decimal(str(expected)) == Decimal(str(got))
    return str(expected) == str(got)


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("sample_data")
    show = "--show" in argv
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    with (root / "erp" / "vendors.csv").open(encoding="utf-8") as handle:
        vendors = list(csv.DictReader(handle))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for item in truth["invoices"]:
        path = root / "invoices" / item["file"]
        expected: dict[str, Any] = item["fields"]
        try:
            doc = parse_pdf(path, hashlib.sha256(path.read_bytes()).hexdigest())
        except UnreadableDocument as exc:
            ok = "UNREADABLE_DOCUMENT" in item["patterns"]
            total["unreadable"] += 1
            right["unreadable"] += ok
            if show or not ok:
                print(f"{item['file']}: unreadable: {exc.reason}")
            continue
        extraction = extract_invoice(doc, None, mode="never")
        got = extraction.invoice.model_dump(mode="json")
        got["vendor_id"] = _vendor_id(extraction.invoice.vendor_name, vendors)
        misses = []
        for field in ("vendor_id", *FIELDS):
            if field not in expected and field != "vendor_id":
                continue
            want = expected.get(field)
            total[field] += 1
            if _same(field, want, got.get(field)):
                right[field] += 1
            else:
                misses.append(f"{field}: want {want!r} got {got.get(field)!r}")
        if "UNREADABLE_DOCUMENT" in item["patterns"]:
            misses.append("expected UNREADABLE_DOCUMENT")
        if misses or show:
            print(f"{item['file']}: vendor={extraction.invoice.vendor_name!r}")
            for miss in misses:
                print("   ", miss)
            if show:
                print("    unverified:", extraction.unverified)
    print()
    for field in ("vendor_id", *FIELDS, "unreadable"):
        if total[field]:
            print(
                f"{field:15} {right[field]:3}/{total[field]:<3} {right[field] / total[field]:.0%}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
