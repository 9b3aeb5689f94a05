"""Money and percentages as printed in any of the common locales, parsed to Decimal.

"1.234,56", "1,234.56", "1 234,56", "1'234.56", "(12.00)", "-240.00", "EUR 12,00", "12,00 €".
The one ambiguous case, a single separator followed by three digits ("1.500"), is decided by
the document's own decimal separator (see `decimal_separator`).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

_SPACES = " \u00a0\u202f\u2009"
_NUMBER = (
    r"(?:\d{1,3}(?:[.,'’" + _SPACES + r"]\d{3})+(?:[.,]\d{1,4})?"  # grouped
    r"|\d+(?:[.,]\d{1,4})?"  # plain
    r"|[.,]\d{1,2})"  # ".50"
)
CURRENCY_TOKEN = r"(?:[A-Z]{3}|[€£$¥]|US\$|Fr\.)"
# An amount with its optional sign, brackets and currency, anywhere in a string.
AMOUNT_RE = re.compile(
    r"(?<![\w.,])"
    r"(?P<open>\()?\s?(?P<sign1>[-−–+])?\s?(?:" + CURRENCY_TOKEN + r"\s?)?(?P<sign2>[-−–])?\s?"
    r"(?P<num>" + _NUMBER + r")(?!\s?%)"
    r"(?:\s?" + CURRENCY_TOKEN + r")?(?P<trail>-)?\s?(?P<close>\))?"
    r"(?![\w%])"
)
PERCENT_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s?%")


def decimal_separator(text: str) -> str | None:
    """The document's decimal separator: whichever of '.' / ',' ends more 2-decimal numbers."""
    counts = Counter(m.group(1) for m in re.finditer(r"\d([.,])\d{2}(?![\d])", text))
    if not counts:
        return None
    if counts["."] == counts[","]:
        return None
    return "." if counts["."] > counts[","] else ","


def _number(body: str, decimal_sep: str | None) -> Decimal | None:
    body = body.strip()
    for ch in _SPACES + "'’":
        body = body.replace(ch, "")
    if not body:
        return None
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
    elif dots or commas:
        sep = "." if dots else ","
        tail = body.rsplit(sep, 1)[1]
        if dots + commas > 1:
            dec = ""  # only grouping separators: "1.234.567"
        elif len(tail) == 3 and body[0] != sep:
            dec = sep if decimal_sep == sep else ""
        else:
            dec = sep
    else:
        dec = ""
    group = {".": ",", ",": ".", "": ""}[dec]
    if group:
        body = body.replace(group, "")
    if dec == "":
        body = body.replace(".", "").replace(",", "")
    elif dec == ",":
        body = body.replace(",", ".")
    try:
        return Decimal(body)
    except InvalidOperation:
        return None


def parse_amount(text: str, decimal_sep: str | None = None) -> Decimal | None:
    """The single amount that `text` consists of (currency and sign allowed), else None."""
    text = text.strip()
    match = AMOUNT_RE.fullmatch(text)
    if not match:
        return None
    return _signed(match, decimal_sep)


def _signed(match: re.Match[str], decimal_sep: str | None) -> Decimal | None:
    value = _number(match.group("num"), decimal_sep)
    if value is None:
        return None
    negative = bool(
        (match.group("open") and match.group("close"))
        or (match.group("sign1") and match.group("sign1") != "+")
        or match.group("sign2")
        or match.group("trail")
    )
    return -value if negative else value


def find_amounts(text: str, decimal_sep: str | None = None) -> list[tuple[str, Decimal]]:
    """Every amount printed in `text`, as (printed form, value), left to right."""
    found: list[tuple[str, Decimal]] = []
    for match in AMOUNT_RE.finditer(text):
        value = _signed(match, decimal_sep)
        if value is not None:
            found.append((match.group(0).strip(), value))
    return found


def find_percent(text: str) -> Decimal | None:
    """The first percentage printed in `text` ("20%", "19 %", "(21%)", "7,5 %")."""
    match = PERCENT_RE.search(text)
    if not match:
        return None
    return Decimal(match.group(1).replace(",", "."))


def printed_values(text: str) -> set[Decimal]:
    """Absolute values of every number in `text` under both decimal conventions (grounding)."""
    values: set[Decimal] = set()
    # Whole text (finds "1 234,56") and word by word (so "12 189.00" is also 12 and 189.00).
    matches = [*AMOUNT_RE.finditer(text)]
    for token in text.split():
        matches.extend(AMOUNT_RE.finditer(token))
    for match in matches:
        for sep in (".", ","):
            value = _number(match.group("num"), sep)
            if value is not None:
                values.add(abs(value).normalize())
    return values
