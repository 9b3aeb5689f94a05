"""EXTRACTION_UNVERIFIED: some extracted values could not be confirmed in the document."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.completeness import EXTRACTION, assess

PATTERN = "EXTRACTION_UNVERIFIED"


def _is_line_key(field: str) -> bool:
    return field == "lines" or field.startswith("lines[")


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A fact the decision depends on that was not read, not grounded or only guessed by the
    model is not a fact: nothing is paid on a guess, so a person confirms those fields.

    Reports the header gaps of the completeness record (vendor identity, invoice number,
    date, currency, total) and every other value extraction could not ground. Line items of
    a PO invoice are LINES_NOT_READ's to report.
    """
    completeness = assess(ctx)
    problems = {fact.name: fact.detail for fact in completeness.gaps
                if fact.reported_by == EXTRACTION}
    po_lines_assessed = any(fact.name == "lines" for fact in completeness.facts)
    for field, reason in ctx.extraction.unverified.items():
        if po_lines_assessed and _is_line_key(field):
            continue
        problems.setdefault(field, reason)
    if not problems:
        return
    fields = sorted(problems)
    details = "; ".join(f"{field}: {problems[field]}" for field in fields)
    yield ctx.finding(
        f"{len(fields)} extracted value(s) could not be confirmed in the document — {details}",
        amount=ctx.invoice.total,
        **{f"field.{field}": problems[field] for field in fields},
    )
