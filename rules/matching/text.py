"""Normalisation shared by matching and rules, so that both compare the same way."""

from __future__ import annotations

import re

from models.keys import compact as compact  # re-exported: one key for rules and store

_SEPARATORS = re.compile(r"[^\w]+")

# Legal-form words say nothing about who the vendor is; they differ between the master
# ("Acme Ltd") and invoices ("ACME Limited"), so they are dropped before fuzzy matching.
# fmt: off
LEGAL_FORMS = frozenset({
    "ltd", "limited", "gmbh", "mbh", "inc", "incorporated", "llc", "llp", "lp", "bv", "nv",
    "co", "company", "corp", "corporation", "ag", "kg", "kgaa", "ohg", "ug", "se", "sa", "sas",
    "sarl", "srl", "spa", "plc", "pty", "oy", "ab", "as", "aps", "the",
})
# fmt: on


def name_key(value: str) -> str:
    """Casefolded words without punctuation or legal-form suffixes ("B.V." and "BV" alike)."""
    folded = value.casefold().replace(".", "").replace("&", " ")
    words = [word for word in _SEPARATORS.split(folded) if word and word != "_"]
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)


def phrase_key(value: str) -> str:
    """Casefolded words separated by single spaces, for whole-phrase search in free text."""
    words = [word for word in _SEPARATORS.split(value.casefold()) if word and word != "_"]
    return " ".join(words)
