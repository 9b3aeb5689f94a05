"""Everything the field extractors share about one document, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.amounts import decimal_separator
from extractors.dates import month_first_hint
from extractors.labels import LabelHit, find_labels, match_at, vocabulary
from extractors.layout import Line, Segment, document_lines, overlap
from models.documents import ParsedDocument, Word

RECIPIENT_FIELDS = frozenset({"bill_to", "ship_to"})


@dataclass
class Region:
    """A rectangle on a page (an address block) whose text belongs to one party."""

    page: int
    x0: float
    x1: float
    top: float
    bottom: float

    def contains(self, page: int, segment: Segment) -> bool:
        return (
            page == self.page
            and overlap(self.x0, self.x1, segment.x0, segment.x1) > 0
            and self.top - 1 <= segment.top <= self.bottom + 1
        )


@dataclass
class DocContext:
    doc: ParsedDocument
    text: str
    lines: list[Line]
    decimal_sep: str | None
    month_first: bool
    hits: list[LabelHit] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)  # indices of line-item rows and headers
    _recipients: list[Region] | None = None

    @classmethod
    def build(cls, doc: ParsedDocument) -> DocContext:
        text = doc.text
        lines = document_lines(doc.pages)
        hint = month_first_hint(text)
        ctx = cls(
            doc=doc,
            text=text,
            lines=lines,
            decimal_sep=decimal_separator(text),
            month_first=bool(hint) if hint is not None else _looks_us(text),
        )
        fields = vocabulary().fields
        ctx.hits = [hit for line in lines for hit in find_labels(line, fields)]
        return ctx

    def hits_for(self, name: str) -> list[LabelHit]:
        """Label hits that may name `name`, outside the line-item table, in reading order."""
        return [h for h in self.hits if name in h.fields and h.line.index not in self.table_lines]

    def starts_with_label(self, segment: Segment) -> bool:
        return match_at(segment.words, 0, vocabulary().fields) is not None

    def values_for(self, hit: LabelHit) -> list[list[Word]]:
        """Where a label's value may be, most likely first: inline, right, below."""
        candidates: list[list[Word]] = []
        if hit.rest:
            candidates.append(hit.rest)
        segments = hit.line.segments
        position = segments.index(hit.segment)
        if position + 1 < len(segments) and not self.starts_with_label(segments[position + 1]):
            candidates.append(segments[position + 1].words)
        below = self.segment_below(hit.line, hit.segment.x0, hit.segment.x1)
        if below is not None and not self.starts_with_label(below):
            candidates.append(below.words)
        return candidates

    def segment_below(self, line: Line, x0: float, x1: float) -> Segment | None:
        """The segment right under [x0, x1] on the next line(s) of the same page."""
        for other in self.lines[line.index + 1 : line.index + 4]:
            if other.page != line.page or other.top - line.bottom > 2.5 * line.height:
                return None
            best = max(other.segments, key=lambda s: overlap(x0, x1, s.x0, s.x1))
            if overlap(x0, x1, best.x0, best.x1) > 0:
                return best
        return None

    def block_below(self, hit: LabelHit, max_lines: int = 6) -> tuple[list[Segment], Region]:
        """An address block: the label's inline value and the segments stacked under it."""
        x0 = hit.x0
        x1 = max(hit.segment.x1, hit.x0 + 120)
        segments: list[Segment] = []
        if hit.rest:
            segments.append(Segment(hit.rest))
        previous = hit.line
        for other in self.lines[hit.line.index + 1 : hit.line.index + 1 + max_lines]:
            if other.page != previous.page or other.top - previous.bottom > 1.2 * previous.height:
                break
            inside = [s for s in other.segments if overlap(x0, x1, s.x0, s.x1) > 0]
            if not inside:
                break
            segment = inside[0]
            if self.starts_with_label(segment):
                break
            segments.append(segment)
            x1 = max(x1, segment.x1)
            previous = other
        bottom = previous.bottom
        region = Region(hit.line.page, x0 - 2, x1, hit.line.top, bottom)
        return segments, region

    def recipient_regions(self) -> list[Region]:
        """Bill-to and ship-to blocks: the customer's name, address and tax id, not the issuer's."""
        if self._recipients is None:
            self._recipients = [
                self.block_below(h)[1] for h in self.hits if h.fields & RECIPIENT_FIELDS
            ]
        return self._recipients


def _looks_us(text: str) -> bool:
    """A US dollar document without other evidence writes dates month-first."""
    return ("USD" in text or "$" in text) and "€" not in text and "EUR" not in text
