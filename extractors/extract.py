"""Parsed document -> grounded Extraction: deterministic readers first, one model call at most.

Order: line-item table, header labels, letterhead, totals (settled by arithmetic); then the
vendor's learned layout, when the pipeline found one, for what those could not settle; then,
only if still needed (mode "auto": vendor, invoice number, date or total missing or
ambiguous) or asked for (mode "always"), one closed-choice model call; then grounding of
every value.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from extractors import learned, llm
from extractors.amounts import parse_amount
from extractors.bank import read_bank_details
from extractors.context import DocContext
from extractors.currency import currency_in, only_ambiguous_symbol
from extractors.dates import find_dates
from extractors.grounding import Evidence, ground
from extractors.header import (
    Found,
    date_after_number,
    date_in_sentence,
    date_in_title,
    labelled_currency,
    labelled_date,
    labelled_id,
    labelled_tax_id,
    number_in_title,
    party_name,
    payment_terms,
    title_line,
)
from extractors.labels import LabelHit
from extractors.layout import Line
from extractors.table import read_table
from extractors.totals import Amount, read_totals
from extractors.vendor import vendor_from_letterhead
from models.documents import ParsedDocument, Word
from models.gateway import ModelGateway
from models.invoice import Extraction, FieldLocation, FieldSource, InvoiceDocument
from models.layouts import LayoutUse, VendorLayout

Mode = Literal["auto", "always", "never"]


class _Draft:
    """Values, sources, locations and open questions while the readers run."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, FieldSource] = {}
        self.locations: dict[str, FieldLocation] = {}
        self.unverified: dict[str, str] = {}
        self.ambiguous: dict[str, list[str]] = {}

    def set(
        self, name: str, value: Any, source: FieldSource, where: FieldLocation | None = None
    ) -> None:
        if value is not None:
            self.values[name] = value
            self.sources[name] = source
            if where is not None:
                self.locations[name] = where
            else:
                self.locations.pop(name, None)


def _where(words: list[Word], hit: LabelHit | None = None) -> FieldLocation | None:
    """The box around a value's words and its label's words (one page)."""
    boxed = [*(hit.words if hit is not None else []), *words]
    if not boxed:
        return None
    page = boxed[-1].page
    boxed = [w for w in boxed if w.page == page]
    return FieldLocation(
        page=page,
        x0=min(w.x0 for w in boxed),
        top=min(w.top for w in boxed),
        x1=max(w.x1 for w in boxed),
        bottom=max(w.bottom for w in boxed),
        label=hit.text if hit is not None else None,
    )


def _found(draft: _Draft, name: str, found: Found | None, source: FieldSource) -> bool:
    if found is None:
        return False
    draft.set(name, found.value, source, _where(found.words, found.hit))
    return True


def _unlabelled_dates(ctx: DocContext) -> list[tuple[str, date, Line]]:
    """Dates on page 1 outside the table and outside other labels' lines (due, delivery)."""
    found: dict[date, tuple[str, Line]] = {}
    labelled = {h.line.index for h in ctx.hits if "invoice_date" not in h.fields}
    for line in ctx.lines:
        if line.page != 1 or line.index in ctx.table_lines or line.index in labelled:
            continue
        for printed, day in find_dates(line.text, ctx.month_first):
            found.setdefault(day, (printed, line))
    return [(printed, day, line) for day, (printed, line) in found.items()]


