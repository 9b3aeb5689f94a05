"""Rules explain themselves: every rule module's docstring has the sections (rules/docs.py),
its summary is the catalog's `when`, its policy keys exist in the policy model, the sample
README's pattern table is generated from them, and `apx rules` prints them."""

from __future__ import annotations

import dataclasses
import importlib
from decimal import Decimal
from types import ModuleType

import pytest
from typer.testing import CliRunner

from apx.cli import app
from config.loader import load_catalog, load_policy
from models.catalog import UNKNOWN_PATTERN
from rules import docs as rule_docs_module
from rules.docs import (
    SECTIONS,
    PolicyKeyError,
    RuleDoc,
    RuleDocError,
    format_value,
    module_doc,
    parse_rule_doc,
    policy_field,
    policy_value,
    rule_docs,
    summary_key,
)
from rules.registry import load_rules
from tools.rule_table import BEGIN, END, README, TableError, current_table, table, with_table

CATALOG = load_catalog()
POLICY = load_policy()
RULE_MODULES = [
    importlib.import_module(f"rules.checks.{pattern.lower()}") for pattern, _ in load_rules()
]
by_pattern = pytest.mark.parametrize("module", RULE_MODULES, ids=lambda module: module.PATTERN)


def flat(text: str) -> str:
    return " ".join(text.split())


# -- every rule module documents itself -------------------------------------------------------


@by_pattern
def test_every_rule_module_has_every_section(module: ModuleType) -> None:
    doc = module_doc(module)
    assert doc.pattern == module.PATTERN
    assert doc.source == f"rules/checks/{module.PATTERN.lower()}.py"
    assert [label for label, _ in doc.sections()] == list(SECTIONS)
    assert all(text.strip() for _, text in doc.sections())


def test_rule_docs_cover_every_rule_in_registry_order() -> None:
    assert [doc.pattern for doc in rule_docs()] == [pattern for pattern, _ in load_rules()]


@by_pattern
def test_summary_is_the_catalog_when(module: ModuleType) -> None:
    doc = module_doc(module)
    when = CATALOG.get(doc.pattern).when
    assert summary_key(doc.summary) == summary_key(when), (
        f"{doc.source}: the docstring's summary {doc.summary!r} and config/catalog.yaml's when "
        f"{when!r} must say the same: edit both"
    )


@by_pattern
def test_policy_keys_exist_in_the_policy_model(module: ModuleType) -> None:
    for key in module_doc(module).policy_keys:
        policy_field(key)
        policy_value(POLICY, key)


def test_summary_key_ignores_case_spacing_stop_and_symbols() -> None:
    assert summary_key("Subtotal + tax ≠  total.") == summary_key("subtotal + tax != total")
    assert summary_key("rate × base") == summary_key("rate x base")
    assert summary_key("PO closed") != summary_key("PO closed or cancelled")


# -- policy keys: walking the pydantic model ---------------------------------------------------


def test_policy_field_resolves_dotted_names() -> None:
    assert policy_field("tolerances.unit_price_percent").annotation is Decimal
    assert policy_field("high_value_threshold").annotation is Decimal
    assert policy_field("matching.vendor_name_score").annotation is float
    assert policy_field("routing.approver_roles") is not None


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("tolerances.nonexistent", "tolerances has no field 'nonexistent'"),
        ("nonexistent", "the policy has no field 'nonexistent'"),
        ("high_value_threshold.amount", "high_value_threshold is a value"),
        ("routing.approver_roles.role", "routing.approver_roles is a value"),
    ],
)
def test_policy_field_rejects_names_the_model_does_not_have(key: str, message: str) -> None:
    with pytest.raises(PolicyKeyError, match=message):
        policy_field(key)


def test_policy_values_print_as_the_policy_file_writes_them() -> None:
    assert format_value(policy_value(POLICY, "tolerances.unit_price_percent")) == "2"
    assert format_value(policy_value(POLICY, "duplicates.number_similarity")) == "80"
    assert format_value(policy_value(POLICY, "routing.approver_roles")).endswith(
        "{role: controller, up_to: null}]"
    )


