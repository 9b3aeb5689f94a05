"""The markdown summary of one batch (the Prefect artifact written after each batch)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from models.processing import ProcessingResult


def batch_markdown(results: Sequence[ProcessingResult]) -> str:
    """Decisions, rates, exception patterns and model calls of a batch, for the Prefect UI."""
    count = len(results)
    decisions = Counter(item.decision or "failed" for item in results)
    exceptions = sum(1 for item in results if item.patterns)
    patterns = Counter(item.primary_pattern for item in results if item.primary_pattern)

    def rate(part: int) -> str:
        return f"{part / count:.1%}" if count else "-"

    lines = [
        f"# APX batch: {count} invoice{'s' if count != 1 else ''}",
        "",
        "| | invoices | rate |",
        "|---|---:|---:|",
        f"| touchless (approved, posted) | {decisions['approve']} | {rate(decisions['approve'])} |",
        f"| review | {decisions['review']} | {rate(decisions['review'])} |",
        f"| hold | {decisions['hold']} | {rate(decisions['hold'])} |",
        f"| reject | {decisions['reject']} | {rate(decisions['reject'])} |",
    ]
    if decisions["failed"]:
        lines.append(f"| failed (kept, run again) | {decisions['failed']} | "
                     f"{rate(decisions['failed'])} |")
    lines += [f"| with an exception (any finding) | {exceptions} | {rate(exceptions)} |", ""]
    if patterns:
        lines += ["| exception pattern | invoices |", "|---|---:|"]
        lines += [f"| {name} | {n} |" for name, n in sorted(
            patterns.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines.append("")
    extraction = sum(item.extraction_calls for item in results)
    classification = sum(item.classification_calls for item in results)
    cached = sum(item.cached_answers for item in results)
    lines.append(f"Model calls: {extraction} extraction, {classification} classification, "
                 f"{cached} answered from the cache. `apx report` shows the period's figures.")
    return "\n".join(lines)
