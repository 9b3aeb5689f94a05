"""Mutation test: no clean invoice is approved untouched once a fact it depends on is gone.

Every clean (approve) invoice of the sample set is re-rendered by sample_data/generate.py
with one fact removed or garbled — the invoice number, the date, one line, the table
header, the total, the vendor's tax id, the PO reference — and each variant runs alone,
in-process, on a fresh SQLite store. None may be approved: a person must see what is
missing. (Alone is the strict case: no history adds a finding.)
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from config.loader import POLICY_FILE
from pipeline.process import process_file
from pipeline.runtime import RunSpec, forget_runtimes, runtime_for
from store.db import make_engine
from store.repository import Store

SAMPLE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "apx_sample_generator", SAMPLE_DATA / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A work folder in memory where there is one: hundreds of small SQLite databases."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="apx-mutations-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_no_mutated_clean_invoice_is_approved(
    scratch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generator = load_generator()
    spec = RunSpec(
        erp_dir=str(SAMPLE_DATA / "erp"), database_url=f"sqlite:///{scratch / 'template.db'}",
        documents_dir=str(scratch / "documents"), policy_file=str(POLICY_FILE),
        as_of=generator.AS_OF, use_model=False,
    )
    runtime = runtime_for(spec)  # master data, policy and catalog once; migrated store once
    runtime.store.engine.dispose()
    template = scratch / "template.db"
    variants = scratch / "variants"
    variants.mkdir()
    approved: list[str] = []
    counts: Counter[str] = Counter()
    originals: set[str] = set()
    try:
        for number, (original, label, pdf) in enumerate(generator.scenario_variants()):
            originals.add(original)
            counts[label] += 1
            path = variants / f"{Path(original).stem}--{label}.pdf"
            path.write_bytes(pdf)
            database = scratch / f"variant-{number}.db"
            shutil.copyfile(template, database)
            store = Store(make_engine(f"sqlite:///{database}"))
            result = process_file(dataclasses.replace(runtime, store=store), path)
            store.engine.dispose()
            for leftover in (database, path, *scratch.glob(f"{database.name}-*")):
                leftover.unlink(missing_ok=True)
            if result.decision == "approve":
                approved.append(f"{path.name}: approved ({result.invoice_number}, "
                                f"{result.currency} {result.total})")
    finally:
        forget_runtimes()
    total = sum(counts.values())
    with capsys.disabled():
        print(f"\nmutation test: {total} variants of {len(originals)} clean invoices "
              f"({dict(sorted(counts.items()))}); {len(approved)} approved")
    assert len(originals) >= 40 and total >= 6 * len(originals)
    assert not approved, f"{len(approved)} of {total} variants approved:\n" + "\n".join(approved)
