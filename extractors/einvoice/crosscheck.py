"""Does the printed page say what the embedded XML says?

A Factur-X / ZUGFeRD PDF carries its data twice: the XML that APX reads and the page a
person reads. They should agree; when the invoice number, date or total of the XML is not
on the page, either the producer's software is broken or one of the two was altered
afterwards. The check is deliberately forgiving about *how* a value is printed (case,
spacing, date and number formats, a credit note's missing minus sign) so that a
discrepancy means the value is really not there.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from extractors.amounts import printed_values
from extractors.dates import find_dates
from models.invoice import InvoiceDocument

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—−"), "-")


class Discrepancy(BaseModel):
    """One value of the XML that the printed page does not show."""

    model_config = ConfigDict(frozen=True)

    field: str
    xml_value: str
    message: str


def cross_check(invoice: InvoiceDocument, page_text: str) -> list[Discrepancy]:
    """A discrepancy for each of invoice number, invoice date and total that the XML states
    but `page_text` (the PDF's text layer) does not show."""
    page = _normal(page_text)
    found: list[Discrepancy] = []
    if invoice.invoice_number and not _id_printed(invoice.invoice_number, page):
        found.append(
            Discrepancy(
                field="invoice_number",
                xml_value=invoice.invoice_number,
                message=f"The e-invoice XML gives invoice number {invoice.invoice_number}, "
                "which is not printed on the invoice.",
            )
        )
    if invoice.invoice_date and not _date_printed(invoice.invoice_date, page):
        found.append(
            Discrepancy(
                field="invoice_date",
                xml_value=invoice.invoice_date.isoformat(),
                message=f"The e-invoice XML gives invoice date "
                f"{invoice.invoice_date:%d %b %Y}, which is not printed on the invoice.",
            )
        )
    if invoice.total is not None and not _amount_printed(invoice.total, page):
        currency = f" {invoice.currency}" if invoice.currency else ""
        found.append(
            Discrepancy(
                field="total",
                xml_value=str(invoice.total),
                message=f"The e-invoice XML gives a total of {invoice.total}{currency}, "
                "which is not printed on the invoice.",
            )
        )
    return found


def _normal(text: str) -> str:
    """Case-folded, compatibility forms (NBSP, ligatures), one kind of dash, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    return " ".join(text.split())


def _id_printed(value: str, page: str) -> bool:
    """`value` on the page, spaces inside it optional, not glued to more of its own kind
    ("123" does not count as printed inside "41234")."""
    chars = [ch for ch in _normal(value) if not ch.isspace()]
    if not chars:
        return True
    body = r"\s?".join(re.escape(ch) for ch in chars)
    return re.search(_before(chars[0]) + body + _after(chars[-1]), page) is not None


def _before(ch: str) -> str:
    if ch.isdigit():
        return r"(?<!\d)(?<!\d[.,])"  # not the tail of 41234 or of 12.1234
    return r"(?<![^\W\d_])" if ch.isalpha() else ""


def _after(ch: str) -> str:
    if ch.isdigit():
        return r"(?![.,]?\d)"  # not the head of 12345 or of 1234.56
    return r"(?![^\W\d_])" if ch.isalpha() else ""


def _date_printed(value: date, page: str) -> bool:
    """`value` in any common printed form: numeric day-first, month-first or ISO, with the
    month's name in English, German, French, Dutch or Spanish, or with a two-digit year."""
    page = re.sub(r"\b1er\b", "1", page)  # French "1er novembre 2017"
    for month_first in (False, True):
        if any(found == value for _, found in find_dates(page, month_first)):
            return True
    short = (
        f"{value:%d.%m.%y}",
        f"{value:%d/%m/%y}",
        f"{value:%m/%d/%y}",
        f"{value.day}.{value.month}.{value:%y}",
    )
    return any(
        re.search(r"(?<![\d.,/-])" + re.escape(form) + r"(?![\d.,/-]?\d)", page) for form in short
    )


def _amount_printed(value: Decimal, page: str) -> bool:
    """|value| among the page's numbers, read with both decimal separators and with or
    without thousands separators; the sign is ignored (credit notes often print none)."""
    return abs(value).normalize() in printed_values(page)
