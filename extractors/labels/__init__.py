"""Label vocabulary (one YAML file per language in this folder) and finding labels in lines.

Labels are data so that a new language or a vendor's wording is a one-line change. A label is
matched on whole words, longest first, so "Invoice Date" is never read as "Date". Every
label remembers its language(s), so the labels found tell the document's language.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from extractors.layout import Line, Segment
from extractors.text import label_key
from models.documents import Word

LABELS_DIR = Path(__file__).parent
MAX_LABEL_WORDS = 6
# Field groups every language file may have, and the list-valued sections.
GROUPS = ("header", "totals", "table")
LISTS = (
    "titles",
    "credit_titles",
    "company_suffixes",
    "table_skip",
    "party_name_keys",
)
# Every role a totals label may have (the `totals` group of the language files).
TOTAL_ROLES = frozenset(
    {
        "subtotal",
        "lines_total",
        "tax_base",
        "tax",
        "discount",
        "charges",
        "rounding",
        "prepaid",
        "total",
        "amount_due",
    }
)


@dataclass(frozen=True)
class Vocabulary:
    """Label keys -> field names, per group (header+totals together, table apart)."""

    fields: dict[str, frozenset[str]]  # header and totals labels
    table: dict[str, frozenset[str]]
    languages: dict[str, frozenset[str]]  # header/totals label key -> languages using it
    titles: frozenset[str]
    credit_titles: frozenset[str]
    company_suffixes: frozenset[str]
    table_skip: frozenset[str]
    party_name_keys: frozenset[str]


def label_files() -> list[Path]:
    """The language files, in a stable order."""
    return sorted(LABELS_DIR.glob("*.yaml"))


def _add(index: dict[str, set[str]], key: str, value: str) -> None:
    if key:
        index.setdefault(key, set()).add(value)


def _frozen(index: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    return {key: frozenset(values) for key, values in index.items()}


def load_vocabulary(files: list[Path]) -> Vocabulary:
    """Merge language files; a wording listed for two fields may name either."""
    fields: dict[str, set[str]] = {}
    table: dict[str, set[str]] = {}
    languages: dict[str, set[str]] = {}
    lists: dict[str, set[str]] = {name: set() for name in LISTS}
    for path in files:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(data.get("language") or path.stem)
        for group in GROUPS:
            target = table if group == "table" else fields
            for name, synonyms in (data.get(group) or {}).items():
                for synonym in synonyms:
                    key = label_key(str(synonym))
                    _add(target, key, name)
                    if group != "table":
                        _add(languages, key, language)
        for name in LISTS:
            lists[name].update(label_key(str(item)) for item in data.get(name) or [])
    return Vocabulary(
        fields=_frozen(fields),
        table=_frozen(table),
        languages=_frozen(languages),
        titles=frozenset(lists["titles"]),
        credit_titles=frozenset(lists["credit_titles"]),
        company_suffixes=frozenset(lists["company_suffixes"]),
        table_skip=frozenset(lists["table_skip"]),
        party_name_keys=frozenset(lists["party_name_keys"]),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Every language file of this folder, read once per process."""
    return load_vocabulary(label_files())


@dataclass
class LabelHit:
    """A label found in a line: which fields it may name and the words it spans."""

    fields: frozenset[str]
    line: Line
    segment: Segment
    start: int  # index of the first label word within the segment
    end: int  # index after the last label word

    @property
    def words(self) -> list[Word]:
        return self.segment.words[self.start : self.end]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def key(self) -> str:
        return label_key(self.text)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def rest(self) -> list[Word]:
        """Words of the same segment after the label (an inline value)."""
        return self.segment.words[self.end :]

    @property
    def has_colon(self) -> bool:
        return self.words[-1].text.endswith(":")


def match_at(
    words: list[Word], start: int, index: dict[str, frozenset[str]]
) -> tuple[int, frozenset[str]] | None:
    """Longest label starting at words[start]: (end index, fields), else None."""
    for end in range(min(len(words), start + MAX_LABEL_WORDS), start, -1):
        key = label_key(" ".join(w.text for w in words[start:end]))
        if key in index:
            return end, index[key]
    return None


def find_labels(line: Line, index: dict[str, frozenset[str]]) -> list[LabelHit]:
    """Labels that open a segment of the line, or end in ':' anywhere in it.

    Requiring a segment start or a colon keeps body text ("... the total amount ...") from
    being read as a label.
    """
    hits: list[LabelHit] = []
    for segment in line.segments:
        i = 0
        while i < len(segment.words):
            found = match_at(segment.words, i, index)
            if found:
                end, fields = found
                hit = LabelHit(fields, line, segment, i, end)
                if i == 0 or hit.has_colon:
                    hits.append(hit)
                    i = end
                    continue
            i += 1
    return hits


def document_language(hits: list[LabelHit]) -> str | None:
    """The language most of the document's labels belong to (labels of one language only)."""
    languages = vocabulary().languages
    counts: Counter[str] = Counter()
    for hit in hits:
        found = languages.get(hit.key, frozenset()) - {"common"}
        if len(found) == 1:
            counts[next(iter(found))] += 1
    if not counts:
        return None
    (best, n), *rest = [*counts.most_common(2), ("", 0)]
    return best if n > rest[0][1] else None


def is_title(text: str) -> bool:
    """'INVOICE', 'Rechnung', 'Credit note' ... (a document title, never a vendor name)."""
    return label_key(text) in vocabulary().titles


def is_label_text(text: str) -> bool:
    """Whether a whole text starts with a known header/totals label."""
    words = text.split()
    key_words = [Word(text=w, x0=0, x1=0, top=0, bottom=0, page=1) for w in words]
    found = match_at(key_words, 0, vocabulary().fields)
    return found is not None
