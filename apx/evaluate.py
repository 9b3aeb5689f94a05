"""Scores a run against truth.json: fields, patterns, primary, decisions, model calls.

Pure: it takes what the pipeline stored and what the labels say, and returns the report
`apx eval --json` writes. Nothing here knows the sample set.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel

from apx.dataset import Truth

FIELDS = ("vendor_id", "invoice_number", "invoice_date", "po_number", "currency",
          "subtotal", "tax", "total")
AMOUNT_FIELDS = {"subtotal", "tax", "total"}


class RunRecord(BaseModel):
    """What the pipeline produced for one file, as read back from the store."""

    file: str
    fields: dict[str, Any]
    patterns: list[str]
    primary: str | None
    decision: str | None
    extraction_calls: int
    classification_calls: int


def _same(field: str, expected: Any, actual: Any) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if field in AMOUNT_FIELDS:
        try:
            return Decimal(str(expected)) == Decimal(str(actual))
        except InvalidOperation:
            return False
    if field == "invoice_date":
        return str(expected) == (actual.isoformat() if isinstance(actual, date) else str(actual))
    if field == "currency":
        return str(expected).upper() == str(actual).upper()
    return str(expected).strip() == str(actual).strip()


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def score(truth: Truth, records: list[RunRecord], seconds: float) -> dict[str, Any]:
    by_file = {record.file: record for record in records}
    field_hits: Counter[str] = Counter()
    field_total: Counter[str] = Counter()
    true_positive = expected_count = detected_count = 0
    per_pattern: dict[str, Counter[str]] = {}
    primary_hits = primary_total = decision_hits = high_stakes_auto = 0
    mistakes: list[dict[str, Any]] = []

    for label in truth.invoices:
        record = by_file.get(label.file)
        if record is None:
            mistakes.append({"file": label.file, "problem": "not processed"})
            continue
        expected_fields = label.fields.model_dump()
        for field in FIELDS:
            field_total[field] += 1
            if _same(field, expected_fields[field], record.fields.get(field)):
                field_hits[field] += 1
            else:
                mistakes.append({"file": label.file, "field": field,
                                 "expected": _text(expected_fields[field]),
                                 "got": _text(record.fields.get(field))})
        expected, detected = set(label.patterns), set(record.patterns)
        true_positive += len(expected & detected)
        expected_count += len(expected)
        detected_count += len(detected)
        for pattern in expected | detected:
            counts = per_pattern.setdefault(pattern, Counter())
            counts["expected"] += pattern in expected
            counts["detected"] += pattern in detected
            counts["correct"] += pattern in expected and pattern in detected
        if expected != detected:
            mistakes.append({"file": label.file, "missed": sorted(expected - detected),
                             "extra": sorted(detected - expected)})
        if label.primary is not None:
            primary_total += 1
            primary_hits += record.primary == label.primary
        decision_hits += record.decision == label.decision
        if record.decision != label.decision:
            mistakes.append({"file": label.file, "decision_expected": label.decision,
                             "decision_got": record.decision})
        if record.decision == "approve" and label.patterns:
            high_stakes_auto += 1

    overall_total = sum(field_total.values())
    field_accuracy: dict[str, float | None] = {
        field: _ratio(field_hits[field], field_total[field]) for field in FIELDS
    }
    field_accuracy["overall"] = _ratio(sum(field_hits.values()), overall_total)
    return {
        "invoices": len(truth.invoices),
        "processed": len(records),
        "field_accuracy": field_accuracy,
        "pattern_recall": _ratio(true_positive, expected_count),
        "pattern_precision": _ratio(true_positive, detected_count),
        "primary_accuracy": _ratio(primary_hits, primary_total),
        "decision_accuracy": _ratio(decision_hits, len(truth.invoices)),
        "high_stakes_auto_approved": high_stakes_auto,
        "model_calls": {
            "extraction": sum(r.extraction_calls for r in records),
            "classification": sum(r.classification_calls for r in records),
            "max_extraction_per_invoice": max((r.extraction_calls for r in records), default=0),
            "max_classification_per_invoice": max(
                (r.classification_calls for r in records), default=0),
        },
        "per_pattern": {
            pattern: {
                "expected": c["expected"], "detected": c["detected"], "correct": c["correct"],
                "recall": _ratio(c["correct"], c["expected"]),
                "precision": _ratio(c["correct"], c["detected"]),
            }
            for pattern, c in sorted(per_pattern.items())
        },
        "seconds": round(seconds, 2),
        "mistakes": mistakes,
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
