"""Bank details from the payment (remit-to) part of a document, and from nowhere else.

An invoice prints other parties' details too: the customer's name, address and sometimes
its own account in the bill-to block, its account for a direct debit, its customer number.
Only what the vendor asks to be paid to counts, so accounts are read from *payment blocks*:

- a segment with a payment heading ("Bank details", "Remit to", "Bankverbindung",
  "Coordonnées bancaires" ...: `bank.yaml`) or an identifier label ("IBAN", "BIC",
  "Routing", "ABA", "Sort code" ...), the rest of its line to the right, and the segments
  stacked under it (a footer column, the lines under a heading);
- never a segment of a bill-to / ship-to block (which here runs on over label lines such as
  "IBAN:" until a gap, another party's label or a payment heading), nor one about the
  customer's own account ("your account", "direct debit", "Lastschrift" ...), nor the lines
  stacked under such a heading ("Ihre Bankverbindung (für Gutschriften):" / "IBAN ...").

In a block: IBANs (checked by schwifty), BICs after their label (checked by schwifty), US
ABA routing numbers after theirs (check digit by python-stdnum), UK sort codes, and
account numbers after an account label ("Account", "Acct", "Kontonummer", "Compte" ...).
One block is one account, unless it prints several IBANs (one account each).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.us import rtn

from extractors.context import RECIPIENT_FIELDS, DocContext, Region
from extractors.labels import match_at, vocabulary
from extractors.layout import Line, Segment, overlap
from extractors.text import strip_accents
from models.invoice import BankAccount

VOCABULARY_FILE = Path(__file__).with_name("bank.yaml")
BLOCK_LINES = 6  # lines stacked under a payment heading that still belong to it
RECIPIENT_LINES = 8  # lines of a bill-to / ship-to block
PARTY_FIELDS = RECIPIENT_FIELDS | {"vendor_name"}


def _key(text: str) -> str:
    """Words without case, accents or punctuation, one space apart, padded with spaces."""
    folded = strip_accents(unicodedata.normalize("NFKC", text)).casefold()
    return " " + " ".join(re.findall(r"[^\W_]+", folded)) + " "


def _label_pattern(labels: list[str]) -> str:
    """Any of the labels as whole words, punctuation between their words optional."""
    ordered = sorted({strip_accents(label) for label in labels}, key=len, reverse=True)
    words = [re.findall(r"[^\W_]+", label) for label in ordered]
    return "(?:" + "|".join(r"[\W_]*".join(map(re.escape, w)) for w in words if w) + ")"


@dataclass(frozen=True)
class _Vocabulary:
    headings: tuple[str, ...]
    identifiers: tuple[str, ...]
    customer_markers: tuple[str, ...]
    account: re.Pattern[str]
    routing: re.Pattern[str]
    sort_code: re.Pattern[str]
    bic: re.Pattern[str]

    def has(self, text: str, phrases: tuple[str, ...]) -> bool:
        key = _key(text)
        return any(phrase in key for phrase in phrases)


# A label, then punctuation and an optional "No" / "Nr" / "n°" / "Number", then the value.
_AFTER_LABEL = (
    r"(?<![^\W_]){label}(?![^\W_])[\s:.#°\-]*(?:(?:no|nr|n|number|num)\b[\s:.#°]*)?"
)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data: dict[str, Any] = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))

    def keys(name: str) -> tuple[str, ...]:
        return tuple(_key(str(item)) for item in data[name])

    def value(name: str, pattern: str) -> re.Pattern[str]:
        label = _label_pattern([str(item) for item in data[name]])
        return re.compile(_AFTER_LABEL.format(label=label) + pattern, re.IGNORECASE)

    return _Vocabulary(
        headings=keys("headings"),
        identifiers=keys("identifiers"),
        customer_markers=keys("customer_markers"),
        account=value("account_labels", r"(\d[\d \-]{2,24}\d)(?![\d\-])"),
        routing=value("routing_labels", r"(\d{9})(?!\d)"),
        sort_code=value("sort_code_labels", r"(\d{2})[ \-]?(\d{2})[ \-]?(\d{2})(?!\d)"),
        bic=value("bic_labels", r"(?:code\s*[:.]?\s*)?([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b"),
    )


_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}")


def _ibans(text: str) -> list[str]:
    """Valid IBANs in the text, compact (a run of characters is cut back until one checks)."""
    found: list[str] = []
    for match in _IBAN.finditer(text.upper()):
        compact = match.group(0).replace(" ", "")
        for end in range(len(compact), 14, -1):
            try:
                iban = str(IBAN(compact[:end]).compact)
            except SchwiftyException:
                continue
            if iban not in found:
                found.append(iban)
            break
    return found


def _bics(text: str, vocabulary: _Vocabulary) -> list[str]:
    found: list[str] = []
    for match in vocabulary.bic.finditer(text):
        code = match.group(1)
        if not code.isupper():  # a word after "SWIFT" ("transfer"), not a printed code
            continue
        try:
            BIC(code)
        except SchwiftyException:
            continue
        if code not in found:
            found.append(code)
    return found


def _first(
    pattern: re.Pattern[str], text: str, valid: Callable[[str], bool] | None = None
) -> str | None:
    for match in pattern.finditer(text):
        value = "".join(ch for ch in "".join(match.groups()) if ch.isdigit())
        if valid is None or valid(value):
            return value
    return None


def accounts_in(text: str) -> list[BankAccount]:
    """The account(s) a payment block's text names: see the module docstring."""
    vocabulary = _vocabulary()
    text = strip_accents(unicodedata.normalize("NFKC", text))
    ibans = _ibans(text)
    bics = _bics(text, vocabulary)
    bic = bics[0] if len(bics) == 1 else None
    routing = _first(vocabulary.routing, text, rtn.is_valid)
    sort_code = _first(vocabulary.sort_code, text)
    account = _first(vocabulary.account, text, lambda digits: 4 <= len(digits) <= 17)
    domestic = BankAccount(
        bic=bic if not ibans else None,
        account_number=account,
        routing_number=routing,
        sort_code=sort_code,
    )
    if len(ibans) == 1:
        return [domestic.model_copy(update={"iban": ibans[0], "bic": bic})]
    found = [BankAccount(iban=iban, bic=bic) for iban in ibans]
    if any(domestic.model_dump().values()):
        found.append(domestic)
    return found


