"""EXTRACTION_UNVERIFIED: extracted values could not be grounded in the document.

Fires when: the extract stage recorded at least one field in `Extraction.unverified`: a value not
printed in the document (strings ignoring case and spaces, amounts in either decimal convention,
dates in any supported format), a line whose numbers or description are not printed, several
candidates none of which could be confirmed, a model call that failed for a missing field, or no
total at all. One finding lists every such field with its reason. Vendor-independent.
Why it matters: a value that is not in the document may be a model guess or a misreading; nothing
is paid on a guess. Ungrounded values are removed from the invoice, so the other rules never judge
them, and a person reads those fields from the document.
Example: the model picked 4,536.00 as the total, but the document prints 4.563,00: the total is
dropped and the finding says "1 extracted value(s) could not be confirmed in the document — total:
4536.00 is not printed in the document".
Policy keys: none
Does not fire when: every extracted value was found printed. A field that is simply absent from the
invoice (no PO number, no due date) is not unverified, except the total. Files that cannot be read
at all are UNREADABLE_DOCUMENT, reported by the pipeline instead.
"""

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
