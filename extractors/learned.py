"""Vendor layouts: learn where a confirmed invoice printed each field, read the next one there.

Learning (`learn`) finds each confirmed value on the page — at the place extraction recorded
for it, else wherever it is printed outside the item table — and keeps what names it: the
text right before it in its cell ("Ref. RE-2026-0042"), the cell to its left ("Doc#" |
"4711") or the cell above (a boxed header row), or, with no such text, its position alone.
It also keeps the value's shape: digits generalised, letters and punctuation kept
(`RE-2026-0042` -> `RE-\\d{4}-\\d{3,}`), so the next invoice's number fits and a date or an
amount printed at the same place does not.

Reading (`read`) looks for the learned label on the learned page and takes the first words in
the learned direction that have the learned shape; a position-only rule takes words of that
shape at the learned place. Whatever it reads is still grounded like any other value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from extractors.amounts import decimal_separator, find_amounts, parse_amount
from extractors.context import DocContext
from extractors.dates import find_dates
from extractors.header import ID_STRIP
from extractors.layout import Line, Segment, document_lines, overlap
from extractors.text import ground_key, label_key
from models.documents import ParsedDocument, Word
from models.invoice import FieldLocation, InvoiceDocument
from models.layouts import LEARNED_FIELDS, Box, Direction, FieldRule

Kind = Literal["id", "name", "date", "amount"]
KIND: dict[str, Kind] = {
    "vendor_name": "name",
    "invoice_number": "id",
    "po_number": "id",
    "invoice_date": "date",
    "due_date": "date",
    "total": "amount",
}
MAX_LABEL_WORDS = 3
MAX_VALUE_WORDS = 6
# A position-only value may have moved this much (fractions of the page) and still be it.
X_TOLERANCE = 0.04
Y_TOLERANCE = 0.015


@dataclass
class Reading:
    """A value read with a rule: the parsed value, as printed, and its words."""

    value: Any
    printed: str
    words: list[Word]


@dataclass
class Learned:
    rules: tuple[FieldRule, ...]
    unplaced: dict[str, str]
    """Fields with a value that could not be found on the page, with why."""


# -- shapes ------------------------------------------------------------------------------------


_PARTS = re.compile(r"\d+|[^\W\d_]+|\s+|.")


def shape_of(kind: Kind, printed: str) -> str:
    """A regular expression that the field's next values match and other values do not."""
    if kind == "name":
        return "(?i)" + r"\s*".join(re.escape(word) for word in printed.split())
    if kind == "amount":
        return _amount_shape(printed)
    parts = _PARTS.findall(printed)
    digit_runs = [i for i, part in enumerate(parts) if part.isdigit()]
    out = []
    for i, part in enumerate(parts):
        if part.isdigit():
            n = len(part)
            if kind == "date":
                out.append(r"\d{1,2}" if n <= 2 else rf"\d{{{n}}}")
            elif i == digit_runs[-1] and n > 1:
                out.append(rf"\d{{{n - 1},}}")  # a running number grows: 999 -> 1000
            else:
                out.append(rf"\d{{{n}}}")
        elif part.isspace():
            out.append(r"\s+")
        elif part.isalpha() and kind == "date":
            out.append(r"[^\W\d_]+")  # a month's name, in any length
        elif part == "." and kind == "date" and i > 0 and parts[i - 1].isalpha():
            out.append(r"\.?")  # "Oct." and "October"
        else:
            out.append(re.escape(part))
    return "".join(out)


_AMOUNT_NUMBER = re.compile(r"\d(?:[\d.,'’ \u00a0]*\d)?")


def _amount_shape(printed: str) -> str:
    """The currency and decimal convention of an amount, not its digits ("1.234,56 €")."""
    match = _AMOUNT_NUMBER.search(printed)
    if match is None:
        return re.escape(printed)
    number = match.group(0)
    decimals = re.search(r"([.,])(\d{1,4})$", number)
    if decimals and not (len(decimals.group(2)) == 3 and decimals.group(1) in number[:-4]):
        body = rf"\d(?:[\d.,'’\s]*\d)?{re.escape(decimals.group(1))}\d{{{len(decimals.group(2))}}}"
    else:
        body = r"\d(?:[\d.,'’\s]*\d)?"
    before, after = printed[: match.start()], printed[match.end() :]
    return _loose(before) + body + _loose(after)


def _loose(text: str) -> str:
    """Text around an amount (a currency), with any spacing."""
    return r"\s*".join(["", *(re.escape(part) for part in text.split()), ""]).replace(
        r"\s*\s*", r"\s*")


def fits(rule: FieldRule, text: str) -> bool:
    return re.fullmatch(rule.shape, text) is not None


# -- words and their text -----------------------------------------------------------------------


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _span_words(words: list[Word], start: int, end: int) -> list[Word]:
    """The words of `words` that the characters [start, end) of their joined text fall in."""
    out, position = [], 0
    for word in words:
        stop = position + len(word.text)
        if position < end and stop > start:
            out.append(word)
        position = stop + 1
    return out


def _clean_id(text: str) -> str:
    token = text.strip(ID_STRIP)
    return token[1:] if token.startswith("#") else token


