"""`apx eval` on a labelled set it was never tuned on: other vendors, buyer and layouts.

The set is made by tests/holdout.py (checked in tests/unit/test_holdout.py); the figures
asserted are the ones it measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.holdout import generate

APX = Path(sys.executable).with_name("apx")


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
