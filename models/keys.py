"""Comparison keys shared by the store's indexed lookups and the rules, so both agree."""

from __future__ import annotations


def compact(value: str) -> str:
    """Upper case without spaces, dots, dashes or other separators ("inv 0042" = "INV-0042")."""
    return "".join(ch for ch in value.upper() if ch.isalnum())
