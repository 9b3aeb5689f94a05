"""Helpers for end-to-end tests: a labelled subset of the sample set, and a scripted model."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from apx.dataset import load_dataset
from apx.runner import run_files
from config.loader import POLICY_FILE
from models.processing import ProcessingResult
from store.repository import Store

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def sample_subset(target: Path, prefixes: Iterable[str]) -> Path:
    """Copy the ERP data, the invoices whose names start with `prefixes`, and their labels."""
    wanted = tuple(prefixes)
    shutil.copytree(SAMPLE_DATA / "erp", target / "erp")
    (target / "invoices").mkdir(parents=True)
    for pdf in sorted((SAMPLE_DATA / "invoices").iterdir()):
        if pdf.name.startswith(wanted):
            shutil.copy(pdf, target / "invoices" / pdf.name)
    truth = json.loads((SAMPLE_DATA / "truth.json").read_text())
    truth["invoices"] = [item for item in truth["invoices"] if item["file"].startswith(wanted)]
    (target / "truth.json").write_text(json.dumps(truth))
    return target


def truth_by_file(root: Path) -> dict[str, dict[str, Any]]:
    labels = json.loads((root / "truth.json").read_text())["invoices"]
    return {item["file"]: item for item in labels}


def run_dataset(
    root: Path, database_url: str, work: Path, files: list[Path] | None = None,
    use_model: bool = False,
) -> tuple[list[ProcessingResult], Store]:
    dataset = load_dataset(root)
    return run_files(
        files if files is not None else dataset.invoice_files,
        erp_dir=dataset.erp_dir, database_url=database_url, documents_dir=work / "documents",
        policy_file=POLICY_FILE, as_of=dataset.as_of, use_model=use_model,
    )


def answer_from_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema-valid answer: the first enum value (the deterministic top candidate) or text."""
    answer: dict[str, Any] = {}
    for name, spec in schema.get("properties", {}).items():
        if "enum" in spec:
            answer[name] = spec["enum"][0]
        else:
            answer[name] = "Drafted explanation for the reviewer."
    return answer
