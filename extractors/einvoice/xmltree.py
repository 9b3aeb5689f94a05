"""Namespace-agnostic navigation and typed values for the CII and UBL readers.

The same business term sits under different namespaces in ZUGFeRD 1 (and its release
candidate, whose child elements are unqualified), ZUGFeRD 2 / Factur-X / XRechnung and UBL,
and sometimes under different element names. Matching on local names, with "A|B"
alternatives per step, lets one reader serve every version without a namespace table.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from extractors.einvoice.errors import invalid

Node = Any  # an lxml element; lxml ships no type hints


def local_name(node: Node) -> str:
    """'{urn:…}ID' -> 'ID'; comments and processing instructions have no name."""
    tag = node.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(node: Node) -> str:
    tag = node.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def find_all(node: Node | None, *path: str) -> list[Node]:
    """Every element reached from `node` along `path` (each step a local name or "A|B")."""
    if node is None:
        return []
    current = [node]
    for step in path:
        wanted = set(step.split("|"))
        current = [child for parent in current for child in parent if local_name(child) in wanted]
    return current


def find(node: Node | None, *path: str) -> Node | None:
    """The first element along `path`, else None."""
    found = find_all(node, *path)
    return found[0] if found else None


def node_text(node: Node | None) -> str | None:
    """An element's own text with whitespace runs collapsed; None if empty or missing."""
    if node is None or node.text is None:
        return None
    value = " ".join(str(node.text).split())
    return value or None


def text(node: Node | None, *path: str) -> str | None:
    """The first non-empty text along `path`: producers leave empty placeholder elements."""
    for found in find_all(node, *path):
        value = node_text(found)
        if value is not None:
            return value
    return None


def to_decimal(node: Node | None, what: str) -> Decimal | None:
    """An amount, price, quantity or percent as Decimal (never float); None if absent."""
    raw = node_text(node)
    if raw is None:
        return None
    try:
        value = Decimal(raw.replace(" ", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise invalid(f"the {what} '{raw[:40]}' is not a number.")
    return value


def decimal_at(node: Node | None, *path: str, what: str) -> Decimal | None:
    """The first non-empty number along `path`."""
    for found in find_all(node, *path):
        value = to_decimal(found, what)
        if value is not None:
            return value
    return None


def parse_date(raw: str, fmt: str | None, what: str) -> date | None:
    """A date in UN/CEFACT format 102 (yyyymmdd) or ISO 8601 (yyyy-mm-dd, maybe zoned).

    Formats that name no single day (610 = month, 616 = week) give None, not a guess.
    """
    value = raw.strip()
    if fmt not in (None, "", "102"):
        return None
    try:
        if len(value) == 8 and value.isdigit():
            return datetime.strptime(value, "%Y%m%d").date()
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise invalid(f"the {what} '{value[:40]}' is not a date.") from exc


def cii_date(node: Node | None, what: str) -> date | None:
    """A CII date: <X><udt:DateTimeString format="102">…</…></X>, or the text of <X> itself
    (ZUGFeRD 1 release candidate: <IssueDateTime format="102">20140519</IssueDateTime>)."""
    if node is None:
        return None
    inner = find(node, "DateTimeString")
    holder = inner if inner is not None else node
    raw = node_text(holder)
    if raw is None:
        return None
    return parse_date(raw, holder.get("format"), what)