def _party_label(segment: Segment) -> bool:
    found = match_at(segment.words, 0, vocabulary().fields)
    return found is not None and bool(found[1] & PARTY_FIELDS)


def _stacked(
    ctx: DocContext, line: Line, x0: float, x1: float, max_lines: int
) -> list[tuple[Line, list[Segment]]]:
    """Lines right under `line` (small gaps, same page) with their segments in [x0, x1]."""
    below: list[tuple[Line, list[Segment]]] = []
    previous = line
    for other in ctx.lines[line.index + 1 : line.index + 1 + max_lines]:
        if other.page != previous.page or other.index in ctx.table_lines:
            break
        if other.top - previous.bottom > 1.5 * previous.height:
            break
        inside = [s for s in other.segments if overlap(x0, x1, s.x0, s.x1) > 0]
        if not inside:
            break
        below.append((other, inside))
        previous = other
    return below


def recipient_regions(ctx: DocContext) -> list[Region]:
    """Bill-to and ship-to blocks, running on over label lines ("IBAN: ...", "VAT No: ...")
    until a gap, another party's label or a payment heading."""
    vocabulary = _vocabulary()
    regions: list[Region] = []
    for hit in ctx.hits:
        if not hit.fields & RECIPIENT_FIELDS:
            continue
        x0, x1 = hit.x0 - 2, max(hit.segment.x1, hit.x0 + 120)
        bottom = hit.line.bottom
        for other, inside in _stacked(ctx, hit.line, x0, x1, RECIPIENT_LINES):
            segment = inside[0]
            if _party_label(segment) or vocabulary.has(segment.text, vocabulary.headings):
                break
            x1, bottom = max(x1, segment.x1), other.bottom
        regions.append(Region(hit.line.page, x0, x1, hit.line.top, bottom))
    return regions


def customer_regions(ctx: DocContext) -> list[Region]:
    """Blocks headed by a line about the customer's own account ("Ihre Bankverbindung (für
    Gutschriften):", "Your bank details:"): the heading and the lines stacked under it, until
    a gap, a party's label or a payment heading."""
    vocabulary = _vocabulary()
    regions: list[Region] = []
    for line in ctx.lines:
        if line.index in ctx.table_lines:
            continue
        for segment in line.segments:
            text = segment.text.rstrip()
            if not text.endswith(":") or not vocabulary.has(text, vocabulary.customer_markers):
                continue
            x0, x1 = segment.x0 - 2, max(segment.x1, segment.x0 + 120)
            bottom = line.bottom
            for other, inside in _stacked(ctx, line, x0, x1, BLOCK_LINES):
                first = inside[0]
                if _party_label(first) or (
                    vocabulary.has(first.text, vocabulary.headings)
                    and not vocabulary.has(first.text, vocabulary.customer_markers)
                ):
                    break
                x1, bottom = max(x1, first.x1), other.bottom
            regions.append(Region(line.page, x0, x1, line.top, bottom))
    return regions


def payment_blocks(ctx: DocContext) -> list[str]:
    """The text of each payment block, in reading order: see the module docstring."""
    vocabulary = _vocabulary()
    starts = vocabulary.headings + vocabulary.identifiers
    recipients = recipient_regions(ctx) + customer_regions(ctx)
    used: set[int] = set()

    def readable(line: Line, segment: Segment) -> bool:
        return (
            id(segment) not in used
            and not any(r.contains(line.page, segment) for r in recipients)
            and not vocabulary.has(segment.text, vocabulary.customer_markers)
        )

    blocks: list[str] = []
    for line in ctx.lines:
        if line.index in ctx.table_lines:
            continue
        for position, segment in enumerate(line.segments):
            if not readable(line, segment) or not vocabulary.has(segment.text, starts):
                continue
            parts = [s for s in line.segments[position:] if readable(line, s)]
            x0, x1 = segment.x0, max(max(s.x1 for s in parts), segment.x0 + 150)
            for other, inside in _stacked(ctx, line, x0, x1, BLOCK_LINES):
                if any(_party_label(s) for s in inside):
                    break
                parts += [s for s in inside if readable(other, s)]
            used.update(id(s) for s in parts)
            blocks.append("\n".join(s.text for s in parts))
    return blocks


def read_bank_details(ctx: DocContext) -> list[BankAccount]:
    """Every account printed in the document's payment blocks, each once, in reading order."""
    found: list[BankAccount] = []
    for block in payment_blocks(ctx):
        for account in accounts_in(block):
            if account not in found:
                found.append(account)
    return found
