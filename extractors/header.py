"""Header fields read from labels and their positions (value inline, to the right, or below).

Each reader returns the first labelled value that parses as its type, so a label whose right
neighbour is another column's text falls through to the value printed under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extractors.context import DocContext, PartyRow
from extractors.currency import currency_in
from extractors.dates import find_dates
from extractors.labels import LabelHit, is_label_text, match_at, vocabulary
from extractors.layout import Line
from extractors.text import label_key
from models.documents import Word

ID_STRIP = ".,;:()[]"


@dataclass
class Found:
    """A value, the label hit (if any) that produced it and the words it was read from."""

    value: str
    hit: LabelHit | None = None
    words: list[Word] = field(default_factory=list)


_MONEY = re.compile(r"^[-+]?\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}-)?\d{4,5}$")


def plausible_id(token: str, following: list[Word]) -> bool:
    """Whether a token can be a document number: not a year, an amount, a rate or a postcode.

    A postcode is a 4-5 digit number followed by a place name ("80333 München").
    """
    if _YEAR.match(token) or _MONEY.match(token) or token.endswith("%"):
        return False
    if _POSTCODE.match(token) and following:
        place = following[0].text
        if place[:1].isupper() and place.isalpha() and not is_label_text(place):
            return False
    return True


def id_token(words: list[Word]) -> str | None:
    """The identifier in a label's value: its first plausible word that contains a digit."""
    for position, word in enumerate(words[:4]):
        token = word.text.strip(ID_STRIP)
        if token.startswith("#"):
            token = token[1:]
        if any(ch.isdigit() for ch in token) and len(token) >= 2:
            if plausible_id(token, words[position + 1 :]):
                return token
            return None
    return None


def labelled_id(ctx: DocContext, name: str) -> Found | None:
    """Invoice or PO number: an ID-like token next to or under its label, not a date."""
    for hit in ctx.hits_for(name):
        for words in ctx.values_for(hit):
            token = id_token(words)
            if token and not find_dates(token, ctx.month_first):
                return Found(token, hit, words)
    return None


@dataclass
class TitleLine:
    """The document title's line ("Rechnung Nr. 471102 vom 05.06.2018") and what follows it."""

    line: Line
    rest: list[Word]  # the words after the title, in reading order


def _title_length(words: list[Word]) -> int:
    """How many leading words form a document title (0 if none).

    Compounds ending in a title count too: "Handelsrechnung", "Schlussrechnung".
    """
    titles = vocabulary().titles
    n = next((n for n in (3, 2, 1) if label_key(" ".join(w.text for w in words[:n])) in titles), 0)
    if not n and words:
        key = label_key(words[0].text)
        n = int(any(len(t) >= 7 and key.endswith(t) for t in titles))
    label = match_at(words, 0, vocabulary().fields) if n else None
    if label is not None and label[0] > n and "invoice_number" not in label[1]:
        return 0  # "Invoice to:", "Invoice Date": a label that starts with a title's word
    return n


def title_line(ctx: DocContext) -> TitleLine | None:
    """The first line of page 1 that opens with a document title."""
    for line in ctx.lines:
        if line.page != 1:
            break
        for position, segment in enumerate(line.segments):
            n = _title_length(segment.words)
            if n:
                rest = segment.words[n:] + [
                    w for s in line.segments[position + 1 :] for w in s.words
                ]
                return TitleLine(line, rest)
    return None


def number_in_title(ctx: DocContext, title: TitleLine) -> tuple[str, bool] | None:
    """(number, marked): the id after "Nr." / "No." / "#" on the title line, else the first id.

    Codes in brackets ("Handelsrechnung (380)") and dates are never the number.
    """
    words = title.rest
    for i, word in enumerate(words):
        if label_key(word.text) == "no":
            token = id_token(words[i + 1 : i + 2])
            if token and not find_dates(token, ctx.month_first):
                return token, True
    for i, word in enumerate(words[:4]):
        if word.text.startswith("(") or find_dates(word.text, ctx.month_first):
            continue
        token = id_token(words[i : i + 1])
        if token:
            return token, False
    return None


def date_in_title(ctx: DocContext, title: TitleLine) -> date | None:
    """The date printed on the title line ("... vom 05.06.2018", "issued at 2020-11-21")."""
    found = find_dates(" ".join(w.text for w in title.rest), ctx.month_first)
    return found[0][1] if found else None


def labelled_date(ctx: DocContext, name: str) -> tuple[date, Found] | None:
    """A date next to or under one of the field's labels: (date, printed form and where)."""
    for hit in ctx.hits_for(name):
        for words in ctx.values_for(hit):
            found = find_dates(" ".join(w.text for w in words), ctx.month_first)
            if found:
                printed, parsed = found[0]
                return parsed, Found(printed, hit, words)
    return None


