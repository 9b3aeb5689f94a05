"""EXTRACTION_UNVERIFIED: extracted values could not be grounded in the document.

Fires when: a fact the decision depends on was not read or not confirmed — the vendor's identity
(matched by name or alias, not by tax id, unless the master has no tax id for it and the
invoice's IBAN is the master's), the invoice number, the invoice date,
the currency or the total missing from the document, not printed in it, or only picked by the
model with nothing independent to confirm it (a model's total counts when subtotal + tax agree)
— or extraction recorded any other field in `Extraction.unverified` (a value not printed in the
document, an e-invoice attachment that could not be used, a page that could not be compared with
its e-invoice XML). One finding lists every such field with its reason. Vendor-independent.
Why it matters: a value that is not in the document may be a model guess or a misreading; nothing
is paid on a guess. Ungrounded values are removed from the invoice, so the other rules never judge
them, and a person reads those fields from the document.
Example: the invoice number sits next to a label APX does not know ("Bill No: B-7781"), so no
number is read: "1 extracted value(s) could not be confirmed in the document — invoice_number:
not found on the document".
Policy keys: tolerances.arithmetic
Does not fire when: every fact was read by code (or from e-invoice XML) and found printed, and the
vendor was identified by its tax id (or, with no tax id on file, by name and the master's IBAN).
Line items of a PO invoice are LINES_NOT_READ's; a vendor not in the master at all is
UNKNOWN_VENDOR's; files that cannot be read at all are UNREADABLE_DOCUMENT, reported by the
pipeline.
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
