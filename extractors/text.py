"""Text normalisation shared by label matching and grounding.

Two different questions need two different normal forms: "is this word sequence the label
'Invoice No'?" (punctuation and accents do not matter) and "does this value occur in the
document?" (only case and whitespace do not matter).
"""

from __future__ import annotations

import re
import unicodedata

_LABEL_DROP = re.compile(r"[\s.:\-/_()'’`\"°º,;*]+")


def strip_accents(text: str) -> str:
    """'Fällig' -> 'Fallig': PDFs and people drop diacritics inconsistently."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def label_key(text: str) -> str:
    """Key under which label wordings compare equal ('Invoice #:' == 'invoice no')."""
    text = strip_accents(text).casefold().replace("#", "no")
    return _LABEL_DROP.sub("", text)


def ground_key(text: str) -> str:
    """Case- and whitespace-insensitive form used to check that a value occurs in the text."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", "", text)
