"""The totals block read as a whole: net, tax and gross settled by arithmetic.

Every labelled amount of the block is a candidate for its role (net, tax, gross, amount due,
tax base, items total, discount, charges, prepaid); a per-rate tax breakdown ("19 % | 336,00 |
63,84") adds the sums of its bases and taxes; labelled tax rows printed one per rate ("MwSt.
7 %", "MwSt. 19 %") add up to one tax candidate (with no single rate); an unlabelled rate row
whose amount is exactly that rate of a labelled net is a tax candidate ("Ohio sales tax 8%").
Among the candidates, the triple for which net + tax = gross (directly, or after the printed
discount, charges and rounding) wins, preferring the most specific labels. The printed values
are never altered: a block that does not add up keeps its printed net, tax and total for the
rules to flag; the discounts, charges and rounding that bridge Σ lines -> net or net + tax ->
gross are reported as `adjustment`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from extractors.amounts import find_amounts, find_percent
from extractors.context import DocContext
from extractors.dates import find_dates
from extractors.labels import TOTAL_ROLES as ROLES
from extractors.labels import LabelHit
from extractors.layout import Line

FIELDS = ("subtotal", "tax", "total")
# Candidates per output field: (role, priority). A more specific label outranks a derived sum.
_SOURCES: dict[str, tuple[tuple[str, int], ...]] = {
    "subtotal": (("subtotal", 3), ("breakdown_base", 2), ("lines_total", 1)),
    "tax": (("tax", 3), ("breakdown_tax", 2), ("tax_sum", 2), ("rated_tax", 1)),
    "total": (("total", 3), ("amount_due", 2)),
}
RATE_TOLERANCE = Decimal("0.02")


@dataclass
class Amount:
    value: Decimal
    hit: LabelHit | None  # None for a sum over a tax breakdown
    rate: Decimal | None = None
    role: str = ""
    lines: list[Line] = field(default_factory=list)  # where it is printed

    @property
    def line(self) -> Line | None:
        if self.hit is not None:
            return self.hit.line
        return self.lines[0] if self.lines else None


@dataclass
class Totals:
    subtotal: Amount | None = None
    tax: Amount | None = None
    total: Amount | None = None
    by_arithmetic: set[str] = field(default_factory=set)
    ambiguous: set[str] = field(default_factory=set)
    candidates: dict[str, list[Amount]] = field(default_factory=dict)
    # printed discounts and charges (net) that bridge Σ lines and the net, or net + tax and
    # the gross: "Total brut HT 1 137,00 / Remise -34,11 / Frais de port 18,00 / Total HT"
    adjustment: Decimal | None = None


def money(text: str, ctx: DocContext) -> list[tuple[str, Decimal]]:
    """Amounts in `text` that are not part of a date or a percentage."""
    for printed, _ in find_dates(text, ctx.month_first):
        text = text.replace(printed, " ")
    return find_amounts(text, ctx.decimal_sep)


def _has_decimals(printed: str) -> bool:
    digits = printed.rstrip(" )-€$£¥ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return len(digits) > 3 and digits[-3] in ".," and digits[-2:].isdigit()


def _pick(found: list[tuple[str, Decimal]], rate: Decimal | None) -> Decimal | None:
    """The label's amount: the rightmost money-like one, never the printed rate."""
    kept = [(p, v) for p, v in found if not (v == rate and not _has_decimals(p))]
    money_like = [v for p, v in kept if _has_decimals(p)]
    if money_like:
        return money_like[-1]
    return kept[-1][1] if kept else None


def _right_words(ctx: DocContext, hit: LabelHit) -> str:
    """Text right of the label on its line, up to the next label."""
    stops = [h.x0 for h in ctx.hits if h.line is hit.line and h is not hit and h.x0 > hit.x1]
    limit = min(stops, default=float("inf"))
    return " ".join(w.text for w in hit.line.words if hit.x1 - 0.5 <= w.x0 < limit)


# A count of days after a label ("Net 45 days", "Netto 30 Tage") is a payment term, not an amount.
_DAYS = re.compile(
    r"^\s*\d{1,3}\s*(?:days?|tage[n]?|jours|dagen|d[ií]as|giorni|gg)\b", re.IGNORECASE
)


