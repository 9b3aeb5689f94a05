"""What each rule says about itself: its module docstring, read into sections.

Every module in `rules/checks/` opens with a docstring of this shape (in the spirit of ruff's
rule documentation):

    PATTERN_ID: the catalog's one-line `when`.

    Fires when: the exact condition, as the code checks it.
    Why it matters: the risk for the business.
    Example: a concrete invoice situation with numbers.
    Policy keys: dotted names in the policy (config/policy.yaml) the rule reads, or none.
    Does not fire when: the look-alike cases it leaves alone, and which pattern takes them.

The sections come in this order, each once; a section runs until the next label, and its line
breaks are not significant. `apx rules` prints these docs, `tools/rule_table.py` writes the
pattern table of sample_data/README.md from them, and tests/test_rule_docs.py holds them to
the catalog and the policy model. Pure: no file is read here but the rule modules' own text.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType, UnionType
from typing import Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from models.policy import Policy
from rules.registry import load_rules

SECTIONS: tuple[str, ...] = (
    "Fires when",
    "Why it matters",
    "Example",
    "Policy keys",
    "Does not fire when",
)
"""The section labels, in the order a rule docstring must give them."""

NO_POLICY_KEYS = "none"

_SUMMARY = re.compile(r"^(?P<pattern>[A-Z][A-Z0-9_]*):\s+(?P<summary>\S.*)$")
_LABELS = "|".join(map(re.escape, SECTIONS))
_LABEL = re.compile(rf"^(?P<label>{_LABELS}):(?P<text>.*)$")
_POLICY_KEY = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


class RuleDocError(ValueError):
    """A rule module's docstring does not have the sections every rule must document."""


