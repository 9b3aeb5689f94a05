"""What `apx rules` prints: the rules with their catalog entries, and one rule's full doc.

Doc text is shown as plain `Text`, never parsed as rich markup: a docstring may contain
"[...]" (a list of keywords, a policy value) that must print as written.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from models.catalog import Catalog, Pattern
from models.findings import Severity
from models.policy import Policy
from rules.docs import RuleDoc, format_value, policy_field, policy_value

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
NOT_A_RULE = "no rule in rules/checks/ reports it"


def _severity(pattern: Pattern) -> Text:
    return Text(pattern.severity.value, style=SEVERITY_STYLE.get(pattern.severity, ""))


def rules_table(catalog: Catalog, docs: dict[str, RuleDoc]) -> Table:
    """Every catalog pattern in priority order: its rule's summary, or a note that none has one."""
    table = Table(header_style="bold", pad_edge=False)
    table.add_column("pattern", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("fraud risk", no_wrap=True)
    table.add_column("summary")
    for pattern in catalog.patterns:
        doc = docs.get(pattern.id)
        if doc is not None:
            summary = Text(doc.summary.rstrip("."))
        else:
            summary = Text(f"{pattern.when} ({NOT_A_RULE})", style="dim")
        table.add_row(
            Text(pattern.id, style="" if doc else "dim"),
            _severity(pattern),
            Text("yes" if pattern.fraud_risk else "no", style="bold" if pattern.fraud_risk else ""),
            summary,
        )
    return table


def _policy_lines(doc: RuleDoc, policy: Policy) -> Text:
    if not doc.policy_keys:
        return Text("none")
    lines = Text()
    for index, key in enumerate(doc.policy_keys):
        if index:
            lines.append("\n")
        lines.append(key, style="bold")
        lines.append(f" = {format_value(policy_value(policy, key))}")
        description = policy_field(key).description
        if description:
            lines.append(f"  ({description})", style="dim")
    return lines


def print_rule(
    console: Console, catalog: Catalog, pattern_id: str, doc: RuleDoc | None, policy: Policy
) -> None:
    """One pattern's catalog entry and its rule's doc, section by section."""
    pattern = catalog.get(pattern_id)
    title = Text(f"{pattern.id}: ", style="bold")
    title.append(doc.summary if doc else pattern.when, style="")
    facts = Text("severity ", style="dim")
    facts.append_text(_severity(pattern))
    facts.append(" · fraud risk ", style="dim")
    facts.append("yes (two distinct reviewers)" if pattern.fraud_risk else "no")
    facts.append(f" · priority {catalog.priority(pattern.id) + 1} of {len(catalog.patterns)}",
                 style="dim")
    facts.append(f" · {doc.source if doc else NOT_A_RULE}", style="dim")
    parts: list[Text | Padding] = [title, facts]
    if doc is not None:
        for label, text in doc.sections():
            body = _policy_lines(doc, policy) if label == "Policy keys" else Text(text)
            indented = Padding(body, (0, 0, 0, 2), expand=False)
            parts += [Text(""), Text(label, style="bold underline"), indented]
    console.print(Group(*parts), markup=False, highlight=False)
