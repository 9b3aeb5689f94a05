"""Dev check: read the e-invoice XML of every PDF in an eval folder and score it.

    python -m tools.einvoice_check [/work/shared/realworld/zugferd-dev]   (from the repo root)

Compares invoice number, date, PO, currency, subtotal, tax and total with truth.json, the
seller with erp/vendors.csv (by tax id, else by name), and runs the printed-page cross-check
on pdfplumber's text. The truth there was made from the same XML: a miss is a reader bug.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from extractors.einvoice import InvalidEInvoice, cross_check, einvoice_from_pdf
from extractors.pdf import UnreadableDocument, parse_pdf
from models.invoice import InvoiceDocument
from models.keys import compact

FIELDS = (
    "vendor_id",
    "invoice_number",
    "invoice_date",
    "po_number",
    "currency",
    "subtotal",
    "tax",
    "total",
)


def vendor_id(invoice: InvoiceDocument, vendors: list[dict[str, str]]) -> str | None:
    if invoice.vendor_tax_id:
        key = compact(invoice.vendor_tax_id)
        for row in vendors:
            if row["tax_id"] and compact(row["tax_id"]) == key:
                return row["vendor_id"]
    name = (invoice.vendor_name or "").casefold()
    for row in vendors:
        if row["name"].casefold() == name:
            return row["vendor_id"]
    return None


def value(invoice: InvoiceDocument, field: str, vendors: list[dict[str, str]]) -> Any:
    if field == "vendor_id":
        return vendor_id(invoice, vendors)
    got = getattr(invoice, field)
    return None if got is None else str(got)


def same(field: str, got: Any, want: Any) -> bool:
    if field in ("subtotal", "tax", "total") and got is not None and want is not None:
        from decimal import Decimal

        return Decimal(got) == Decimal(want)
    return bool(got == want)


def main(folder: Path) -> int:
    truth = json.loads((folder / "truth.json").read_text())["invoices"]
    with (folder / "erp" / "vendors.csv").open(newline="") as handle:
        vendors = list(csv.DictReader(handle))
    hits: Counter[str] = Counter()
    discrepancies: Counter[str] = Counter()
    read = 0
    for case in truth:
        path = folder / "invoices" / case["file"]
        try:
            einvoice = einvoice_from_pdf(path)
        except InvalidEInvoice as exc:
            print(f"{case['file']}: INVALID {exc.reason}")
            continue
        if einvoice is None:
            print(f"{case['file']}: no e-invoice attachment")
            continue
        read += 1
        misses = []
        for field in FIELDS:
            got, want = value(einvoice.invoice, field, vendors), case["fields"].get(field)
            if same(field, got, want):
                hits[field] += 1
            else:
                misses.append(f"{field}: got {got!r}, want {want!r}")
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            page = parse_pdf(path, sha).text
        except UnreadableDocument as exc:
            page = ""
            print(f"{case['file']}: page unreadable ({exc.reason})")
        found = cross_check(einvoice.invoice, page)
        discrepancies.update(d.field for d in found)
        notes = misses + [f"cross-check: {d.message}" for d in found]
        status = "ok" if not notes else "; ".join(notes)
        print(
            f"{case['file']}: {einvoice.syntax} {einvoice.profile} "
            f"[{einvoice.attachment_name}] {status}"
        )
    total = len(truth)
    print(f"\nread {read}/{total} e-invoices")
    for field in FIELDS:
        print(f"  {field:15} {hits[field] / total:.2f}  ({hits[field]}/{total})")
    print(
        "cross-check discrepancies: "
        + (", ".join(f"{k} {v}" for k, v in sorted(discrepancies.items())) or "none")
    )
    return 0 if read == total and all(hits[f] == total for f in FIELDS) else 1


if __name__ == "__main__":
    default = Path("/work/shared/realworld/zugferd-dev")
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
