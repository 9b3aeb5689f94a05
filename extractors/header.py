"""Header fields read from labels and their positions (value inline, to the right, or below).

Each reader returns the first labelled value that parses as its type, so a label whose right
neighbour is another column's text falls through to the value printed under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from extractors.context import DocContext
from extractors.currency import currency_in
from extractors.dates import find_dates
from extractors.labels import LabelHit, match_at, vocabulary
from models.documents import Word

ID_STRIP = ".,;:()[]"


@dataclass
class Found:
    """A value and the label hit (if any) that produced it."""

    value: str
    hit: LabelHit | None = None


def id_token(words: list[Word]) -> str | None:
    """The identifier in a label's value: its first word that contains a digit."""
    for word in words[:4]:
        token = word.text.strip(ID_STRIP)
        if token.startswith("#"):
            token = token[1:]
        if any(ch.isdigit() for ch in token) and len(token) >= 2:
            return token
    return None


def labelled_id(ctx: DocContext, name: str) -> Found | None:
    """Invoice or PO number: an ID-like token next to or under its label, not a date."""
    for hit in ctx.hits_for(name):
        for words in ctx.values_for(hit):
            token = id_token(words)
            if token and not find_dates(token, ctx.month_first):
                return Found(token, hit)
    return None


def labelled_date(ctx: DocContext, name: str) -> tuple[date, str, LabelHit] | None:
    """A date next to or under one of the field's labels: (date, printed form, hit)."""
    for hit in ctx.hits_for(name):
        for words in ctx.values_for(hit):
            found = find_dates(" ".join(w.text for w in words), ctx.month_first)
            if found:
                printed, parsed = found[0]
                return parsed, printed, hit
    return None


def date_in_sentence(ctx: DocContext, name: str) -> date | None:
    """A field's label inside running text followed by a date ('..., fällig am 23.09.2026.')."""
    index = vocabulary().fields
    for line in ctx.lines:
        if line.index in ctx.table_lines:
            continue
        words = line.words
        for i in range(len(words)):
            found = match_at(words, i, index)
            if found and name in found[1]:
                rest = " ".join(w.text for w in words[found[0] : found[0] + 6])
                dates = find_dates(rest, ctx.month_first)
                # the date follows the label directly or after one word ("am", "on", "le")
                if dates and len(rest[: rest.find(dates[0][0])].split()) <= 1:
                    return dates[0][1]
    return None


_TAX_ID = re.compile(r"^(?:[A-Z]{2})?[0-9A-Z][0-9A-Z.\-/ ]{5,20}$")


def labelled_tax_id(ctx: DocContext) -> Found | None:
    """The issuer's tax id: a labelled id outside the bill-to/ship-to blocks, compacted."""
    regions = ctx.recipient_regions()
    for hit in ctx.hits_for("vendor_tax_id"):
        if any(r.contains(hit.line.page, hit.segment) for r in regions):
            continue
        for words in ctx.values_for(hit):
            kept: list[str] = []
            for word in words:
                token = word.text.strip(ID_STRIP)
                if any(ch.isdigit() for ch in token) or (token.isupper() and len(token) <= 3):
                    kept.append(token)
                elif kept:
                    break
            value = "".join(kept)
            if sum(ch.isdigit() for ch in value) >= 5 and _TAX_ID.match(value):
                return Found(value, hit)
    return None


_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}")


def find_iban(ctx: DocContext) -> str | None:
    """The first valid IBAN printed (labelled or not), compact: checked by its checksum."""
    texts = [
        " ".join(w.text for w in words)
        for hit in ctx.hits_for("iban")
        for words in ctx.values_for(hit)
    ]
    texts.append(ctx.text)
    for text in texts:
        for match in _IBAN_RE.finditer(text):
            compact = match.group(0).replace(" ", "")
            for end in range(len(compact), 14, -1):
                try:
                    return str(IBAN(compact[:end]).compact)
                except SchwiftyException:
                    continue
    return None


def labelled_currency(ctx: DocContext) -> str | None:
    for hit in ctx.hits_for("currency"):
        for words in ctx.values_for(hit):
            code = currency_in(" ".join(w.text for w in words))
            if code:
                return code
    return None


def party_name(ctx: DocContext, name: str) -> Found | None:
    """First line of a labelled address block ('Bill to', 'Supplier')."""
    for hit in ctx.hits_for(name):
        segments, _ = ctx.block_below(hit)
        for segment in segments:
            text = re.split(r"\s[·|•]\s", segment.text)[0].strip(" :,")
            letters = sum(ch.isalpha() for ch in text)
            if letters >= 2 and sum(ch.isdigit() for ch in text) < letters:
                return Found(text, hit)
    return None


_TERMS = [
    re.compile(r"\bnet\s*(\d{1,3})\b", re.IGNORECASE),
    re.compile(r"\bn(\d{2,3})\b"),
    re.compile(r"\b(\d{1,3})\s*(?:days?|tage[n]?|jours|dagen|d[ií]as)\b", re.IGNORECASE),
]
_IMMEDIATE = re.compile(
    r"due on receipt|upon receipt|immediately|sofort|à réception|a reception|direct|al contado",
    re.IGNORECASE,
)


def terms_days(text: str) -> int | None:
    """Payment terms in days from 'Net 30', '30 days', '14 Tage netto', 'due on receipt'."""
    for pattern in _TERMS:
        match = pattern.search(text)
        if match:
            return int(match.group(1))
    if _IMMEDIATE.search(text):
        return 0
    return None


def payment_terms(ctx: DocContext) -> int | None:
    """Labelled terms first, then a 'Net 30' / '30 days' phrase anywhere in the text."""
    for hit in ctx.hits_for("payment_terms"):
        for words in ctx.values_for(hit):
            days = terms_days(" ".join(w.text for w in words))
            if days is not None:
                return days
    match = _TERMS[0].search(ctx.text) or _TERMS[2].search(ctx.text)
    return int(match.group(1)) if match else None
