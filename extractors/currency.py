"""Currency from ISO codes or symbols printed on the document (€ £ US$ -> EUR GBP USD).

A bare "$" is not a currency: it is the dollar of the US, Canada, Australia, New Zealand,
Singapore, Hong Kong, Mexico (peso) and more. Only the vendor master can resolve it, so a
document printing nothing but "$" has no currency here (see `only_ambiguous_symbol`).
"""

from __future__ import annotations

import re
from collections import Counter

_ISO = "EUR USD GBP CHF SEK NOK DKK PLN CZK HUF RON BGN JPY CNY CAD AUD NZD INR SGD HKD ZAR MXN"
ISO_CODES = frozenset(_ISO.split(" ")) | {"BRL", "TRY", "AED", "SAR", "ILS", "KRW"}
SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "¥": "JPY",
}
AMBIGUOUS = frozenset({"$"})
_TOKEN = re.compile(r"(?:US|CA|AU|NZ|HK|[CAS])?\$|[€£¥]|(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])")


def currency_in(text: str) -> str | None:
    """The most frequent currency named in `text` (ISO codes counted before symbols)."""
    codes: Counter[str] = Counter()
    symbols: Counter[str] = Counter()
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ISO_CODES:
            codes[token] += 1
        elif token in SYMBOLS:
            symbols[SYMBOLS[token]] += 1
    if codes:
        return codes.most_common(1)[0][0]
    if symbols:
        return symbols.most_common(1)[0][0]
    return None


def only_ambiguous_symbol(text: str) -> bool:
    """Whether the only currency printed is a symbol several currencies share ("$")."""
    tokens = {m.group(0) for m in _TOKEN.finditer(text)}
    return bool(tokens & AMBIGUOUS) and not any(t in ISO_CODES or t in SYMBOLS for t in tokens)
