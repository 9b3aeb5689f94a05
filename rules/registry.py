"""Finds the rules in `rules/checks/` and runs them: adding a rule is adding a file."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

import rules.checks
from models.catalog import Catalog
from models.findings import Finding
from rules.base import Rule, RuleContext


class RuleDefinitionError(Exception):
    """A module in rules/checks/ does not follow the rule contract."""


@cache
def load_rules() -> tuple[tuple[str, Rule], ...]:
    """(pattern, check) for every public module in rules/checks, in module-name order.

    The file must be named after its PATTERN; `check_rules` validates the patterns against a
    catalog, so a typo fails at start-up, not on some invoice.
    """
    loaded: list[tuple[str, Rule]] = []
    names = sorted(info.name for info in pkgutil.iter_modules(rules.checks.__path__))
    for name in names:
        if name.startswith("_"):
            continue
        module: ModuleType = importlib.import_module(f"{rules.checks.__name__}.{name}")
        pattern = getattr(module, "PATTERN", None)
        check = getattr(module, "check", None)
        if not isinstance(pattern, str) or not callable(check):
            raise RuleDefinitionError(f"rules/checks/{name}.py needs PATTERN and check(ctx)")
        if name != pattern.lower():
            raise RuleDefinitionError(f"rules/checks/{name}.py must be named {pattern.lower()}.py")
        loaded.append((pattern, check))
    return tuple(loaded)


@cache
def check_rules(catalog: Catalog) -> None:
    """Every rule's PATTERN must be in the catalog (checked once per catalog)."""
    for pattern, _check in load_rules():
        if pattern not in catalog.ids:
            raise RuleDefinitionError(
                f"rules/checks/{pattern.lower()}.py: {pattern} is not in the catalog"
            )


def run_rules(ctx: RuleContext) -> list[Finding]:
    """Every rule's findings, without repeats, most important pattern first.

    Each rule sees its own catalog entry in the context and may only report that pattern.
    A rule that raises is not caught here: the pipeline records the error for the invoice.
    """
    catalog = ctx.catalog
    check_rules(catalog)
    seen: set[tuple[object, ...]] = set()
    findings: list[Finding] = []
    for pattern, check in load_rules():
        for item in check(ctx.for_rule(catalog.get(pattern))):
            if item.code != pattern:
                raise RuleDefinitionError(
                    f"rules/checks/{pattern.lower()}.py reported {item.code}; "
                    f"a rule may only report its own pattern"
                )
            key = (item.code, item.message, item.amount, tuple(sorted(item.evidence.items())))
            if key not in seen:
                seen.add(key)
                findings.append(item)
    return sorted(findings, key=lambda item: (catalog.priority(item.code), item.message))
