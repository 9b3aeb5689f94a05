"""Words regrouped into visual lines and segments (runs of words separated by column gaps).

pdfplumber gives words; invoices are read by lines and columns. A *segment* is what a person
would call a cell: "Invoice No:" and "INV-1001" are two segments when a gap separates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from models.documents import ParsedPage, Word

# A gap wider than this many font sizes separates two segments (a space is ~0.28 em).
SEGMENT_GAP_EM = 0.9
# Letter-spaced text ("I N V O I C E", "H P C - 3 0 6 1 2"): at least this many one-character
# words in a row, each gap at most LETTER_GAP_EM font sizes and all gaps alike (within
# LETTER_GAP_SPREAD_EM), are one word.
LETTER_RUN = 3
LETTER_GAP_EM = 0.6
LETTER_GAP_SPREAD_EM = 0.12


class _WordRun:
    """Text and vertical extent of a run of words (a segment or a whole line)."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


@dataclass
class Segment(_WordRun):
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)


@dataclass
class Line(_WordRun):
    page: int
    words: list[Word]
    segments: list[Segment] = field(default_factory=list)
    index: int = 0  # position in the document's reading order

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """Length of the overlap of two x intervals (0 when disjoint)."""
    return max(0.0, min(a1, b1) - max(a0, b0))


def _split_segments(words: list[Word]) -> list[Segment]:
    segments: list[Segment] = []
    current: list[Word] = []
    for word in words:
        if current:
            prev = current[-1]
            size = max(prev.size, word.size, 4.0)
            if word.x0 - prev.x1 > SEGMENT_GAP_EM * size:
                segments.append(Segment(current))
                current = []
        current.append(word)
    if current:
        segments.append(Segment(current))
    return segments


def _joined(run: list[Word]) -> Word:
    return run[0].model_copy(
        update={"text": "".join(w.text for w in run), "x1": run[-1].x1,
                "top": min(w.top for w in run), "bottom": max(w.bottom for w in run)}
    )


def _letter_run_ends(words: list[Word], start: int) -> int:
    """End (exclusive) of the letter-spaced run starting at words[start], else start."""
    end = start
    gaps: list[float] = []
    while end + 1 < len(words):
        a, b = words[end], words[end + 1]
        size = max(a.size, b.size, 4.0)
        gap = b.x0 - a.x1
        if len(b.text) != 1 or not -0.5 <= gap <= LETTER_GAP_EM * size:
            break
        if gaps and max(*gaps, gap) - min(*gaps, gap) > LETTER_GAP_SPREAD_EM * size:
            break
        gaps.append(gap)
        end += 1
    return end + 1 if end + 1 - start >= LETTER_RUN else start


def join_letter_spaced(row: list[Word]) -> list[Word]:
    """Runs of one-character words printed with uniform letter spacing become one word
    ("I N V O I C E" -> "INVOICE"); a wider gap inside the run starts a new word."""
    out: list[Word] = []
    i = 0
    while i < len(row):
        end = _letter_run_ends(row, i) if len(row[i].text) == 1 else i
        if end > i:
            out.append(_joined(row[i:end]))
            i = end
        else:
            out.append(row[i])
            i += 1
    return out


def split_glued(word: Word) -> list[Word]:
    """'Kundennummer:2' -> 'Kundennummer:' '2': a value printed without a space after ':'.

    Times ("10:35") and addresses ("http://") stay whole.
    """
    head, colon, tail = word.text.partition(":")
    if not (colon and head and tail) or head[-1].isdigit() or tail[0] in "/:":
        return [word]
    middle = word.x0 + (word.x1 - word.x0) * (len(head) + 1) / len(word.text)
    return [
        word.model_copy(update={"text": head + ":", "x1": middle}),
        word.model_copy(update={"text": tail, "x0": middle}),
    ]


def page_lines(page: ParsedPage) -> list[Line]:
    """Group a page's words into lines by vertical overlap, top to bottom, left to right."""
    split = [part for word in page.words for part in split_glued(word)]
    words = sorted(split, key=lambda w: (round(w.top, 1), w.x0))
    rows: list[list[Word]] = []
    for word in words:
        mid = (word.top + word.bottom) / 2
        for row in reversed(rows[-3:]):
            top = median(w.top for w in row)
            bottom = median(w.bottom for w in row)
            if top - 1.0 <= mid <= bottom + 1.0:
                row.append(word)
                break
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        row = join_letter_spaced(row)
        lines.append(Line(page=page.number, words=row, segments=_split_segments(row)))
    lines.sort(key=lambda ln: ln.top)
    return lines


def document_lines(pages: list[ParsedPage]) -> list[Line]:
    """All lines of all pages in reading order, each with its global index."""
    lines = [line for page in pages for line in page_lines(page)]
    for index, line in enumerate(lines):
        line.index = index
    return lines
