"""Many distinct, clean invoices, made quickly: for the kill, race and fault tests.

Each invoice has its own vendor number, its own PO (open, received in full) and a total no
other invoice of its vendor has, so every one of them is approved and posted touchless when
processed alone, and a second copy of one (other bytes, same invoice) is a DUPLICATE_EXACT.
Rendered with the sample set's generator (sample_data/generate.py: the same layouts A-D),
whose module-level PO and receipt registries are restored afterwards.

`variant()` makes another file of the same invoice: the bytes differ (a comment after
%%EOF, optionally padded so that the copy parses slower), the page reads the same.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Imported by name: the generator is a script, outside the type-checked code (pyproject).
gen: Any = importlib.import_module("sample_data.generate")

AS_OF: date = gen.AS_OF

# (vendor slug, first invoice number, number format, first item, second item with quantity)
_SERIES: tuple[tuple[str, str, str, tuple[str, int]], ...] = (
    ("acme", "INV-{n}", "ACM-PAP-A4", ("ACM-PEN-BLK", 3)),
    ("nordwind", "RE-2026-{n}", "NWL-PAL-HHB", ("NWL-VPK-STR", 2)),
    ("harbor", "HPC-{n}", "HPC-PLT-48", ("HPC-TPE-48", 12)),
    ("lumen", "LIT-2026-{n}", "LIT-PM-HR", ("LIT-LIC-M365", 2)),
    ("kestrel", "KIP-{n}", "KIP-CPL-SPD", ("KIP-CPL-L100", 1)),
)


@dataclass(frozen=True)
class Batch:
    root: Path
    erp_dir: Path
    files: list[Path]
    as_of: date

    def numbers(self) -> dict[str, str]:
        """File name -> the invoice number printed on it."""
        labels = json.loads((self.root / "numbers.json").read_text())
        return {str(name): str(number) for name, number in labels.items()}


def write_batch(root: Path, count: int, *, first_number: int = 60000) -> Batch:
    """`count` clean invoices under root/invoices (and their ERP data under root/erp)."""
    saved_orders, saved_receipts = dict(gen.PURCHASE_ORDERS), list(gen.RECEIPTS)
    invoices = root / "invoices"
    invoices.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    numbers: dict[str, str] = {}
    try:
        for index in range(count):
            vendor, number_format, item, (extra, extra_qty) = _SERIES[index % len(_SERIES)]
            rank = index // len(_SERIES)  # the n-th invoice of this vendor: its own quantity
            issued = AS_OF - timedelta(days=5 + index % 120)
            po_number = f"PO-2027-{index + 1:04d}"
            gen.po(po_number, vendor, (issued - timedelta(days=30)).isoformat(),
                   (item, rank + 1), (extra, extra_qty),
                   received=(issued - timedelta(days=10)).isoformat())
            number = number_format.format(n=first_number + index)
            scenario = gen.Scenario(vendor, number, issued, po_number, gen.bill(po_number),
                                    "clean (fault-test batch)")
            path = invoices / f"{index:03d}-{scenario.slug}.pdf"
            path.write_bytes(gen.render_pdf(scenario))
            files.append(path)
            numbers[path.name] = number
        gen.write_erp(root)
    finally:
        gen.PURCHASE_ORDERS.clear()
        gen.PURCHASE_ORDERS.update(saved_orders)
        gen.RECEIPTS[:] = saved_receipts
    (root / "numbers.json").write_text(json.dumps(numbers))
    return Batch(root=root, erp_dir=root / "erp", files=files, as_of=AS_OF)


def copy_batch(batch: Batch, target: Path) -> Batch:
    """The same batch under another folder (a test may add or rename files in its copy)."""
    shutil.copytree(batch.root, target)
    return Batch(root=target, erp_dir=target / "erp",
                 files=[target / "invoices" / f.name for f in batch.files], as_of=batch.as_of)


def variant(original: Path, target: Path, tag: str, *, padding_kb: int = 0) -> Path:
    """Another file of the same invoice: `tag` as a PDF comment after %%EOF (other bytes,
    other SHA-256), plus `padding_kb` KB of comment lines (the parser skims them)."""
    data = original.read_bytes()
    assert data.rstrip().endswith(b"%%EOF"), original
    extra = f"\n% copy {tag}\n".encode() + b"% padding padding padding padding\n" * (
        padding_kb * 1024 // 35)
    target.write_bytes(data + extra)
    return target


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
