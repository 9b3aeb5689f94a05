"""The issuer's name from the letterhead: the most company-like line near the top of page 1.

Scored, not rule-matched: a legal-form suffix (GmbH, Ltd, B.V. ...) and a larger font weigh
most; titles, labels, the bill-to/ship-to blocks, contact and address lines are excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from extractors.context import DocContext
from extractors.labels import is_title, vocabulary
from extractors.layout import Line, Segment
from extractors.text import label_key

TOP_FRACTION = 0.4  # the letterhead lives in the top 40 % of page 1
# "Au bon moulin SARL - 1 chemin de l'olive - 84340 Malaucène", a DIN 5008 sender line
# "Lieferant GmbH · Straße 1 · 80333 München · USt-IdNr. DE…": the name is the first part.
_SEPARATOR = re.compile(r"\s[·|•●–-]\s|\s?[·•●]\s?")
_CONTACT = re.compile(r"@|www\.|https?:|\btel\b|\bfax\b|\bphone\b|\+\d", re.IGNORECASE)


@dataclass
class Candidate:
    text: str
    score: float
    has_suffix: bool
    segment: Segment


def has_company_suffix(text: str) -> bool:
    """Whether the name ends in (or contains as a word) a legal form such as GmbH or Ltd."""
    suffixes = vocabulary().company_suffixes
    words = text.replace(",", " ").split()
    for n in range(1, 5):
        for start in range(len(words) - n + 1):
            if start == 0 and n == len(words):
                continue  # the suffix alone is not a name
            if label_key(" ".join(words[start : start + n])) in suffixes:
                return True
    return False


def sender_name(text: str) -> str:
    """A letterhead or sender line cut at its first separator when the rest is an address."""
    parts = _SEPARATOR.split(text)
    if len(parts) > 1 and any(ch.isdigit() for ch in " ".join(parts[1:])):
        text = parts[0]
    return text.strip(" ,;:|·-–")


@dataclass
class SenderLine:
    """A DIN 5008 return-address line and the recipient's address block printed under it."""

    line: Line
    recipient: set[int]  # ids of the segments of the address block below


def sender_line(ctx: DocContext) -> SenderLine | None:
    """'Name · Street · Postcode City' above an address block in the top half of page 1.

    The small line over the envelope window names the sender; the block under it is the
    recipient, however company-like its name.
    """
    if not ctx.doc.pages:
        return None
    limit = ctx.doc.pages[0].height / 2
    for line in ctx.lines:
        if line.page != 1 or line.top > limit or line.index in ctx.table_lines:
            continue
        parts = [p for p in _SEPARATOR.split(line.text) if p.strip()]
        if len(parts) < 3 or not re.search(r"\d{4,5}", " ".join(parts[1:])):
            continue
        x0 = line.words[0].x0
        recipient: set[int] = set()
        previous = line
        for other in ctx.lines[line.index + 1 : line.index + 8]:
            height = max(previous.height, other.height)
            if other.page != 1 or other.top - previous.bottom > 1.6 * height:
                break
            block = [s for s in other.segments if x0 - 50 <= s.x0 <= x0 + 20]
            if not block:
                break
            recipient.update(id(s) for s in block)
            previous = other
        if recipient:
            return SenderLine(line, recipient)
    return None


def _excluded(ctx: DocContext, segment: Segment, text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    if letters < 3 or digits > letters / 2:
        return True
    if _CONTACT.search(text) or ctx.starts_with_label(segment):
        return True
    first = segment.words[0].text
    if is_title(text) or is_title(first) or is_title(" ".join(w.text for w in segment.words[:2])):
        return True
    return any(r.contains(1, segment) for r in ctx.recipient_regions())


def letterhead_candidates(ctx: DocContext) -> list[Candidate]:
    """Candidate issuer names on page 1, best first."""
    if not ctx.doc.pages:
        return []
    page = ctx.doc.pages[0]
    sizes = [w.size for w in page.words if w.size > 0]
    body = median(sizes) if sizes else 10.0
    limit = page.height * TOP_FRACTION
    sender = sender_line(ctx)
    found: dict[str, Candidate] = {}
    for line in ctx.lines:
        if line.page != 1 or line.top > limit or line.index in ctx.table_lines:
            continue
        for position, segment in enumerate(line.segments):
            text = sender_name(segment.text)
            if _excluded(ctx, segment, text):
                continue
            if sender is not None and id(segment) in sender.recipient:
                continue
            on_sender_line = sender is not None and line is sender.line and position == 0
            suffix = has_company_suffix(text)
            bold = any("bold" in w.fontname.lower() for w in segment.words)
            score = (
                3.0 * on_sender_line
                + 3.0 * suffix
                + 1.5 * (segment.size / body if body else 1.0)
                + 0.5 * bold
                + 1.0 * (1 - line.top / limit)
                - 1.0 * any(ch.isdigit() for ch in text)
            )
            if text not in found or found[text].score < score:
                found[text] = Candidate(text, score, suffix, segment)
    return sorted(found.values(), key=lambda c: -c.score)


def vendor_from_letterhead(ctx: DocContext) -> tuple[str | None, bool, list[Candidate]]:
    """(name, ambiguous, candidates). Ambiguous when no suffix settles a close call."""
    candidates = letterhead_candidates(ctx)
    if not candidates:
        return None, True, candidates
    best = candidates[0]
    ambiguous = (
        not best.has_suffix and len(candidates) > 1 and candidates[1].score > best.score - 0.5
    )
    return best.text, ambiguous, candidates