# -- the parser --------------------------------------------------------------------------------

GOOD = """X_RULE: a one-line summary.

Fires when: the first
wrapped line
   and the second.
Why it matters: money.
Example: 10 × 4.50 = 45.00.
Policy keys: tolerances.arithmetic, `dates.stale_after_days`.
Does not fire when: nothing is wrong.
"""
SOURCE = "rules/checks/x_rule.py"


def test_parser_reads_the_sections_and_joins_wrapped_lines() -> None:
    doc = parse_rule_doc(GOOD, source=SOURCE, pattern="X_RULE")
    assert doc == RuleDoc(
        pattern="X_RULE",
        summary="a one-line summary.",
        fires_when="the first wrapped line and the second.",
        why="money.",
        example="10 × 4.50 = 45.00.",
        policy_keys=("tolerances.arithmetic", "dates.stale_after_days"),
        does_not_fire_when="nothing is wrong.",
        source=SOURCE,
    )


def test_parser_reads_none_as_no_policy_keys() -> None:
    doc = parse_rule_doc(GOOD.replace("tolerances.arithmetic, `dates.stale_after_days`.", "none"),
                         source=SOURCE)
    assert doc.policy_keys == ()
    assert dict(doc.sections())["Policy keys"] == "none"


def _without(section: str) -> str:
    lines = GOOD.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{section}:"))
    end = next((i for i in range(start + 1, len(lines))
                if any(lines[i].startswith(f"{s}:") for s in SECTIONS)), len(lines))
    return "\n".join(lines[:start] + lines[end:])


@pytest.mark.parametrize("section", SECTIONS)
def test_parser_names_the_file_and_the_missing_section(section: str) -> None:
    with pytest.raises(RuleDocError) as raised:
        parse_rule_doc(_without(section), source=SOURCE)
    assert str(raised.value).startswith(f"{SOURCE}: ")
    assert f"no '{section}:' section" in str(raised.value)


@pytest.mark.parametrize(
    ("docstring", "message"),
    [
        (None, "no module docstring"),
        ("X_RULE does things.", "must start with 'PATTERN_ID: one-line summary.'"),
        (GOOD.replace("X_RULE:", "Y_RULE:"), "is about Y_RULE, but the module's PATTERN is X_RULE"),
        (GOOD.replace("\nFires when:", "\nmore summary\nFires when:"), "line 3: text between"),
        (GOOD + "Example: again.\n", "a second 'Example:' section"),
        (GOOD.replace("Why it matters: money.\nExample: 10 × 4.50 = 45.00.",
                      "Example: 10 × 4.50 = 45.00.\nWhy it matters: money."), "in the order"),
        (GOOD.replace("Why it matters: money.", "Why it matters:"), "'Why it matters:' is empty"),
        (GOOD.replace("`dates.stale_after_days`", "the stale limit"), "'the stale limit'"),
        (GOOD.replace("`dates.stale_after_days`", "tolerances.arithmetic"), "names a key twice"),
    ],
)
def test_parser_rejects_a_malformed_docstring(docstring: str | None, message: str) -> None:
    with pytest.raises(RuleDocError, match=message) as raised:
        parse_rule_doc(docstring, source=SOURCE, pattern="X_RULE")
    assert str(raised.value).startswith(SOURCE)


# -- one source of truth: the sample README's table is generated --------------------------------


def test_sample_readme_pattern_table_is_generated_from_the_rule_docs() -> None:
    readme = README.read_text(encoding="utf-8")
    assert with_table(readme, current_table()) == readme, (
        "sample_data/README.md's pattern table differs from the rules' docstrings, the catalog "
        "or the policy: run `python -m tools.rule_table --write` (and review the diff)"
    )


def test_the_table_has_one_row_per_pattern_a_finding_can_have() -> None:
    rows = [line for line in current_table().splitlines()[2:] if line.startswith("| ")]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == [
        pattern for pattern in CATALOG.ids if pattern != UNKNOWN_PATTERN
    ]


