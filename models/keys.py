"""Comparison keys shared by the store's indexed lookups and the rules, so both agree."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

# Words that only say "this is an invoice number" in front of the number itself
# ("INV-0042", "Rechnung Nr. 42", "Facture n° 42", "#42"): dropped before comparing.
# Written as printed; they are normalised like the numbers they are stripped from.
# fmt: off
INVOICE_NUMBER_PREFIXES: tuple[str, ...] = (
    "INV", "INVOICE", "RE", "RG", "RECH", "RECHNR", "RECHNUNG", "RECHNUNGSNR",
    "RECHNUNGSNUMMER", "FA", "FACT", "FACTURE", "FACTURA", "FATTURA", "NR", "NO", "NUM",
    "NUMBER", "NUMMER", "NUMERO", "N°", "Nº", "#",
)
# fmt: on


def compact(value: str) -> str:
    """Upper case without spaces, dots, dashes or other separators ("inv 0042" = "INV-0042")."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _kind(ch: str) -> str:
    return "digit" if ch.isdigit() else "letter" if ch.isalnum() else "separator"


def _tokens(value: str) -> list[str]:
    """Runs of letters and runs of digits, upper case; everything else separates."""
    return [
        "".join(run)
        for kind, run in groupby(value.upper(), key=_kind)
        if kind != "separator"
    ]


_PREFIXES = frozenset(token for word in INVOICE_NUMBER_PREFIXES for token in _tokens(word))


def invoice_number_key(number: str | None) -> str | None:
    """The normal form invoice numbers are compared on: no case, spaces, punctuation,
    leading "invoice number" words (INVOICE_NUMBER_PREFIXES) or leading zeros.

    "INV-0042", "inv 42", "Rechnung Nr. 0042" and "42" are all "42"; "INV-2026-0042" is
    "20260042". A number made only of such words keeps them ("NO" stays "NO").
    """
    if not number:
        return None
    tokens = _tokens(number)
    start = 0
    while start < len(tokens) - 1 and tokens[start] in _PREFIXES:
        start += 1
    joined = "".join(tokens[start:])
    if not joined:
        return None
    return joined.lstrip("0") or "0"


# Words that only say "this is a purchase order number" in front of the number itself
# ("PO 2026/0175", "P.O. 4500", "Bestellung 4711"): dropped before comparing PO numbers.
# fmt: off
PO_NUMBER_PREFIXES: tuple[str, ...] = (
    "PO", "P O", "PURCHASE ORDER", "ORDER", "NR", "NO", "NUMBER", "#",
)
# fmt: on

_PO_PREFIXES = frozenset(token for word in PO_NUMBER_PREFIXES for token in _tokens(word))


def po_number_key(number: str | None) -> str | None:
    """The normal form PO numbers are compared on: no case, spaces or punctuation, and no
    leading "purchase order" words (PO_NUMBER_PREFIXES).

    "PO-2026-0175", "PO 2026/0175", "po2026 0175" and "2026/0175" are all "20260175".
    Leading zeros are kept (PO numbers are identifiers, not counters). A number made only
    of such words keeps them ("PO" stays "PO").
    """
    if not number:
        return None
    tokens = _tokens(number)
    start = 0
    while start < len(tokens) - 1 and tokens[start] in _PO_PREFIXES:
        start += 1
    return "".join(tokens[start:]) or None


def minor_units(amount: Decimal) -> int:
    """An amount in hundredths (cents), rounded half up: an exact, indexable number key,
    the same on every database (1600, 1600.0 and 1600.00 are all 160000)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