def _header(ctx: DocContext, draft: _Draft) -> None:
    title = title_line(ctx)
    title_where = _where(title.line.words) if title is not None else None
    if not _found(draft, "invoice_number", labelled_id(ctx, "invoice_number"), FieldSource.LABEL):
        in_title = number_in_title(ctx, title) if title is not None else None
        if in_title is not None:
            # "Rechnung Nr. 471102": the "Nr." marks the number as a label would
            source = FieldSource.LABEL if in_title[1] else FieldSource.LAYOUT
            draft.set("invoice_number", in_title[0], source, title_where)
    po = labelled_id(ctx, "po_number")
    if po and po.value != draft.values.get("invoice_number"):
        _found(draft, "po_number", po, FieldSource.LABEL)
    invoice_date = labelled_date(ctx, "invoice_date") or date_after_number(ctx)
    title_date = date_in_title(ctx, title) if title is not None else None
    if invoice_date:
        found = invoice_date[1]
        draft.set(
            "invoice_date", invoice_date[0], FieldSource.LABEL, _where(found.words, found.hit)
        )
    elif title_date is not None:
        draft.set("invoice_date", title_date, FieldSource.LAYOUT, title_where)
    else:
        dates = _unlabelled_dates(ctx)
        if len(dates) == 1:
            draft.set("invoice_date", dates[0][1], FieldSource.LAYOUT, _where(dates[0][2].words))
        elif dates:
            draft.ambiguous["invoice_date"] = [printed for printed, _, _ in dates]
    due = labelled_date(ctx, "due_date")
    if due:
        draft.set("due_date", due[0], FieldSource.LABEL, _where(due[1].words, due[1].hit))
    else:
        draft.set("due_date", date_in_sentence(ctx, "due_date"), FieldSource.LABEL)
    draft.set("payment_terms_days", payment_terms(ctx), FieldSource.LABEL)
    if not _found(draft, "vendor_name", party_name(ctx, "vendor_name"), FieldSource.LABEL):
        name, ambiguous, candidates = vendor_from_letterhead(ctx)
        where = _where(candidates[0].segment.words) if candidates else None
        draft.set("vendor_name", name, FieldSource.LAYOUT, where)
        if ambiguous and candidates:
            draft.ambiguous["vendor_name"] = [c.text for c in candidates[:6]]
    _found(draft, "bill_to", party_name(ctx, "bill_to"), FieldSource.LABEL)
    _found(draft, "vendor_tax_id", labelled_tax_id(ctx), FieldSource.LABEL)
    accounts = read_bank_details(ctx)
    if accounts:
        draft.set("bank_accounts", accounts, FieldSource.LABEL)
    draft.set("iban", next((a.iban for a in accounts if a.iban), None), FieldSource.LABEL)


def _amount_where(amount: Amount) -> FieldLocation | None:
    if amount.hit is not None:
        return _where(amount.hit.line.words, amount.hit)
    return _where([w for line in amount.lines for w in line.words])


def _totals(ctx: DocContext, draft: _Draft, lines_sum: Decimal | None) -> None:
    totals = read_totals(ctx, lines_sum)
    for name in ("subtotal", "tax", "total"):
        amount = getattr(totals, name)
        if amount is None:
            continue
        if name in totals.ambiguous:
            draft.ambiguous[name] = [str(a.value) for a in totals.candidates[name]]
            if name != "total":
                draft.unverified[name] = "several labelled amounts, none confirmed by arithmetic"
        by_label = name not in totals.by_arithmetic and amount.hit is not None
        source = FieldSource.LABEL if by_label else FieldSource.ARITHMETIC
        draft.set(name, amount.value, source, _amount_where(amount))
    if totals.adjustment is not None:
        draft.set("adjustments", totals.adjustment, FieldSource.ARITHMETIC)
    if totals.tax is not None and totals.tax.rate is not None:
        draft.set("tax_rate", totals.tax.rate, FieldSource.LABEL)
    currency = labelled_currency(ctx)
    if currency is None and totals.total is not None and totals.total.line is not None:
        currency = currency_in(totals.total.line.text)
    if currency is None:
        currency = currency_in(ctx.text)
    if currency is None and only_ambiguous_symbol(ctx.text):
        draft.unverified["currency"] = "only '$' is printed: the vendor master's currency decides"
    draft.set("currency", currency, FieldSource.LAYOUT)


def _apply_layout(ctx: DocContext, draft: _Draft, layout: VendorLayout) -> LayoutUse:
    """Read with the vendor's learned layout what code could not settle (or only guessed by
    position); a needed model field it cannot read is a miss, and the model may be asked."""
    needed, read, missed = [], [], {}
    for rule in layout.rules:
        name = rule.field
        unsettled = name not in draft.values or name in draft.ambiguous
        if not unsettled and draft.sources.get(name) != FieldSource.LAYOUT:
            continue  # read by its label, the table or the arithmetic: that stands
        if unsettled and name in llm.MODEL_FIELDS:
            needed.append(name)
        found = learned.read(ctx, rule)
        if isinstance(found, str):
            if unsettled and name in llm.MODEL_FIELDS:
                missed[name] = found
            continue
        if not unsettled and learned.same_value(found.value, draft.values[name]):
            continue  # the position guess agrees with the layout
        where = _where(found.words)
        if where is not None:
            where = where.model_copy(update={"label": rule.label})
        draft.set(name, found.value, FieldSource.LEARNED, where)
        draft.ambiguous.pop(name, None)
        draft.unverified.pop(name, None)
        read.append(name)
    return LayoutUse(vendor_id=layout.vendor_id, version=layout.version, needed=tuple(needed),
                     read=tuple(read), missed=missed)