class PolicyKeyError(LookupError):
    """A dotted name that is not a field of the policy model."""


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation: one line for the catalog, then the five sections."""

    pattern: str
    summary: str
    fires_when: str
    why: str
    example: str
    policy_keys: tuple[str, ...]
    does_not_fire_when: str
    source: str = ""
    """Where the doc came from, e.g. rules/checks/price_variance.py."""

    def sections(self) -> tuple[tuple[str, str], ...]:
        """(label, text) in docstring order, for printing."""
        return (
            ("Fires when", self.fires_when),
            ("Why it matters", self.why),
            ("Example", self.example),
            ("Policy keys", ", ".join(self.policy_keys) or NO_POLICY_KEYS),
            ("Does not fire when", self.does_not_fire_when),
        )


def parse_rule_doc(docstring: str | None, *, source: str, pattern: str | None = None) -> RuleDoc:
    """Read a rule docstring into a RuleDoc; `source` names the file in every error.

    `pattern`, when given, is the id the summary line must start with (the module's PATTERN).
    """
    text = inspect.cleandoc(docstring or "")
    if not text:
        raise RuleDocError(f"{source}: no module docstring; a rule documents itself with "
                           f"'PATTERN_ID: summary.' and the sections {_labels(SECTIONS)}")
    first, *rest = text.splitlines()
    head = _SUMMARY.match(first)
    if head is None:
        raise RuleDocError(f"{source}: the docstring must start with 'PATTERN_ID: one-line "
                           f"summary.', not {first!r}")
    if pattern is not None and head["pattern"] != pattern:
        raise RuleDocError(f"{source}: the docstring is about {head['pattern']}, but the module's "
                           f"PATTERN is {pattern}")

    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(rest, start=2):
        label = _LABEL.match(line)
        if label is not None:
            name = label["label"]
            if name in found:
                raise RuleDocError(f"{source}: line {number}: a second '{name}:' section")
            current = found[name] = [label["text"]]
        elif current is not None:
            current.append(line)
        elif line.strip():
            raise RuleDocError(f"{source}: line {number}: text between the one-line summary and "
                               f"'Fires when:' (the summary is one line: {line.strip()!r})")

    missing = [name for name in SECTIONS if name not in found]
    if missing:
        raise RuleDocError(f"{source}: the module docstring has no {_labels(missing)} "
                           f"section{'s' if len(missing) > 1 else ''} (every rule needs "
                           f"{_labels(SECTIONS)}, in that order)")
    if tuple(found) != SECTIONS:
        raise RuleDocError(f"{source}: the sections are in the order {_labels(found)}; "
                           f"they must be {_labels(SECTIONS)}")
    texts = {name: " ".join(" ".join(lines).split()) for name, lines in found.items()}
    empty = [name for name, value in texts.items() if not value]
    if empty:
        raise RuleDocError(f"{source}: the section {_labels(empty)} is empty")
    return RuleDoc(
        pattern=head["pattern"],
        summary=head["summary"].strip(),
        fires_when=texts["Fires when"],
        why=texts["Why it matters"],
        example=texts["Example"],
        policy_keys=_policy_keys(texts["Policy keys"], source),
        does_not_fire_when=texts["Does not fire when"],
        source=source,
    )


def _labels(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}:'" for name in names)


def _policy_keys(text: str, source: str) -> tuple[str, ...]:
    """'a.b, c' -> ('a.b', 'c'); 'none' -> (). Backticks and a final full stop are allowed."""
    value = text.strip().rstrip(".").strip()
    if value.strip('"').casefold() == NO_POLICY_KEYS:
        return ()
    keys = tuple(part.strip().strip("`") for part in value.split(","))
    for key in keys:
        if not _POLICY_KEY.match(key):
            raise RuleDocError(f"{source}: 'Policy keys:' lists {key!r}, which is not a dotted "
                               f"policy name like tolerances.unit_price_percent (or write none)")
    if len(set(keys)) != len(keys):
        raise RuleDocError(f"{source}: 'Policy keys:' names a key twice")
    return keys


def module_doc(module: ModuleType) -> RuleDoc:
    """The doc of one rule module, checked against its PATTERN."""
    source = module.__name__.replace(".", "/") + ".py"
    pattern = getattr(module, "PATTERN", None)
    return parse_rule_doc(
        module.__doc__, source=source, pattern=pattern if isinstance(pattern, str) else None
    )


def rule_docs() -> tuple[RuleDoc, ...]:
    """The doc of every rule the registry runs, in its order (module-name order)."""
    return tuple(
        module_doc(importlib.import_module(f"rules.checks.{pattern.lower()}"))
        for pattern, _check in load_rules()
    )


def summary_key(text: str) -> str:
    """A summary as compared with the catalog's `when`: case, spacing, the final full stop and
    the symbols ≠ and × (written != and x in the catalog) do not count."""
    folded = " ".join(text.replace("≠", "!=").replace("×", "x").casefold().split())
    return folded.rstrip(".").rstrip()


# -- policy keys ------------------------------------------------------------------------------


def _section_model(annotation: object) -> type[BaseModel] | None:
    """The model a field holds (also inside Optional), or None for a plain value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, UnionType):
        models = [m for m in map(_section_model, get_args(annotation)) if m is not None]
        if len(models) == 1:
            return models[0]
    return None


def policy_field(key: str, model: type[BaseModel] = Policy) -> FieldInfo:
    """The field a dotted policy name refers to, walking the pydantic model's fields.

    `tolerances.unit_price_percent` resolves; `tolerances.nonexistent` and
    `high_value_threshold.x` (a value has no fields) raise PolicyKeyError.
    """
    parts = key.split(".")
    current = model
    for depth, part in enumerate(parts):
        fields = current.model_fields
        if part not in fields:
            where = ".".join(parts[:depth]) or "the policy"
            raise PolicyKeyError(f"{key}: {where} has no field {part!r} "
                                 f"(it has: {', '.join(fields)})")
        field = fields[part]
        if depth == len(parts) - 1:
            return field
        nested = _section_model(field.annotation)
        if nested is None:
            raise PolicyKeyError(f"{key}: {'.'.join(parts[: depth + 1])} is a value, "
                                 f"not a section with fields")
        current = nested
    raise PolicyKeyError(f"{key!r} is not a policy name")  # only for an empty key


def policy_value(policy: BaseModel, key: str) -> object:
    """The value of a dotted policy name in a loaded policy."""
    policy_field(key, type(policy))
    value: object = policy
    for part in key.split("."):
        value = getattr(value, part)
    return value


def format_value(value: object) -> str:
    """A policy value as config/policy.yaml writes it: 2, [a, b], {role: x, up_to: null}."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, BaseModel):
        inner = ", ".join(
            f"{name}: {format_value(getattr(value, name))}" for name in type(value).model_fields
        )
        return "{" + inner + "}"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    return str(value)
