"""Rule discovery and evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from models.findings import Finding
from rules import registry
from rules.base import RuleContext, finding
from rules.catalog import load_catalog
from rules.registry import evaluate, load_rules
from tests.factories import context, invoice, line, master, receipts, with_lines

NOT_RULES = {"UNREADABLE_DOCUMENT", "UNKNOWN_PATTERN"}


def test_every_catalog_pattern_has_exactly_one_rule() -> None:
    patterns = [pattern for pattern, _ in load_rules()]
    assert len(patterns) == len(set(patterns))
    assert set(patterns) == set(load_catalog().ids) - NOT_RULES


def test_clean_invoice_has_no_findings() -> None:
    assert evaluate(context()) == []


def test_findings_are_sorted_by_catalog_priority() -> None:
    doc = with_lines(
        [line("A4 copy paper 80g", "100", "4.95", sku="PAP-A4"), line("Mystery item", "1", "5")]
    ).model_copy(update={"iban": "DE89370400440532013000"})
    findings = evaluate(context(doc))
    codes = [item.code for item in findings]
    assert codes == ["BANK_DETAILS_CHANGED", "PRICE_VARIANCE", "UNMATCHED_LINE"]


def test_identical_findings_are_reported_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def twice(ctx: RuleContext) -> Iterator[Finding]:
        yield finding("HIGH_VALUE", "big")
        yield finding("HIGH_VALUE", "big")
        yield finding("ARITHMETIC_ERROR", "wrong")

    monkeypatch.setattr(registry, "load_rules", lambda: (("HIGH_VALUE", twice),))
    assert [f.code for f in registry.evaluate(context())] == ["ARITHMETIC_ERROR", "HIGH_VALUE"]


def test_same_pattern_with_different_messages_is_kept() -> None:
    # Stated terms and due date both differ, with different messages: two findings.
    doc = invoice(payment_terms_days=14, due_date=invoice().invoice_date)
    findings = [f for f in evaluate(context(doc)) if f.code == "PAYMENT_TERMS_MISMATCH"]
    assert len(findings) == 2 and findings[0].message != findings[1].message


def test_pending_invoice_from_receipts() -> None:
    findings = evaluate(context(data=master(goods_receipts=receipts(l3="1"))))
    assert [f.code for f in findings] == ["RECEIPT_PENDING"]
    assert findings[0].amount == Decimal("750.00")
