"""The holdout set: labelled invoices APX was never tuned on (other vendors, buyer, layouts).

The set is made by tests/holdout.py (French "FACTURE" and an English statement-style
layout, four vendors in EUR/CHF/GBP/USD). This file checks the set itself; `apx eval` on it,
with the figures it measures, is in tests/e2e/test_holdout.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from schwifty import IBAN

from tests.holdout import VENDORS, generate


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
