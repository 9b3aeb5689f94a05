"""Every extracted value must be printed in the document, whichever path produced it.

Strings are compared case- and whitespace-insensitively; amounts by value against every
number printed (read in both decimal conventions, so "1.234,56" grounds 1234.56); dates
against every date printed in any supported format. Ungrounded values are removed from the
invoice and the reason kept in `Extraction.unverified`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from extractors.amounts import PERCENT_RE, printed_values
from extractors.dates import find_dates
from extractors.text import ground_key
from models.invoice import Extraction, InvoiceDocument

STRING_FIELDS = ("vendor_name", "vendor_tax_id", "iban", "invoice_number", "po_number", "bill_to")
WRAPPING_FIELDS = ("vendor_name", "bill_to")
AMOUNT_FIELDS = ("subtotal", "tax", "total")
DATE_FIELDS = ("invoice_date", "due_date")


@dataclass(frozen=True)
class Evidence:
    """The document's text, numbers and dates in the forms values are checked against."""

    text_key: str
    numbers: frozenset[Decimal]
    percents: frozenset[Decimal]
    dates: frozenset[date]

    @classmethod
    def of(cls, text: str) -> Evidence:
        dates = {d for _, d in find_dates(text, False)} | {d for _, d in find_dates(text, True)}
        percents = {
            Decimal(m.group(1).replace(",", ".")).normalize() for m in PERCENT_RE.finditer(text)
        }
        numbers = frozenset(printed_values(text))
        return cls(ground_key(text), numbers, frozenset(percents), frozenset(dates))

    def has_text(self, value: str) -> bool:
        key = ground_key(value)
        return bool(key) and key in self.text_key

    def has_words_in_order(self, value: str, max_gap: int = 200) -> bool:
        """For wrapped cells: each word occurs, in order, each within `max_gap` of the last."""
        if self.has_text(value):
            return True
        keys = [ground_key(word) for word in value.split()]
        if not keys:
            return False
        start = self.text_key.find(keys[0])
        while start >= 0:
            position = start + len(keys[0])
            for key in keys[1:]:
                found = self.text_key.find(key, position)
                if found < 0 or found - position > max_gap:
                    break
                position = found + len(key)
            else:
                return True
            start = self.text_key.find(keys[0], start + 1)
        return False

    def has_number(self, value: Decimal) -> bool:
        return abs(value).normalize() in self.numbers

    def has_percent(self, value: Decimal) -> bool:
        """A rate is printed as "20%" or, in a rate column, as a bare number."""
        key = abs(value).normalize()
        return key in self.percents or key in self.numbers

    def has_date(self, value: date) -> bool:
        return value in self.dates


def _tax_is_printed_difference(invoice: InvoiceDocument, evidence: Evidence) -> bool:
    """A tax printed only per rate (7 % and 19 % rows) is grounded by the printed net and
    gross it separates: subtotal + tax = total, both of them printed."""
    sub, tax, total = invoice.subtotal, invoice.tax, invoice.total
    if sub is None or tax is None or total is None:
        return False
    return (
        evidence.has_number(sub) and evidence.has_number(total) and sub + tax == total
    )


def ground(extraction: Extraction, evidence: Evidence) -> Extraction:
    """Drop every ungrounded value from the invoice, recording why in `unverified`."""
    invoice = extraction.invoice
    updates: dict[str, object] = {}
    unverified = dict(extraction.unverified)
    sources = dict(extraction.sources)
    locations = dict(extraction.locations)

    def drop(name: str, reason: str) -> None:
        updates[name] = None
        unverified[name] = reason
        sources.pop(name, None)
        locations.pop(name, None)

    for name in STRING_FIELDS:
        value = getattr(invoice, name)
        # a party's name may wrap onto a second line of its cell
        check = evidence.has_words_in_order if name in WRAPPING_FIELDS else evidence.has_text
        if value is not None and not check(str(value)):
            drop(name, f"'{value}' does not occur in the document text")
    if invoice.currency is not None and not _currency_printed(invoice.currency, evidence):
        drop("currency", f"neither '{invoice.currency}' nor its symbol is printed")
    for name in AMOUNT_FIELDS:
        amount = getattr(invoice, name)
        if amount is not None and not evidence.has_number(amount):
            if name == "tax" and _tax_is_printed_difference(invoice, evidence):
                continue
            drop(name, f"{amount} is not printed in the document")
    if invoice.tax_rate is not None and not evidence.has_percent(invoice.tax_rate):
        drop("tax_rate", f"{invoice.tax_rate} % is not printed in the document")
    for name in DATE_FIELDS:
        day = getattr(invoice, name)
        if day is not None and not evidence.has_date(day):
            drop(name, f"{day.isoformat()} is not printed in the document")
    kept = []
    for index, line in enumerate(invoice.lines, start=1):
        problems = [
            n
            for n in ("quantity", "unit_price", "amount")
            if not evidence.has_number(getattr(line, n))
        ]
        if not evidence.has_words_in_order(line.description):
            problems.append("description")
        if problems:
            unverified[f"lines[{index}]"] = "not printed: " + ", ".join(problems)
        else:
            kept.append(line)
    if len(kept) != len(invoice.lines):
        updates["lines"] = kept
    if invoice.total is None and "total" not in unverified and "total" not in updates:
        unverified["total"] = "no total found in the document"
    new_invoice = InvoiceDocument.model_validate({**invoice.model_dump(), **updates})
    return extraction.model_copy(
        update={
            "invoice": new_invoice,
            "unverified": unverified,
            "sources": sources,
            "locations": locations,
        }
    )


_SYMBOL = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}


def _currency_printed(code: str, evidence: Evidence) -> bool:
    symbol = _SYMBOL.get(code)
    return evidence.has_text(code) or (symbol is not None and symbol in evidence.text_key)
