"""Label synonyms (labels.yaml) and finding them in lines of words.

Labels are data so that a new language or a vendor's wording is a one-line change. A label is
matched on whole words, longest first, so "Invoice Date" is never read as "Date".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from extractors.layout import Line, Segment
from extractors.text import label_key
from models.documents import Word

LABELS_FILE = Path(__file__).with_name("labels.yaml")
MAX_LABEL_WORDS = 6


@dataclass(frozen=True)
class Vocabulary:
    """Label keys -> field names, per group (header+totals together, table apart)."""

    fields: dict[str, frozenset[str]]  # header and totals labels
    table: dict[str, frozenset[str]]
    titles: frozenset[str]
    credit_titles: frozenset[str]
    company_suffixes: frozenset[str]
    table_skip: frozenset[str]


def _index(groups: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for name, synonyms in groups.items():
        for synonym in synonyms:
            index.setdefault(label_key(str(synonym)), set()).add(name)
    return {key: frozenset(names) for key, names in index.items() if key}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The parsed labels.yaml (read once per process)."""
    data: dict[str, Any] = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        fields=_index({**data["header"], **data["totals"]}),
        table=_index(data["table"]),
        titles=frozenset(label_key(t) for t in data["titles"]),
        credit_titles=frozenset(label_key(t) for t in data["credit_titles"]),
        company_suffixes=frozenset(label_key(s) for s in data["company_suffixes"]),
        table_skip=frozenset(label_key(s) for s in data["table_skip"]),
    )


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
        key = label_key("".join(w.text for w in words[start:end]))
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


def is_title(text: str) -> bool:
    """'INVOICE', 'Rechnung', 'Credit note' ... (a document title, never a vendor name)."""
    return label_key(text) in vocabulary().titles


def is_label_text(text: str) -> bool:
    """Whether a whole text starts with a known header/totals label."""
    words = text.split()
    key_words = [Word(text=w, x0=0, x1=0, top=0, bottom=0, page=1) for w in words]
    found = match_at(key_words, 0, vocabulary().fields)
    return found is not None
