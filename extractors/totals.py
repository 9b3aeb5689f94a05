"""Subtotal, tax (with its printed rate) and total from their labels, settled by arithmetic.

When a label occurs more than once with different amounts, the combination for which
subtotal + tax = total (and Σ lines = subtotal) wins; the printed values are never altered,
so a total that does not add up stays the printed total for the rules to flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from extractors.amounts import find_amounts, find_percent
from extractors.context import DocContext
from extractors.labels import LabelHit

FIELDS = ("subtotal", "tax", "total")


@dataclass
class Amount:
    value: Decimal
    hit: LabelHit
    rate: Decimal | None = None


@dataclass
class Totals:
    subtotal: Amount | None = None
    tax: Amount | None = None
    total: Amount | None = None
    by_arithmetic: set[str] = field(default_factory=set)
    ambiguous: set[str] = field(default_factory=set)
    candidates: dict[str, list[Amount]] = field(default_factory=dict)


def _amount_for(ctx: DocContext, hit: LabelHit) -> Amount | None:
    """The rightmost amount right of the label on its line, else the amount under it."""
    right = [w for w in hit.line.words if w.x0 >= hit.x1 - 0.5]
    right_text = " ".join(w.text for w in right)
    rate = find_percent(hit.line.text)
    found = find_amounts(right_text, ctx.decimal_sep)
    if not found:
        below = ctx.segment_below(hit.line, hit.segment.x0, hit.segment.x1)
        if below is not None and not ctx.starts_with_label(below):
            found = find_amounts(below.text, ctx.decimal_sep)
    if not found:
        return None
    return Amount(found[-1][1], hit, rate)


def _distinct(amounts: list[Amount]) -> list[Amount]:
    seen: dict[Decimal, Amount] = {}
    for amount in amounts:
        seen.setdefault(amount.value, amount)
    return list(seen.values())


def read_totals(ctx: DocContext, lines_sum: Decimal | None) -> Totals:
    """Totals block; `lines_sum` (Σ item amounts) breaks ties between subtotal candidates."""
    result = Totals()
    for name in FIELDS:
        found = [a for h in ctx.hits_for(name) if (a := _amount_for(ctx, h)) is not None]
        result.candidates[name] = _distinct(found)
    subs = result.candidates["subtotal"]
    taxes = result.candidates["tax"]
    totals = result.candidates["total"]
    for strict in (True, False):
        tax_options: list[Amount | None] = [*taxes] if taxes else [None]
        for sub, tax, total in product(subs, tax_options, totals):
            tax_value = tax.value if tax is not None else Decimal(0)
            if sub.value + tax_value != total.value:
                continue
            if strict and lines_sum is not None and lines_sum != sub.value:
                continue
            result.subtotal, result.tax, result.total = sub, tax, total
            result.by_arithmetic = {
                n for n, c in (("subtotal", subs), ("tax", taxes), ("total", totals)) if len(c) > 1
            }
            return result
    if subs:
        result.subtotal = next((s for s in subs if s.value == lines_sum), subs[0])
        if len(subs) > 1 and lines_sum not in {s.value for s in subs}:
            result.ambiguous.add("subtotal")
    if totals:
        result.total = totals[-1]
        if len(totals) > 1:
            result.ambiguous.add("total")
    if taxes:
        result.tax = taxes[0]
        if len(taxes) > 1:
            result.ambiguous.add("tax")
    return result
