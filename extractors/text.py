"""Text normalisation shared by label matching and grounding.

Two different questions need two different normal forms: "is this word sequence the label
'Invoice No'?" (punctuation and accents do not matter) and "does this value occur in the
document?" (only case and whitespace do not matter).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LABEL_SPLIT = re.compile(r"[\s.:\-/_()'’`\"°º,;*\[\]]+")
# Words that all mean "number" in a label: "Invoice No" = "Invoice #" = "Invoice Number" =
# "Rechnungs-Nr." = "N° de facture" = "Número de factura".
_NUMBER_WORDS = frozenset({"no", "nr", "n", "num", "number", "nummer", "numero", "nro", "nbr"})


@lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    """'Fällig' -> 'Fallig': PDFs and people drop diacritics inconsistently."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """Key under which label wordings compare equal ('Invoice #:' == 'invoice number').

    Cached: the label matcher asks for the same few thousand words on every page."""
    text = strip_accents(text.replace("º", "°")).casefold().replace("#", " no ")
    return "".join("no" if w in _NUMBER_WORDS else w for w in _LABEL_SPLIT.split(text))


def ground_key(text: str) -> str:
    """Case- and whitespace-insensitive form used to check that a value occurs in the text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", "", text)
