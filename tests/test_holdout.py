"""`apx eval` on a labelled set it was never tuned on: other vendors, buyer and layouts.

The set is made by tests/holdout.py (French "FACTURE" and an English statement-style
layout, four vendors in EUR/CHF/GBP/USD); the figures asserted are the ones it measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from schwifty import IBAN

from tests.holdout import VENDORS, generate

APX = Path(sys.executable).with_name("apx")


def test_holdout_set_is_complete_and_deterministic(tmp_path: Path) -> None:
    first, second = generate(tmp_path / "a"), generate(tmp_path / "b")
    for name in ("erp/vendors.csv", "erp/purchase_orders.csv", "erp/goods_receipts.csv",
                 "truth.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    pdfs = sorted(p.name for p in (first / "invoices").iterdir())
    assert pdfs == sorted(p.name for p in (second / "invoices").iterdir())
    assert all((first / "invoices" / n).read_bytes() == (second / "invoices" / n).read_bytes()
               for n in pdfs)
    truth = json.loads((first / "truth.json").read_text(encoding="utf-8"))
    labels = truth["invoices"]
    assert [label["file"] for label in labels] == pdfs and 10 <= len(labels) <= 12
    patterns = sorted(p for label in labels for p in label["patterns"])
    assert patterns == ["BANK_DETAILS_CHANGED", "DUPLICATE_EXACT", "HIGH_VALUE", "MISSING_PO",
                        "PRICE_VARIANCE"]
    assert sum(label["decision"] == "approve" for label in labels) >= 6
    assert {v.currency for v in VENDORS.values()} == {"EUR", "GBP", "USD", "CHF"}
    assert all(IBAN(v.iban).compact == v.iban for v in VENDORS.values())


def test_eval_on_the_holdout_set(tmp_path: Path) -> None:
    data = generate(tmp_path / "holdout")
    report_file = tmp_path / "eval.json"
    result = subprocess.run(
        [str(APX), "eval", "--data", str(data), "--json", str(report_file), "--no-model"],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
        env={**os.environ, "APX_HOME": str(tmp_path / ".apx"), "COLUMNS": "160"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    report = json.loads(report_file.read_text())
    assert report["invoices"] == report["processed"] == 12
    assert report["high_stakes_auto_approved"] == 0
    # Measured: every field, pattern and decision right, settled by code alone.
    assert report["decision_accuracy"] == 1.0, report["mistakes"]
    assert report["field_accuracy"]["overall"] == 1.0, report["mistakes"]
    assert report["pattern_recall"] == 1.0 and report["pattern_precision"] == 1.0
    assert report["primary_accuracy"] == 1.0
    assert report["model_calls"]["extraction"] == 0