def test_editing_a_docstring_without_the_readme_is_caught() -> None:
    readme = README.read_text(encoding="utf-8")
    docs = rule_docs()
    edited = (dataclasses.replace(docs[0], fires_when="a new condition"), *docs[1:])
    assert with_table(readme, table(CATALOG, edited, POLICY)) != readme


def test_editing_the_catalog_or_the_policy_without_the_readme_is_caught() -> None:
    readme = README.read_text(encoding="utf-8")
    loosened = POLICY.model_copy(update={"tolerances": POLICY.tolerances.model_copy(
        update={"unit_price_percent": Decimal("5")})})
    assert with_table(readme, table(CATALOG, rule_docs(), loosened)) != readme
    renamed = CATALOG.model_copy(update={"patterns": tuple(
        p.model_copy(update={"when": "unreadable"}) if p.id == "UNREADABLE_DOCUMENT" else p
        for p in CATALOG.patterns)})
    assert with_table(readme, table(renamed, rule_docs(), POLICY)) != readme


def test_the_table_needs_its_markers() -> None:
    with pytest.raises(TableError):
        with_table("# no markers here\n", current_table())
    assert with_table(f"a\n{BEGIN}\nold\n{END}\nb\n", "new\n") == f"a\n{BEGIN}\nnew\n{END}\nb\n"


def test_table_cells_escape_pipes() -> None:
    doc = dataclasses.replace(rule_docs()[0], fires_when="a | b")
    assert "a \\| b" in table(CATALOG, (doc,), POLICY)


# -- apx rules -----------------------------------------------------------------------------------

runner = CliRunner()


def test_apx_rules_lists_every_pattern_with_severity_fraud_risk_and_summary() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    for pattern in CATALOG.patterns:
        assert pattern.id in out
    assert "BANK_DETAILS_CHANGED │ critical │ yes │ remit-to account differs" in out
    assert "PRICE_VARIANCE │ medium │ no │ unit price above PO price beyond tolerance" in out
    assert f"{len(RULE_MODULES)} rules" in out


def test_apx_rules_pattern_prints_the_full_doc_with_policy_values() -> None:
    result = runner.invoke(app, ["rules", "price_variance"])
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    doc = module_doc(importlib.import_module("rules.checks.price_variance"))
    assert out.startswith("PRICE_VARIANCE: unit price above PO price beyond tolerance.")
    assert "severity medium" in out and "rules/checks/price_variance.py" in out
    for label, text in doc.sections():
        assert label in out
        if label != "Policy keys":
            assert flat(text) in out
    assert "tolerances.unit_price_percent = 2" in out


def test_apx_rules_prints_doc_text_without_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = dataclasses.replace(
        module_doc(importlib.import_module("rules.checks.high_value")),
        summary="above [bold]a threshold[/bold]",
        example="keywords [freight, fee] and [red]not red[/red]",
    )
    monkeypatch.setattr(rule_docs_module, "rule_docs", lambda: (doc,))
    listed = flat(runner.invoke(app, ["rules"]).output)
    assert "above [bold]a threshold[/bold]" in listed
    shown = runner.invoke(app, ["rules", "HIGH_VALUE"])
    assert shown.exit_code == 0, shown.output
    assert "keywords [freight, fee] and [red]not red[/red]" in flat(shown.output)


def test_apx_rules_for_a_pattern_without_a_rule_and_an_unknown_id() -> None:
    result = runner.invoke(app, ["rules", "UNREADABLE_DOCUMENT"])
    assert result.exit_code == 0
    assert "no rule in rules/checks/ reports it" in flat(result.output)
    unknown = runner.invoke(app, ["rules", "NO_SUCH_PATTERN"])
    assert unknown.exit_code == 2
    assert "NO_SUCH_PATTERN is not in the exception pattern catalog" in flat(unknown.output)


def test_apx_rules_names_the_file_of_a_broken_doc(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> tuple[RuleDoc, ...]:
        raise RuleDocError("rules/checks/x_rule.py: the module docstring has no 'Example:' section")

    monkeypatch.setattr(rule_docs_module, "rule_docs", broken)
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 2
    assert "rules/checks/x_rule.py: the module docstring has no 'Example:'" in flat(result.output)
