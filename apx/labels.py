"""Reviewer corrections as a labelled set in the eval layout (erp/, invoices/, truth.json).

So a team measures models on its own invoices: every invoice a person decided becomes a
label. Fields are what was extracted, with the reviewer's corrections applied; the primary
pattern is the reviewer's when they reclassified, else APX's; patterns are the stored
findings; the decision is the policy's (reviewers decide exceptions, the policy routes them,
and `apx eval` scores the routing). Files keep the processing order (a sequence prefix),
which is the order `apx eval` processes them in, so duplicates stay duplicates.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from apx.dataset import Truth, TruthFields, TruthInvoice
from metrics.facts import InvoiceFacts
from models.records import InvoiceRecord

FIELDS = tuple(TruthFields.model_fields)


def truth_fields(row: InvoiceRecord, corrections: dict[str, str]) -> TruthFields:
    values: dict[str, Any] = {}
    for field in FIELDS:
        value = getattr(row, field)
        values[field] = None if value is None else (
            value.isoformat() if isinstance(value, date) else str(value))
    values.update({k: v for k, v in corrections.items() if k in FIELDS})
    return TruthFields.model_validate(values)


def labelled_set(
    facts: Sequence[InvoiceFacts], rows: dict[str, InvoiceRecord],
) -> list[tuple[InvoiceFacts, TruthInvoice]]:
    """(invoice, its label) for every invoice a person decided, in processing order."""
    labelled = []
    for item in facts:
        review = item.final_review or (item.reviews[-1] if item.reviews else None)
        row = rows.get(item.invoice_id)
        if review is None or row is None or item.apx_decision is None:
            continue
        corrections: dict[str, str] = {}
        for record in item.reviews:
            corrections.update(record.corrections)
        labelled.append((item, TruthInvoice(
            file=f"{row.seq:05d}-{row.file_name}", fields=truth_fields(row, corrections),
            patterns=list(item.codes), primary=review.pattern or item.primary_pattern,
            decision=item.apx_decision,
        )))
    return labelled


def export(
    labelled: list[tuple[InvoiceFacts, TruthInvoice]], originals: dict[str, Path],
    erp_dir: Path, target: Path,
) -> Truth:
    """Write erp/, invoices/ and truth.json under `target`; `originals` by invoice id."""
    if (target / "truth.json").exists() or (target / "invoices").exists():
        raise FileExistsError(f"{target} already holds a labelled set")
    shutil.copytree(erp_dir, target / "erp")
    (target / "invoices").mkdir(parents=True)
    for item, label in labelled:
        shutil.copyfile(originals[item.invoice_id], target / "invoices" / label.file)
    as_of = max((item.received_at.date() for item, _ in labelled), default=date.today())
    truth = Truth(as_of=as_of, invoices=[label for _, label in labelled])
    (target / "truth.json").write_text(truth.model_dump_json(indent=2) + "\n",
                                       encoding="utf-8")
    return truth
