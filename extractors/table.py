"""Line items from positioned words: find the header row, map columns by x, read rows.

Works without ruling lines (pdfplumber's table finder needs them); continues across pages
whether or not the header is repeated, and stops at the first totals label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extractors.amounts import find_amounts, find_percent
from extractors.context import DocContext
from extractors.labels import TOTAL_ROLES, match_at, vocabulary
from extractors.layout import Line, Segment, overlap
from extractors.text import label_key
from models.documents import Word
from models.invoice import InvoiceLine

NUMERIC = ("quantity", "unit_price", "amount", "tax_rate")
MAX_ROW_GAP = 3.5  # line heights of blank space that end the table on a page


@dataclass
class Column:
    name: str  # description, sku, quantity, unit_price, tax_rate, amount, or "other"
    x0: float
    x1: float


@dataclass
class Row:
    """One item row as read: printed pieces per column, wrapped description lines included."""

    cells: dict[str, list[str]] = field(default_factory=dict)
    description_parts: list[str] = field(default_factory=list)
    line: Line | None = None


@dataclass
class TableResult:
    lines: list[InvoiceLine]
    descriptions: list[list[str]]  # printed pieces of each description (grounding)
    line_indices: set[int]
    notes: list[str]


def header_columns(line: Line) -> list[Column] | None:
    """The columns if `line` is a line-item header row, else None."""
    index = vocabulary().table
    words = line.words
    columns: list[Column] = []
    matched = 0
    i = 0
    other: list[Word] = []
    while i < len(words):
        found = match_at(words, i, index)
        if found:
            if other:
                columns.append(Column("other", other[0].x0, other[-1].x1))
                other = []
            end, names = found
            name = sorted(names)[0]
            columns.append(Column(name, words[i].x0, words[end - 1].x1))
            matched += end - i
            i = end
        else:
            other.append(words[i])
            i += 1
    if other:
        columns.append(Column("other", other[0].x0, other[-1].x1))
    descriptions = [c for c in columns if c.name == "description"]
    if len(descriptions) > 1 and not any(c.name == "sku" for c in columns):
        descriptions[0].name = "sku"  # "Item | Description": the first one is the item code
    names = frozenset(c.name for c in columns)
    numeric = names & {"quantity", "unit_price", "amount"}
    text = names & {"description", "sku"}
    if matched / len(words) < 0.6 or not text or not numeric or len(names - {"other"}) < 3:
        return None
    return columns


def _column_for(columns: list[Column], x0: float, x1: float) -> int:
    overlaps = [overlap(x0, x1, c.x0, c.x1) for c in columns]
    best = max(range(len(columns)), key=lambda i: overlaps[i])
    if overlaps[best] > 0:
        return best
    return min(range(len(columns)), key=lambda i: max(columns[i].x0 - x1, x0 - columns[i].x1, 0.0))


def _assign(columns: list[Column], line: Line) -> dict[str, list[str]]:
    cells: dict[str, list[str]] = {}
    for segment in line.segments:
        touched = [c for c in columns if overlap(segment.x0, segment.x1, c.x0, c.x1) > 0]
        pieces: list[tuple[int, Segment]] = []
        if len(touched) > 1:
            # Word by word, but consecutive words of one column stay one piece: a
            # space-grouped amount ("1 380,00 CHF") must not fall apart into "1" and "380,00".
            for word in segment.words:
                index = _column_for(columns, word.x0, word.x1)
                if pieces and pieces[-1][0] == index:
                    pieces[-1][1].words.append(word)
                else:
                    pieces.append((index, Segment([word])))
        else:
            pieces.append((_column_for(columns, segment.x0, segment.x1), segment))
        for index, piece in pieces:
            cells.setdefault(columns[index].name, []).append(piece.text)
    return cells


def _spans_columns(columns: list[Column], line: Line) -> bool:
    """A sentence running across three or more columns is a note, not an item row."""
    return any(
        sum(overlap(s.x0, s.x1, c.x0, c.x1) > 0 for c in columns) >= 3 for s in line.segments
    )


def _is_skip(line: Line) -> bool:
    skip = vocabulary().table_skip
    return any(label_key(" ".join(w.text for w in line.words[:n])) in skip for n in (1, 2, 3))


# Header fields a continuation page repeats above its rows ("Nordwind GmbH  Beleg-Nr.
# RE-2026-04660"): a row naming one of them is the page's running header, not an item.
RUNNING_HEADER_FIELDS = frozenset(
    {"invoice_number", "invoice_date", "po_number", "customer_number", "due_date"}
)


def _is_running_header(ctx: DocContext, line: Line, cells: dict[str, list[str]]) -> bool:
    """A row with a header field's label and no quantity is a page's running header."""
    if any(find_amounts(p, ctx.decimal_sep) for p in cells.get("quantity", [])):
        return False
    return any(h.line is line and h.fields & RUNNING_HEADER_FIELDS for h in ctx.hits)


def _is_totals(ctx: DocContext, line: Line, cells: dict[str, list[str]]) -> bool:
    """A totals label ends the table unless the row also has a quantity (an item row)."""
    if any(find_amounts(p, ctx.decimal_sep) for p in cells.get("quantity", [])):
        return False
    return any(h.line is line and h.fields & TOTAL_ROLES for h in ctx.hits)


def _number(pieces: list[str], decimal_sep: str | None, last: bool = False) -> Decimal | None:
    found = [value for piece in pieces for _, value in find_amounts(piece, decimal_sep)]
    if not found:
        return None
    return found[-1] if last else found[0]


def _to_line(row: Row, ctx: DocContext, notes: list[str]) -> InvoiceLine | None:
    sep = ctx.decimal_sep
    cells = row.cells
    quantity = _number(cells.get("quantity", []), sep)
    price = _number(cells.get("unit_price", []), sep)
    amounts = [v for p in cells.get("amount", []) for _, v in find_amounts(p, sep)]
    amount: Decimal | None = None
    if amounts:
        amount = amounts[-1]
        if quantity is not None and price is not None:
            amount = next((a for a in amounts if a == quantity * price), amount)
    description = " ".join(row.description_parts).strip()
    if not description or (amount is None and (quantity is None or price is None)):
        return None
    if amount is None:
        assert quantity is not None and price is not None
        amount = quantity * price
        notes.append(f"line '{description}': amount not printed, computed as qty x price")
    if quantity is None:
        quantity = Decimal(1)
        if price is None:
            price = amount
        notes.append(f"line '{description}': quantity not printed, read as 1")
    if price is None:
        price = (amount / quantity).quantize(Decimal("0.01")) if quantity else amount
        notes.append(f"line '{description}': unit price not printed, computed")
    rate_text = " ".join(cells.get("tax_rate", []))
    rate = find_percent(rate_text) if "%" in rate_text else _number(cells.get("tax_rate", []), sep)
    sku = " ".join(cells.get("sku", [])).strip() or None
    return InvoiceLine(
        description=description,
        sku=sku,
        quantity=quantity,
        unit_price=price,
        amount=amount,
        tax_rate=rate,
    )


def read_table(ctx: DocContext) -> TableResult:
    """All item rows of the document's line-item table (possibly spanning pages)."""
    rows: list[Row] = []
    used: set[int] = set()
    columns: list[Column] | None = None
    open_table = False  # the previous page ended inside the table
    current_page = 0
    last_row_line: Line | None = None
    anchor: Line | None = None  # the header or last row on this page
    for line in ctx.lines:
        if line.page != current_page:
            current_page = line.page
            last_row_line = anchor = None
            if not open_table:
                columns = None
        found = header_columns(line)
        if found is not None:
            columns, open_table = found, True
            used.add(line.index)
            last_row_line, anchor = None, line
            continue
        if columns is None or not open_table:
            continue
        if anchor is not None and line.top - anchor.bottom > MAX_ROW_GAP * anchor.height:
            continue  # footer or letterhead, far from the rows: not part of the table
        if _spans_columns(columns, line):
            continue
        cells = _assign(columns, line)
        if _is_totals(ctx, line, cells):
            open_table = False
            continue
        if _is_skip(line):
            used.add(line.index)
            continue
        if _is_running_header(ctx, line, cells):
            continue
        text_parts = cells.get("description", []) or cells.get("other", [])
        has_numbers = any(
            find_amounts(p, ctx.decimal_sep) for n in NUMERIC for p in cells.get(n, [])
        )
        priced = cells.get("quantity") and cells.get("unit_price")
        if (has_numbers and cells.get("amount")) or priced:
            rows.append(Row(cells, [" ".join(text_parts)] if text_parts else [], line))
            used.add(line.index)
            last_row_line = anchor = line
        elif (
            text_parts
            and last_row_line is not None
            and not has_numbers
            and line.top - last_row_line.bottom < 1.5 * last_row_line.height
        ):
            rows[-1].description_parts.append(" ".join(text_parts))
            used.add(line.index)
            last_row_line = anchor = line
        elif (
            text_parts
            and rows
            and last_row_line is None
            and anchor is not None
            and rows[-1].line is not None
            and rows[-1].line.page < line.page
            and not has_numbers
            and line.top - anchor.bottom < 1.5 * anchor.height
        ):
            # the previous page's last row goes on under this page's repeated header: part
            # of the table (the rows below are not a footer), kept out of the description,
            # which is compared with the text as one run
            used.add(line.index)
            anchor = line
    notes: list[str] = []
    items: list[InvoiceLine] = []
    descriptions: list[list[str]] = []
    for row in rows:
        item = _to_line(row, ctx, notes)
        if item is not None:
            items.append(item)
            descriptions.append(row.description_parts)
    return TableResult(items, descriptions, used, notes)
