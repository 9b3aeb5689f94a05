"""EXTRACTION_UNVERIFIED: some extracted values could not be confirmed in the document."""

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
