"""Dates as printed on invoices, in English, German, French, Dutch and Spanish.

Day-first wherever the format says so ("03.11.2026", "03-11-2026"); ISO as ISO; for
"03/11/2026" the document decides (a part above 12 anywhere settles the order), else the
`month_first` hint (US-style documents).
"""

from __future__ import annotations

import re
from datetime import date

from extractors.text import strip_accents

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar janv janvier januari enero ene jänner",
        "february feb februar fevr fevrier februari febrero",
        "march mar marz marzo mars maart mrt",
        "april apr avril avr abril",
        "may mai mei mayo",
        "june jun juni juin junio",
        "july jul juli juil juillet julio",
        "august aug augusti aout agosto ago augustus",
        "september sep sept septembre septiembre setiembre",
        "october oct oktober octobre octubre okt",
        "november nov novembre noviembre",
        "december dec dez dezember decembre diciembre dic",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[strip_accents(_name)] = _number

_MONTH = r"([A-Za-zÀ-ÿ]{3,10})\.?"
_NUMERIC = re.compile(r"(?<![\d.,/-])(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})(?![\d.,/-]?\d)")
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s*(?:de\s+)?" + _MONTH + r"\s*(?:de\s+)?,?\s*(\d{4})"
)
_DAY_MON_YEAR_DASH = re.compile(r"(?<!\d)(\d{1,2})-" + _MONTH + r"-(\d{2,4})")
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    return _MONTHS.get(strip_accents(name).casefold().rstrip("."))


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
        if parsed is not None and (len(c) == 4 or len(a) == 4 or sep == "."):
            found.append((match.start(), match.group(0), parsed))
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _month(match.group(2))
        if month:
            parsed = _make(int(match.group(3)), month, int(match.group(1)))
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
            parsed = _make(int(match.group(3)), month, int(match.group(2)))
            if parsed:
                found.append((match.start(), match.group(0), parsed))
    found.sort(key=lambda item: item[0])
    return [(printed, parsed) for _, printed, parsed in found]


def parse_date(text: str, month_first: bool = False) -> date | None:
    """The first date printed in `text`, else None."""
    found = find_dates(text, month_first)
    return found[0][1] if found else None
