"""A labelled invoice set on disk: erp/*.csv, invoices/*.pdf and truth.json."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError


class TruthFields(BaseModel):
    vendor_id: str | None = None
    invoice_number: str | None = None
    invoice_date: date | None = None
    po_number: str | None = None
    currency: str | None = None
    subtotal: str | None = None
    tax: str | None = None
    total: str | None = None


class TruthInvoice(BaseModel):
    file: str
    fields: TruthFields
    patterns: list[str] = Field(default_factory=list)
    primary: str | None = None
    decision: Literal["approve", "review", "hold", "reject"]


class Truth(BaseModel):
    as_of: date
    invoices: list[TruthInvoice]


class DatasetError(ValueError):
    pass


class Dataset(BaseModel):
    root: Path
    truth: Truth | None

    @property
    def erp_dir(self) -> Path:
        return self.root / "erp"

    @property
    def invoice_files(self) -> list[Path]:
        """Every file in invoices/, in file-name order (the processing order)."""
        folder = self.root / "invoices"
        return sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
                      key=lambda p: p.name)

    @property
    def as_of(self) -> date:
        return self.truth.as_of if self.truth else date.today()


def load_dataset(root: Path, *, require_truth: bool = False) -> Dataset:
    for needed in (root / "erp", root / "invoices"):
        if not needed.is_dir():
            raise DatasetError(f"{needed} is missing (expected erp/ and invoices/ under {root})")
    truth_file = root / "truth.json"
    truth = None
    if truth_file.is_file():
        try:
            truth = Truth.model_validate(json.loads(truth_file.read_text(encoding="utf-8")))
        except (ValidationError, json.JSONDecodeError) as error:
            raise DatasetError(f"{truth_file} is not valid: {error}") from None
    elif require_truth:
        raise DatasetError(f"{truth_file} is missing: evaluation needs the labels")
    return Dataset(root=root, truth=truth)
