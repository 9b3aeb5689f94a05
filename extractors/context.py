"""Everything the field extractors share about one document, computed once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.amounts import decimal_separator
from extractors.dates import month_first_hint
from extractors.labels import LabelHit, document_language, find_labels, match_at, vocabulary
from extractors.layout import Line, Segment, document_lines, overlap
from models.documents import ParsedDocument, Word

RECIPIENT_FIELDS = frozenset({"bill_to", "ship_to"})
PARTY_FIELDS = RECIPIENT_FIELDS | {"vendor_name"}
PARTY_LINE_GAP = 1.6  # line heights of blank space that end a party block
TIGHT_GAP = 0.5  # line heights: a wrapped cell's next line sits closer than a new row


@dataclass
class PartyRow:
    """One row of a party block: a keyed pair ("Name:" "Lieferant GmbH") or a plain line."""

    key: str | None
    value: str
    line: Line
    tight: bool = False  # printed right under the previous row (a wrapped cell)


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
    language: str | None = None  # the language most labels are in ("en", "de", ...)
    hits: list[LabelHit] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)  # indices of line-item rows and headers
    _recipients: list[Region] | None = None

    @classmethod
    def build(cls, doc: ParsedDocument) -> DocContext:
        text = doc.text
        lines = document_lines(doc.pages)
        fields = vocabulary().fields
        hits = [hit for line in lines for hit in find_labels(line, fields)]
        language = document_language(hits)
        hint = month_first_hint(text)
        return cls(
            doc=doc,
            text=text,
            lines=lines,
            decimal_sep=decimal_separator(text),
            month_first=hint if hint is not None else month_first_by_origin(text, language),
            language=language,
            hits=hits,
        )

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

    def recipient_regions(self) -> list[Region]:
        """Bill-to and ship-to blocks: the customer's name, address and tax id, not the issuer's."""
        if self._recipients is None:
            self._recipients = [
                self.party_block(h)[1]
                for h in self.hits
                if h.fields & RECIPIENT_FIELDS and not h.fields & {"vendor_name"}
            ]
        return self._recipients

    def _row(self, segments: list[Segment], line: Line, tight: bool) -> PartyRow:
        first = segments[0]
        key_end = next((i + 1 for i, w in enumerate(first.words[:4]) if w.text.endswith(":")), 0)
        if not key_end and len(segments) > 1 and self.starts_with_label(first):
            key_end = len(first.words)
        if key_end:
            key = " ".join(w.text for w in first.words[:key_end])
            rest = first.words[key_end:] + [w for s in segments[1:] for w in s.words]
            return PartyRow(key, " ".join(w.text for w in rest), line, tight)
        return PartyRow(None, " ".join(s.text for s in segments), line, tight)

    def party_block(self, hit: LabelHit, max_lines: int = 10) -> tuple[list[PartyRow], Region]:
        """A party's block: the label's inline value and the rows stacked under the label.

        The block is the label's column (up to the next label on its line) and ends at a
        blank gap, another party's label or the page end.
        """
        page = hit.line.page
        x0 = hit.x0 - 2
        x1 = min(
            (h.x0 for h in self.hits if h.line is hit.line and h.x0 > hit.x1),
            default=float("inf"),
        )
        rows: list[PartyRow] = []
        same_line = [s for s in hit.line.segments if s.x0 > hit.x1 and s.x0 < x1]
        if hit.rest:
            rows.append(PartyRow(None, " ".join(w.text for w in hit.rest), hit.line))
        elif same_line and not self.starts_with_label(same_line[0]):
            rows.append(PartyRow(None, " ".join(s.text for s in same_line), hit.line))
        previous = hit.line
        right = hit.segment.x1
        for other in self.lines[hit.line.index + 1 : hit.line.index + 1 + max_lines]:
            gap = other.top - previous.bottom
            if other.page != page or gap > PARTY_LINE_GAP * previous.height:
                break
            inside = [s for s in other.segments if x0 <= s.x0 < x1]
            if not inside:
                break
            found = match_at(inside[0].words, 0, vocabulary().fields)
            if found and found[1] & PARTY_FIELDS:
                break
            rows.append(self._row(inside, other, gap < TIGHT_GAP * previous.height))
            right = max(right, inside[-1].x1)
            previous = other
        region = Region(page, x0, right, hit.line.top, previous.bottom)
        return rows, region


_US = re.compile(
    r"\b(?:USA|U\.S\.A\.|United States(?: of America)?)\b"
    r"|,\s*(?:AL|AK|AZ|AR|CA|CO|CT|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|MA|MD|ME|MI|MN|MO|MS|MT|NC|ND|NE"
    r"|NH|NJ|NM|NV|NY|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VA|VT|WA|WI|WV|WY) \d{5}(?:-\d{4})?\b"
)
_EU_VAT = re.compile(r"\b(?:ATU|BE0|DE|DK|ES|FI|FR|GB|IE|IT|LU|NL|PT|SE|CHE)[ -]?\d{7,12}")


def month_first_by_origin(text: str, language: str | None) -> bool:
    """Slash dates are month-first only on an English document from the United States.

    Decided by the document's language and the issuer's country (a US address, "USA"), never
    by a currency symbol: "$" is also Canada's, Australia's and a dozen others'.
    """
    if language not in (None, "en"):
        return False
    return bool(_US.search(text)) and not _EU_VAT.search(text)
