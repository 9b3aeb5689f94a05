"""Finding phrases in document text however they are disguised (for SUSPICIOUS_CONTENT).

A person reads "ｉｇｎｏｒｅ", "іgnоrе" (Cyrillic і, о, е), "i g n o r e", "ign\u200bore" and
"IGN.ORE" as the same word; so does a language model. `fold` reduces text to what it reads as: NFKC
(fullwidth and mathematical letters), format characters (zero-width spaces, joiners, soft
hyphens, direction marks) dropped, Greek and Cyrillic look-alikes mapped to the Latin letter
they imitate, case and accents ignored. Words are then runs of letters and digits.

`find_phrases` matches a phrase's words in order, as whole words, in the *letter stream* of
the text (its words written without separators) so that a word broken up by spaces or
punctuation still matches, and so does a phrase written as one word; but a match must start
and end at word boundaries, and inside it either every word boundary of the phrase is one in
the text (words broken up) or every word boundary of the text is one of the phrase (words
run together): "ski preview" is not "skip review", "ecosystem promptly" not "system prompt".
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from models.screening import GAP

GAP_LETTERS = 20
"""A `*` in a phrase stands for other words of at most this many letters in all."""

# Letters of other scripts that look like Latin ones (after Unicode's confusables list,
# TR39, reduced to the letters that imitate a Latin letter in ordinary fonts). Capitals are
# mapped before case folding: Greek "Η" looks like "H", its small letter "η" like "n".
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "А": "A", "а": "a", "В": "B", "в": "b", "Е": "E", "е": "e", "Ё": "E", "ё": "e",
        "Һ": "H", "һ": "h", "І": "I", "і": "i", "Ї": "I", "ї": "i", "Ј": "J",
        "ј": "j", "К": "K", "к": "k", "М": "M", "м": "m", "Н": "H", "н": "h", "О": "O",
        "о": "o", "Р": "P", "р": "p", "С": "C", "с": "c", "Т": "T", "т": "t", "У": "Y",
        "у": "y", "Х": "X", "х": "x", "Ѕ": "S", "ѕ": "s", "Ԁ": "D", "ԁ": "d", "Ԛ": "Q",
        "ԛ": "q", "Ԝ": "W", "ԝ": "w", "Ӏ": "I", "ӏ": "l", "Ь": "b", "ɡ": "g",
        # Greek
        "Α": "A", "α": "a", "Β": "B", "β": "b", "Ε": "E", "ε": "e", "Ζ": "Z", "Η": "H",
        "η": "n", "Ι": "I", "ι": "i", "Κ": "K", "κ": "k", "Μ": "M", "Ν": "N", "ν": "v",
        "Ο": "O", "ο": "o", "Ρ": "P", "ρ": "p", "Τ": "T", "τ": "t", "Υ": "Y", "υ": "u",
        "Χ": "X", "χ": "x", "ω": "w", "γ": "y",
        # Latin letters that stand in for others
        "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d", "ħ": "h",
    }
)
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """The text as a reader perceives it: see the module docstring."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.translate(_LOOKALIKES).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded text's words: runs of letters and digits."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Match:
    phrase: str
    text: str
    """The words of the document that matched, folded, one space apart."""


class Stream:
    """A text's words written together, with the offsets where its words start and end."""

    def __init__(self, text: str) -> None:
        self.words = words(text)
        self.letters = "".join(self.words)
        self.starts: list[int] = []
        offset = 0
        for word in self.words:
            self.starts.append(offset)
            offset += len(word)
        self.bounds = {*self.starts, offset}

    def span(self, start: int, end: int) -> str:
        first = bisect_right(self.starts, start) - 1
        last = bisect_left(self.starts, end)
        return " ".join(self.words[first:last])

    def _fits(self, start: int, parts: list[str]) -> int | None:
        """End of `parts` (one phrase segment's words) written from `start`, if it fits."""
        end = start + sum(len(part) for part in parts)
        if start not in self.bounds or end not in self.bounds:
            return None
        inner = {b for b in range(start + 1, end) if b in self.bounds}
        expected, offset = set(), start
        for part in parts[:-1]:
            offset += len(part)
            expected.add(offset)
        return end if expected <= inner or inner <= expected else None

    def find(
        self, segments: list[list[str]], start: int = 0, limit: int | None = None
    ) -> tuple[int, int] | None:
        """(start, end) of the first match of `segments` (with gaps between them) at or after
        `start`, beginning at `limit` at the latest; None if there is none."""
        head, rest = segments[0], segments[1:]
        squashed = "".join(head)
        at = self.letters.find(squashed, start)
        while at >= 0 and (limit is None or at <= limit):
            end = self._fits(at, head)
            if end is not None:
                if not rest:
                    return at, end
                tail = self.find(rest, end, end + GAP_LETTERS)
                if tail is not None:
                    return at, tail[1]
            at = self.letters.find(squashed, at + 1)
        return None

    def search(self, phrase: str) -> Match | None:
        segments = [words(part) for part in f" {phrase} ".split(f" {GAP} ")]
        segments = [segment for segment in segments if segment]
        found = self.find(segments) if segments else None
        if found is None and len(segments) > 1:  # the gap left empty, words run together
            found = self.find([[word for segment in segments for word in segment]])
        return Match(phrase, self.span(*found)) if found else None


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[Match]:
    """The phrases that occur in `text`, each once, in the order given."""
    stream = Stream(text)
    return [match for phrase in phrases if (match := stream.search(phrase)) is not None]
