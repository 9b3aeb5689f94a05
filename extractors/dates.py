"""Dates as printed on invoices, in English, German, French, Spanish, Italian and Dutch.

Day-first wherever the format says so ("03.11.2026", "03-11-2026"); ISO as ISO; for
"03/11/2026" the document decides (a part above 12 anywhere settles the order), else the
`month_first` flag the caller derives from the document's language and the issuer's country.
Month names and abbreviations come from dateparser's CLDR tables (loaded once, lazily);
ordinals ("3rd", "1er", "1°", "3.") and two-digit years ("03.11.26", "3 Nov 26") are read.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from extractors.text import strip_accents

LANGUAGES = ("en", "de", "fr", "es", "it", "nl")
# dateparser's keys for the twelve months, in order
_MONTH_KEYS = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Month names and abbreviations of every supported language, accent-free -> 1..12."""
    from dateparser.languages.loader import default_loader  # lazy: ~50 ms, parsing only

    names: dict[str, int] = {}
    for language in LANGUAGES:
        info = default_loader.get_locale(language).info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in [key, *info.get(key, [])]:
                names.setdefault(strip_accents(name).casefold().rstrip("."), number)
    return names


_MONTH = r"([A-Za-zÀ-ÿ]{3,10})\.?"
_ORDINAL = r"(?:st|nd|rd|th|er|re|e|°|º)?\.?"
# A four-digit year, also with one glyph gap inside ("2 017": letter-spaced PDFs), or two digits.
_YEAR = r"(\d{4}|[12] [09]\d{2}|(?:19|20) \d{2}|(?:19|20)\d \d|\d{2})"
_NUMERIC = re.compile(r"(?<![\d.,/-])(\d{1,4})([./-])(\d{1,2})\2" + _YEAR + r"(?![\d.,/-]?\d)")
_DAY_MONTH_YEAR = re.compile(
    r"(?<![\d.,])(\d{1,2})"
    + _ORDINAL
    + r"\s*(?:de\s+|of\s+)?"
    + _MONTH
    + r"\s*(?:de\s+)?,?\s*(\d{4}|'?\d{2})(?!\d)"
)
_DAY_MON_YEAR_DASH = re.compile(r"(?<!\d)(\d{1,2})[-/]" + _MONTH + r"[-/](\d{2,4})(?!\d)")
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}|'\d{2})(?!\d)")


def _year(text: str) -> int:
    year = int(text.replace(" ", "").lstrip("'"))
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    return month_names().get(strip_accents(name).casefold().rstrip("."))


def month_first_hint(text: str) -> bool | None:
    """Whether the document's slash dates are month-first, when some date proves it."""
    for match in _NUMERIC.finditer(text):
        a, sep, b = match.group(1), match.group(2), match.group(3)
        if sep != "/" or len(a) == 4:
            continue
        if int(a) > 12 >= int(b):
            return False
        if int(b) > 12 >= int(a):
            return True
    return None


def find_dates(text: str, month_first: bool = False) -> list[tuple[str, date]]:
    """Every date printed in `text` as (printed form, date), in order of appearance."""
    found: list[tuple[int, str, date]] = []
    for match in _NUMERIC.finditer(text):
        a, sep, b, c = match.groups()
        if len(a) == 4:
            parsed = _make(int(a), int(b), int(c))
        elif sep == "/" and month_first:
            parsed = _make(_year(c), int(a), int(b)) or _make(_year(c), int(b), int(a))
        elif sep == "/":
            parsed = _make(_year(c), int(b), int(a)) or _make(_year(c), int(a), int(b))
        else:
            parsed = _make(_year(c), int(b), int(a))
        padded = len(a) == 2 and len(b) == 2  # "03/11/26", not a fraction such as "3/4/10"
        if parsed is not None and (len(c) > 2 or len(a) == 4 or sep == "." or padded):
            found.append((match.start(), match.group(0), parsed))
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _month(match.group(2))
        if month:
            parsed = _make(_year(match.group(3)), month, int(match.group(1)))
            if parsed:
                found.append((match.start(), match.group(0), parsed))
    for match in _DAY_MON_YEAR_DASH.finditer(text):
        month = _month(match.group(2))
        if month:
            parsed = _make(_year(match.group(3)), month, int(match.group(1)))
            if parsed:
                found.append((match.start(), match.group(0), parsed))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _month(match.group(1))
        if month:
            parsed = _make(_year(match.group(3)), month, int(match.group(2)))
            if parsed:
                found.append((match.start(), match.group(0), parsed))
    found.sort(key=lambda item: item[0])
    return [(printed, parsed) for _, printed, parsed in found]


def parse_date(text: str, month_first: bool = False) -> date | None:
    """The first date printed in `text`, else None."""
    found = find_dates(text, month_first)
    return found[0][1] if found else None
