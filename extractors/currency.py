"""Currency from ISO codes or symbols printed on the document (€ £ $ -> EUR GBP USD)."""

from __future__ import annotations

import re
from collections import Counter

_ISO = "EUR USD GBP CHF SEK NOK DKK PLN CZK HUF RON BGN JPY CNY CAD AUD NZD INR SGD HKD ZAR MXN"
ISO_CODES = frozenset(_ISO.split(" ")) | {"BRL", "TRY", "AED", "SAR", "ILS", "KRW"}
SYMBOLS = {"€": "EUR", "£": "GBP", "US$": "USD", "$": "USD", "¥": "JPY"}
_TOKEN = re.compile(r"US\$|[€£$¥]|(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])")


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