def _parse(kind: Kind, text: str, ctx: DocContext, month_first: bool | None) -> Any:
    """The value `text` is in full, or None (an id is cleaned of punctuation around it)."""
    if kind == "id":
        return _clean_id(text) or None
    if kind == "name":
        return text.strip() or None
    if kind == "date":
        order = ctx.month_first if month_first is None else month_first
        found = find_dates(text, order)
        return found[0][1] if len(found) == 1 and found[0][0] == text.strip(" ,;") else None
    return parse_amount(text, ctx.decimal_sep)


# -- learning ---------------------------------------------------------------------------------


@dataclass
class _Occurrence:
    line: Line
    words: list[Word]
    printed: str
    month_first: bool | None = None


def _occurrences(lines: list[Line], decimal_sep: str | None, kind: Kind,
                 value: Any) -> list[_Occurrence]:
    """Where `value` is printed in `lines`, in reading order."""
    found: list[_Occurrence] = []
    for line in lines:
        words = line.words
        if kind == "id":
            found += [_Occurrence(line, [w], value) for w in words if _clean_id(w.text) == value]
        elif kind == "name":
            target = ground_key(str(value))
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + 12) + 1):
                    key = ground_key(_text(words[i:j]))
                    if key == target:
                        found.append(_Occurrence(line, words[i:j], _text(words[i:j])))
                    if len(key) >= len(target):
                        break
        elif kind == "date":
            orders = {mf: dict(find_dates(line.text, mf)) for mf in (False, True)}
            for printed in dict.fromkeys([*orders[False], *orders[True]]):
                matches = [mf for mf in (False, True) if orders[mf].get(printed) == value]
                if matches:
                    start = line.text.find(printed)
                    month_first = matches[0] if len(matches) == 1 else None
                    span = _span_words(words, start, start + len(printed))
                    found.append(_Occurrence(line, span, printed, month_first))
        else:
            for printed, amount in find_amounts(line.text, decimal_sep):
                if amount == value:
                    start = line.text.find(printed)
                    span = _span_words(words, start, start + len(printed))
                    # a currency code or symbol printed apart may be part of a label ("Total USD")
                    span = [w for w in span if any(ch.isdigit() for ch in w.text)] or span
                    found.append(_Occurrence(line, span, _text(span)))
    return found


def _inside(words: list[Word], where: FieldLocation) -> bool:
    return all(
        w.page == where.page and where.x0 - 1 <= (w.x0 + w.x1) / 2 <= where.x1 + 1
        and where.top - 1 <= (w.top + w.bottom) / 2 <= where.bottom + 1
        for w in words
    )


def _label_like(words: list[Word]) -> bool:
    """Text that can name a value: a few words, letters, no digits ("Ref.", "Doc#", "Vorgang")."""
    text = _text(words)
    if not words or len(words) > MAX_LABEL_WORDS or any(ch.isdigit() for ch in text):
        return False
    return sum(ch.isalpha() for ch in text) >= 2 and (
        len(words) <= 2 or text.rstrip()[-1:] in ":#."
    )


def _segment_of(line: Line, word: Word) -> Segment:
    return next(s for s in line.segments if any(w is word for w in s.words))


def _anchor(ctx: DocContext, line: Line, words: list[Word]) -> tuple[str, Direction] | None:
    """The text that names the value: before it in its cell, the cell left of it, or above."""
    segment = _segment_of(line, words[0])
    position = next(i for i, w in enumerate(segment.words) if w is words[0])
    before: list[Word] = []
    for word in reversed(segment.words[:position]):
        if any(ch.isdigit() for ch in word.text) or len(before) == MAX_LABEL_WORDS:
            break
        before.insert(0, word)
    if before:
        return (_text(before), "inline") if _label_like(before) else None
    index = line.segments.index(segment)
    if index > 0 and _label_like(line.segments[index - 1].words):
        return _text(line.segments[index - 1].words), "right"
    previous = ctx.lines[line.index - 1] if line.index > 0 else None
    if previous is not None and previous.page == line.page and \
            line.top - previous.bottom <= 2.5 * previous.height:
        x0, x1 = words[0].x0, words[-1].x1
        above = max(previous.segments, key=lambda s: overlap(x0, x1, s.x0, s.x1))
        if overlap(x0, x1, above.x0, above.x1) > 0 and _label_like(above.words):
            return _text(above.words), "below"
    return None


def _box(ctx: DocContext, words: list[Word]) -> Box:
    page = ctx.doc.pages[words[0].page - 1]
    return Box(
        x0=round(min(w.x0 for w in words) / page.width, 4),
        top=round(min(w.top for w in words) / page.height, 4),
        x1=round(max(w.x1 for w in words) / page.width, 4),
        bottom=round(max(w.bottom for w in words) / page.height, 4),
    )


