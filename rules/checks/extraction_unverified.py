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

PATTERN = "EXTRACTION_UNVERIFIED"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """A value not found in the document (or one whose totals do not add up) may be a model
    guess; nothing is paid on a guess, so a person confirms those fields."""
    unverified = ctx.extraction.unverified
    if not unverified:
        return
    fields = sorted(unverified)
    details = "; ".join(f"{field}: {unverified[field]}" for field in fields)
    yield ctx.finding(
        f"{len(fields)} extracted value(s) could not be confirmed in the document — {details}",
        amount=ctx.invoice.total,
        **{f"field.{field}": unverified[field] for field in fields},
    )