def _needs_model(draft: _Draft, mode: Mode) -> list[str]:
    if mode == "never":
        return []
    if mode == "always":
        return list(llm.MODEL_FIELDS)
    return [f for f in llm.MODEL_FIELDS if f not in draft.values or f in draft.ambiguous]


def _ask_model(ctx: DocContext, draft: _Draft, gateway: ModelGateway, fields: list[str]) -> int:
    """Offer candidates for `fields`; apply answers to missing, ambiguous or layout guesses."""
    readers = {
        "vendor_name": lambda: [c.text for c in vendor_from_letterhead(ctx)[2][:8]],
        "invoice_number": lambda: llm.id_candidates(ctx),
        "invoice_date": lambda: llm.date_candidates(ctx),
        "total": lambda: llm.total_candidates(ctx),
    }
    candidates = {f: readers[f]() for f in fields}
    candidates = {f: c for f, c in candidates.items() if c}
    if not candidates:
        return 0
    choice = llm.choose(ctx, gateway, candidates)
    if choice.error:
        for f in candidates:
            if f not in draft.values:
                draft.unverified.setdefault(f, choice.error)
    for name, printed in choice.answers.items():
        replaceable = (
            name not in draft.values
            or name in draft.ambiguous
            or draft.sources.get(name) == FieldSource.LAYOUT
        )
        if not printed or not replaceable:
            continue
        value: Any = printed
        if name == "invoice_date":
            found = find_dates(printed, ctx.month_first)
            value = found[0][1] if found else None
        elif name == "total":
            value = parse_amount(printed, ctx.decimal_sep)
        if value is not None:
            draft.set(name, value, FieldSource.MODEL)
            draft.ambiguous.pop(name, None)
            draft.unverified.pop(name, None)
    return choice.calls


def extract_invoice(
    doc: ParsedDocument, gateway: ModelGateway | None, *, mode: Mode = "auto",
    layout: VendorLayout | None = None,
) -> Extraction:
    """Extract and ground an invoice; at most one model call (never with mode="never").

    `layout`: the learned layout of the vendor whose tax id or IBAN the page prints.
    """
    ctx = DocContext.build(doc)
    draft = _Draft()
    table = read_table(ctx)
    ctx.table_lines = table.line_indices
    if table.lines:
        draft.set("lines", table.lines, FieldSource.TABLE)
    for note in table.notes:
        draft.unverified.setdefault("lines", note)
    _header(ctx, draft)
    lines_sum = sum((line.amount for line in table.lines), Decimal(0)) if table.lines else None
    _totals(ctx, draft, lines_sum)
    use = _apply_layout(ctx, draft, layout) if layout is not None else None
    calls = 0
    wanted = _needs_model(draft, mode)
    if wanted and gateway is not None:
        calls = _ask_model(ctx, draft, gateway, wanted)
    for name, options in draft.ambiguous.items():
        if name not in ("subtotal", "tax") and draft.sources.get(name) != FieldSource.MODEL:
            reason = "several candidates, none confirmed: " + ", ".join(options[:5])
            draft.unverified.setdefault(name, reason)
    invoice = InvoiceDocument.model_validate(draft.values)
    locations = {k: v for k, v in draft.locations.items() if k in draft.sources}
    extraction = Extraction(
        invoice=invoice,
        sources=draft.sources,
        locations=locations,
        unverified=draft.unverified,
        model_calls=calls,
        layout=use,
    )
    # the page text and the lines as read (letter-spaced words joined: extractors.layout)
    evidence_text = doc.text + "\n" + "\n".join(line.text for line in ctx.lines)
    return ground(extraction, Evidence.of(evidence_text))