def _amount_for(ctx: DocContext, hit: LabelHit) -> Amount | None:
    """The amount right of the label on its line, else the amount under it."""
    rate = find_percent(hit.line.text)
    right = _right_words(ctx, hit)
    if _DAYS.match(right):
        return None
    value = _pick(money(right, ctx), rate)
    if value is None:
        below = ctx.segment_below(hit.line, hit.segment.x0, hit.segment.x1)
        if below is not None and not ctx.starts_with_label(below):
            value = _pick(money(below.text, ctx), rate)
    if value is None:
        return None
    return Amount(value, hit, rate)


def _breakdown(ctx: DocContext) -> list[tuple[Decimal, Decimal, Decimal, Line]]:
    """Per-rate tax rows outside the item table: (base, rate, tax) with tax = base x rate."""
    rows = []
    for line in ctx.lines:
        if line.index in ctx.table_lines:
            continue
        found = money(line.text, ctx)
        percent = find_percent(line.text)
        amounts = [v for p, v in found if _has_decimals(p)]
        if len(amounts) < 2:
            continue
        rates = [percent] if percent is not None else [v for p, v in found if not _has_decimals(p)]
        base, tax = amounts[0], amounts[-1]
        for rate in rates:
            if rate is not None and 0 <= rate < 100:
                expected = (base * rate / 100).quantize(Decimal("0.01"))
                if abs(expected - tax) <= RATE_TOLERANCE and (tax != 0 or rate == 0):
                    rows.append((base, rate, tax, line))
                    break
    return rows


def _per_rate_taxes(taxes: list[Amount]) -> list[Amount]:
    """Tax rows printed one per rate ("MwSt. 7 % ... 68,60" and "MwSt. 19 % ... 110,96"):
    two or more labelled tax amounts on different lines, each with its own, different rate.
    Their sum is the document's tax; empty when the tax is not split by rate."""
    rated = [a for a in taxes if a.rate is not None and a.hit is not None]
    if len(rated) < 2 or len(rated) != len(taxes):
        return []
    if len({a.rate for a in rated}) != len(rated):
        return []
    if len({a.hit.line.index for a in rated if a.hit is not None}) != len(rated):
        return []
    return rated


def _rated_taxes(ctx: DocContext, by_role: dict[str, list[Amount]]) -> list[Amount]:
    """Unlabelled rate rows ("Ohio sales tax 8%  $27.60"): a line outside the item table and
    without a totals label, with one rate and one amount that is exactly that rate of a
    labelled net or items total."""
    labelled = {h.line.index for h in ctx.hits if h.fields & ROLES}
    nets = [a.value for role in ("subtotal", "lines_total") for a in by_role.get(role, [])]
    found: list[Amount] = []
    for line in ctx.lines:
        if line.index in ctx.table_lines or line.index in labelled:
            continue
        rate = find_percent(line.text)
        amounts = [v for p, v in money(line.text, ctx) if _has_decimals(p)]
        if rate is None or not 0 < rate < 100 or len(amounts) != 1 or amounts[0] <= 0:
            continue
        if any((net * rate / 100).quantize(Decimal("0.01")) == amounts[0] for net in nets):
            found.append(Amount(amounts[0], None, rate, "rated_tax", [line]))
    return found


def _candidates(ctx: DocContext) -> dict[str, list[Amount]]:
    by_role: dict[str, list[Amount]] = {role: [] for role in ROLES}
    for hit in ctx.hits:
        roles = hit.fields & ROLES
        if not roles or hit.line.index in ctx.table_lines:
            continue
        amount = _amount_for(ctx, hit)
        if amount is None:
            continue
        for role in roles:
            by_role[role].append(Amount(amount.value, hit, amount.rate, role))
    per_rate = _per_rate_taxes(by_role["tax"])
    if per_rate:
        lines = [a.hit.line for a in per_rate if a.hit is not None]
        by_role["tax_sum"] = [
            Amount(sum((a.value for a in per_rate), Decimal(0)), None, None, "tax_sum", lines)
        ]
    by_role["rated_tax"] = _rated_taxes(ctx, by_role)
    rows = _breakdown(ctx)
    if rows:
        lines = [row[3] for row in rows]
        rate = rows[0][1] if len({row[1] for row in rows}) == 1 else None
        by_role["breakdown_base"] = [
            Amount(sum((r[0] for r in rows), Decimal(0)), None, rate, "breakdown_base", lines)
        ]
        by_role["breakdown_tax"] = [
            Amount(sum((r[2] for r in rows), Decimal(0)), None, rate, "breakdown_tax", lines)
        ]
    return by_role