def learn(
    doc: ParsedDocument,
    invoice: InvoiceDocument,
    locations: Mapping[str, FieldLocation],
    fields: Iterable[str] = LEARNED_FIELDS,
) -> Learned:
    """The rules a confirmed invoice teaches: one per field whose value is printed on it.

    A value is looked for where extraction recorded it (`locations`), else anywhere: its
    first occurrence in reading order (a header value comes before the item table).
    """
    text = doc.text
    # only what learning needs: lines and the decimal separator (no labels, no table)
    ctx = DocContext(doc=doc, text=text, lines=document_lines(doc.pages),
                     decimal_sep=decimal_separator(text), month_first=False)
    rules: list[FieldRule] = []
    unplaced: dict[str, str] = {}
    for name in fields:
        value = getattr(invoice, name)
        if value is None:
            continue
        kind = KIND[name]
        where = locations.get(name)
        near = [ln for ln in ctx.lines if where is not None and ln.page == where.page
                and overlap(where.top - 1, where.bottom + 1, ln.top, ln.bottom) > 0]
        placed = [o for o in _occurrences(near, ctx.decimal_sep, kind, value)
                  if where is not None and _inside(o.words, where)]
        found = placed or _occurrences(ctx.lines, ctx.decimal_sep, kind, value)
        if not found:
            unplaced[name] = f"'{_show(value)}' is not printed on the document"
            continue
        best = found[0]
        anchor = _anchor(ctx, best.line, best.words)
        rules.append(FieldRule(
            field=name, page=best.line.page, box=_box(ctx, best.words),
            label=anchor[0] if anchor else None, direction=anchor[1] if anchor else None,
            shape=shape_of(kind, best.printed),
            printed=best.printed, month_first=best.month_first,
        ))
    return Learned(tuple(rules), unplaced)


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


# -- reading ------------------------------------------------------------------------------------


def _first_fit(ctx: DocContext, rule: FieldRule, words: list[Word],
               starts: int) -> Reading | None:
    """The first run of `words` (starting among the first `starts`) that fits the rule."""
    kind = KIND[rule.field]
    for i in range(min(starts, len(words))):
        for j in range(i + 1, min(len(words), i + MAX_VALUE_WORDS) + 1):
            text = _text(words[i:j])
            candidate = _clean_id(text) if kind == "id" else text
            if fits(rule, candidate):
                value = _parse(kind, text, ctx, rule.month_first)
                if value is not None:
                    return Reading(value, candidate, words[i:j])
    return None


def _distance(ctx: DocContext, rule: FieldRule, words: list[Word]) -> float:
    here, there = _box(ctx, words).centre, rule.box.centre
    return abs(here[0] - there[0]) + abs(here[1] - there[1])


def _labels(ctx: DocContext, rule: FieldRule, lines: list[Line]) -> list[tuple[Line, Segment, int]]:
    """(line, segment, index after the label) for every place the rule's label is printed."""
    key = label_key(rule.label or "")
    n_words = len((rule.label or "").split())
    found = []
    for line in lines:
        for segment in line.segments:
            for i in range(len(segment.words)):
                for n in range(1, n_words + 2):
                    if i + n <= len(segment.words) and \
                            label_key(_text(segment.words[i : i + n])) == key:
                        found.append((line, segment, i + n))
                        break
    return found


def read(ctx: DocContext, rule: FieldRule) -> Reading | str:
    """The rule's value on this document, or why the layout does not fit it here."""
    if rule.page > len(ctx.doc.pages):
        return f"the document has no page {rule.page}"
    lines = [ln for ln in ctx.lines if ln.page == rule.page and ln.index not in ctx.table_lines]
    readings: list[Reading] = []
    if rule.label is not None:
        places = _labels(ctx, rule, lines)
        if not places:
            return f"the label '{rule.label}' is not on page {rule.page}"
        for line, segment, end in places:
            if rule.direction == "below":
                below = ctx.segment_below(line, segment.words[0].x0, segment.words[end - 1].x1)
                candidates = [below.words] if below is not None else []
            else:
                index = line.segments.index(segment)
                after = line.segments[index + 1].words if index + 1 < len(line.segments) else []
                candidates = [segment.words[end:], after]
            for words in candidates:
                found = _first_fit(ctx, rule, words, starts=2)
                if found is not None:
                    readings.append(found)
                    break
        if not readings:
            return f"nothing of the shape {rule.shape} next to '{rule.label}'"
    else:
        page = ctx.doc.pages[rule.page - 1]
        box = rule.box
        for line in lines:
            top, bottom = line.top / page.height, line.bottom / page.height
            if overlap(box.top - Y_TOLERANCE, box.bottom + Y_TOLERANCE, top, bottom) <= 0:
                continue
            for segment in line.segments:
                x0, x1 = segment.x0 / page.width, segment.x1 / page.width
                if overlap(box.x0 - X_TOLERANCE, box.x1 + X_TOLERANCE, x0, x1) > 0:
                    found = _first_fit(ctx, rule, segment.words, starts=len(segment.words))
                    if found is not None:
                        readings.append(found)
        if not readings:
            return f"nothing of the shape {rule.shape} at the learned place on page {rule.page}"
    return min(readings, key=lambda r: _distance(ctx, rule, r.words))


def same_value(left: Any, right: Any) -> bool:
    """Equal values (amounts compare as numbers)."""
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return left == right
    return bool(left == right)