# Words joining an invoice number to its date on one line: "Fattura n. 123 del 14/10/2026",
# "Rechnung Nr. 42 vom 05.06.2018", "Facture n° 7 du 03/11/2026", "Invoice 12 dated 3 May 2026".
DATE_CONNECTORS = frozenset({"del", "dd", "vom", "du", "dated", "of", "de", "van", "le"})


def date_after_number(ctx: DocContext) -> tuple[date, Found] | None:
    """The date joined to a labelled invoice number by a connector word (DATE_CONNECTORS)."""
    for hit in ctx.hits_for("invoice_number"):
        words = hit.rest
        for i, word in enumerate(words[:-1]):
            if label_key(word.text) not in DATE_CONNECTORS or i == 0:
                continue
            if not any(ch.isdigit() for w in words[:i] for ch in w.text):
                continue  # the connector follows the number, not the label
            following = words[i + 1 : i + 4]
            text = " ".join(w.text for w in following)
            found = find_dates(text, ctx.month_first)
            if found and text.startswith(found[0][0]):
                return found[0][1], Found(found[0][0], hit, following)
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
                return Found(value, hit, words)
    return None



def labelled_currency(ctx: DocContext) -> str | None:
    for hit in ctx.hits_for("currency"):
        for words in ctx.values_for(hit):
            code = currency_in(" ".join(w.text for w in words))
            if code:
                return code
    return None


_SEPARATORS = re.compile(r"\s[·|•●–-]\s")


def _name_like(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 2 and sum(ch.isdigit() for ch in text) < letters


def _row_words(rows: list[PartyRow], hit: LabelHit) -> list[Word]:
    return [w for row in rows for w in row.line.words if w.x0 >= hit.x0 - 2]


def party_name(ctx: DocContext, name: str) -> Found | None:
    """A labelled party's name ('Bill to', 'Verkäufer', 'Rechnungsersteller').

    In a key/value block the value of its name key ("Name:", "Firma:", "Raison sociale:"),
    with the wrapped lines of that cell; otherwise the block's first line, cut at a
    separator ("Lieferant GmbH · Straße 1 · Ort").
    """
    keys = vocabulary().party_name_keys
    for hit in ctx.hits_for(name):
        rows, _ = ctx.party_block(hit)
        for i, row in enumerate(rows):
            if row.key is None or label_key(row.key) not in keys or not _name_like(row.value):
                continue
            parts = [row.value]
            j = i
            while j > 0 and rows[j].tight and rows[j - 1].key is None:
                j -= 1
                parts.insert(0, rows[j].value)
            k = i + 1
            while k < len(rows) and rows[k].tight and rows[k].key is None:
                parts.append(rows[k].value)
                k += 1
            return Found(" ".join(parts), hit, _row_words(rows[j:k], hit))
        for row in rows:
            if row.key is not None:
                continue
            text = _SEPARATORS.split(row.value)[0].strip(" :,")
            if _name_like(text):
                return Found(text, hit, _row_words([row], hit))
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


# A clause that grants a cash discount ("2 % Skonto within 7 days", "3% discount if paid
# within 10 days") states a discount period, not the payment terms.
_CLAUSE_SPLIT = re.compile(r"[,;(]|\b(?:or|oder|bzw|ou|o|of|oppure)\b", re.IGNORECASE)
_DISCOUNT = re.compile(
    r"%|skonto|discount|escompte|descuento|pronto pago|sconto|korting", re.IGNORECASE
)


def _clauses(text: str) -> list[str]:
    """The text's clauses, those granting a cash discount left out."""
    return [c for c in _CLAUSE_SPLIT.split(text) if c.strip() and not _DISCOUNT.search(c)]


def _days_by(patterns: list[re.Pattern[str]], text: str) -> int | None:
    for pattern in patterns:
        for clause in _clauses(text):
            match = pattern.search(clause)
            if match:
                return int(match.group(1))
    return None


def terms_days(text: str) -> int | None:
    """Payment terms in days from 'Net 30', '30 days', '14 Tage netto', 'due on receipt'.

    A cash-discount period is not the terms: "2 % Skonto within 7 days, 14 days net" is 14.
    """
    days = _days_by(_TERMS, text)
    if days is not None:
        return days
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
    for pattern in (_TERMS[0], _TERMS[2]):
        for line in ctx.text.splitlines():
            days = _days_by([pattern], line)
            if days is not None:
                return days
    return None