def _options(by_role: dict[str, list[Amount]], name: str) -> list[tuple[Amount, int]]:
    options: dict[Decimal, tuple[Amount, int]] = {}
    for role, priority in _SOURCES[name]:
        for amount in by_role.get(role, []):
            if amount.value not in options or options[amount.value][1] < priority:
                options[amount.value] = (amount, priority)
    return list(options.values())


def _adjustments(by_role: dict[str, list[Amount]]) -> list[Decimal]:
    """Net changes the printed discount, charges and rounding may make between subtotal and
    total."""
    discounts = {-abs(a.value) for a in by_role["discount"]} | {Decimal(0)}
    charges = {a.value for a in by_role["charges"]} | {Decimal(0)}
    roundings = {a.value for a in by_role["rounding"]} | {Decimal(0)}
    return sorted({d + c + r for d in discounts for c in charges for r in roundings}, key=abs)


def read_totals(ctx: DocContext, lines_sum: Decimal | None) -> Totals:
    """Totals block; `lines_sum` (Σ item amounts) breaks ties between subtotal candidates."""
    result = Totals()
    by_role = _candidates(ctx)
    subs, taxes, totals = (_options(by_role, name) for name in FIELDS)
    for name, options in zip(FIELDS, (subs, taxes, totals), strict=True):
        result.candidates[name] = [a for a, _ in options]
    adjustments = _adjustments(by_role)
    best: tuple[int, int, Amount, Amount | None, Amount] | None = None
    tax_options: list[tuple[Amount | None, int]] = [*taxes] if taxes else [(None, 0)]
    for (sub, ps), (tax, pt), (total, pg) in product(subs, tax_options, totals):
        tax_value = tax.value if tax is not None else Decimal(0)
        fits = [
            i for i, adj in enumerate(adjustments) if sub.value + adj + tax_value == total.value
        ]
        if not fits:
            continue
        score = ps + pt + pg + (2 if lines_sum == sub.value else 0) - min(fits)
        order = max(a.line.index if a and a.line else -1 for a in (sub, tax, total))
        if best is None or (score, order) > best[:2]:
            best = (score, order, sub, tax, total)
    if best is not None:
        _, _, result.subtotal, result.tax, result.total = best
        result.by_arithmetic = {
            name
            for name, options in zip(FIELDS, (subs, taxes, totals), strict=True)
            if len(options) > 1
        }
    else:
        result = _fallback(result, subs, taxes, totals, lines_sum)
    result.adjustment = _bridge(result, adjustments, lines_sum)
    return result


def _bridge(
    result: Totals, adjustments: list[Decimal], lines_sum: Decimal | None
) -> Decimal | None:
    """The printed discounts and charges (net, not zero) that make Σ lines = net, or
    net + tax = gross, where the numbers do not agree without them; else None."""
    sub = result.subtotal.value if result.subtotal is not None else None
    if sub is None:
        return None
    if lines_sum is not None and lines_sum != sub:
        for adj in adjustments:
            if adj and lines_sum + adj == sub:
                return adj
    if result.total is not None:
        tax = result.tax.value if result.tax is not None else Decimal(0)
        if sub + tax != result.total.value:
            for adj in adjustments:
                if adj and sub + adj + tax == result.total.value:
                    return adj
    return None


def _fallback(
    result: Totals,
    subs: list[tuple[Amount, int]],
    taxes: list[tuple[Amount, int]],
    totals: list[tuple[Amount, int]],
    lines_sum: Decimal | None,
) -> Totals:
    """Nothing adds up: the most specific labelled amounts, flagged when there are several."""

    def top(options: list[tuple[Amount, int]]) -> list[Amount]:
        if not options:
            return []
        best = max(p for _, p in options)
        return [a for a, p in options if p == best]

    sub_top, tax_top, total_top = top(subs), top(taxes), top(totals)
    if sub_top:
        result.subtotal = next((s for s in sub_top if s.value == lines_sum), sub_top[0])
        if len(sub_top) > 1 and lines_sum not in {s.value for s in sub_top}:
            result.ambiguous.add("subtotal")
    if total_top:
        result.total = total_top[-1]
        if len(total_top) > 1:
            result.ambiguous.add("total")
    if tax_top:
        result.tax = tax_top[0]
        if len(tax_top) > 1:
            result.ambiguous.add("tax")
    return result
