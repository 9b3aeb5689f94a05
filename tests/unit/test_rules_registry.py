"""Rule discovery and evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from config.loader import load_catalog
from models.findings import Finding
from rules import registry
from rules.base import RuleContext
from rules.registry import load_rules, run_rules
from tests.factories import CATALOG, context, finding, invoice, line, master, receipts, with_lines

NOT_RULES = {"UNREADABLE_DOCUMENT", "UNKNOWN_PATTERN"}


def test_every_catalog_pattern_has_exactly_one_rule() -> None:
    patterns = [pattern for pattern, _ in load_rules()]
    assert len(patterns) == len(set(patterns))
    assert set(patterns) == set(load_catalog().ids) - NOT_RULES


def test_clean_invoice_has_no_findings() -> None:
    assert run_rules(context()) == []


def test_findings_are_sorted_by_catalog_priority() -> None:
    doc = with_lines(
        [line("A4 copy paper 80g", "100", "4.95", sku="PAP-A4"), line("Mystery item", "1", "5")]
    ).model_copy(update={"iban": "DE89370400440532013000"})
    findings = run_rules(context(doc))
    codes = [item.code for item in findings]
    assert codes == ["BANK_DETAILS_CHANGED", "PRICE_VARIANCE", "UNMATCHED_LINE"]


def test_identical_findings_are_reported_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def twice(ctx: RuleContext) -> Iterator[Finding]:
        yield ctx.finding("big")
        yield ctx.finding("big")
        yield ctx.finding("bigger")

    monkeypatch.setattr(registry, "load_rules", lambda: (("HIGH_VALUE", twice),))
    assert [f.message for f in registry.run_rules(context())] == ["big", "bigger"]


def test_a_rule_receives_its_own_catalog_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def spy(ctx: RuleContext) -> Iterator[Finding]:
        seen.append(ctx.pattern)
        yield ctx.finding("big")

    monkeypatch.setattr(registry, "load_rules", lambda: (("HIGH_VALUE", spy),))
    (only,) = registry.run_rules(context())
    assert seen == [CATALOG.get("HIGH_VALUE")]
    assert only.code == "HIGH_VALUE" and only.severity == CATALOG.get("HIGH_VALUE").severity


def test_a_rule_may_not_report_another_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    def stray(ctx: RuleContext) -> Iterator[Finding]:
        yield finding("ARITHMETIC_ERROR", "not mine")

    monkeypatch.setattr(registry, "load_rules", lambda: (("HIGH_VALUE", stray),))
    with pytest.raises(registry.RuleDefinitionError, match="only report its own pattern"):
        registry.run_rules(context())


def test_a_rule_for_a_pattern_missing_from_the_catalog_fails_at_start() -> None:
    without = tuple(p for p in CATALOG.patterns if p.id != "HIGH_VALUE")
    partial = CATALOG.model_copy(update={"patterns": without})
    with pytest.raises(registry.RuleDefinitionError, match="not in the catalog"):
        registry.check_rules(partial)


def test_same_pattern_with_different_messages_is_kept() -> None:
    # Stated terms and due date both differ, with different messages: two findings.
    doc = invoice(payment_terms_days=14, due_date=invoice().invoice_date)
    findings = [f for f in run_rules(context(doc)) if f.code == "PAYMENT_TERMS_MISMATCH"]
    assert len(findings) == 2 and findings[0].message != findings[1].message


def test_pending_invoice_from_receipts() -> None:
    findings = run_rules(context(data=master(goods_receipts=receipts(l3="1"))))
    assert [f.code for f in findings] == ["RECEIPT_PENDING"]
    assert findings[0].amount == Decimal("750.00")
