"""Locale-aware parsing of amounts, percentages, dates, currencies and payment terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractors.amounts import decimal_separator, find_amounts, find_percent, parse_amount
from extractors.currency import currency_in
from extractors.dates import find_dates, month_first_hint, parse_date
from extractors.header import terms_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("(12.00)", "-12.00"),
        ("-240.00", "-240.00"),
        ("-£69.50", "-69.50"),
        ("12.00-", "-12.00"),
        ("EUR 1.234,56", "1234.56"),
        ("2.975,00 €", "2975.00"),
        ("$4,983.82", "4983.82"),
        ("US$ 5.00", "5.00"),
        ("0.00", "0.00"),
        ("40", "40"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_three_decimals_follow_the_document() -> None:
    assert parse_amount("1.500", decimal_sep=",") == Decimal(1500)
    assert parse_amount("1.500", decimal_sep=".") == Decimal("1.500")
    assert decimal_separator("Netto 1.234,56 MwSt 234,56") == ","
    assert decimal_separator("Subtotal 1,234.56 Tax 98.70") == "."


def test_percent_is_not_an_amount() -> None:
    assert [v for _, v in find_amounts("MwSt. 19 % 475,00 €")] == [Decimal("475.00")]
    assert find_percent("Tax (21%)") == Decimal(21)
    assert find_percent("zzgl. MwSt. 19 %") == Decimal(19)
    assert find_percent("VAT 7,5%") == Decimal("7.5")
    assert parse_amount("19 %") is None


@pytest.mark.parametrize(
    "text",
    [
        "03.11.2026",
        "2026-11-03",
        "3 November 2026",
        "Nov 3, 2026",
        "November 3rd, 2026",
        "3. November 2026",
        "03-Nov-2026",
        "3 de noviembre de 2026",
        "3 novembre 2026",
        "03/11/2026",
        "03-11-2026",
    ],
)
def test_dates(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 3)


def test_german_month_names_and_slash_order() -> None:
    assert parse_date("Datum: 3. März 2026") == date(2026, 3, 3)
    assert parse_date("11/03/2026", month_first=True) == date(2026, 11, 3)
    assert parse_date("11/30/2026") == date(2026, 11, 30)  # impossible day-first: month-first
    assert month_first_hint("Date 11/30/2026, due 12/30/2026") is True
    assert month_first_hint("Date 30/11/2026") is False
    assert find_dates("INV-2026-0042 amount 1.234,56") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Total EUR 12,00", "EUR"),
        ("£1,600.20", "GBP"),
        ("$4,983.82", None),  # US, Canadian, Australian ... dollars: the vendor master decides
        ("US$ 4,983.82", "USD"),
        ("CA$ 12.00", "CAD"),
        ("USD 12.00 ($)", "USD"),
        ("12,00 €", "EUR"),
        ("Currency: CHF", "CHF"),
        ("no money here", None),
    ],
)
def test_currency(text: str, code: str | None) -> None:
    assert currency_in(text) == code


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Net 30", 30),
        ("30 days", 30),
        ("14 Tage netto", 14),
        ("Due on receipt", 0),
        ("NET45", 45),
        ("30 jours fin de mois", 30),
        ("whenever", None),
    ],
)
def test_terms(text: str, days: int | None) -> None:
    assert terms_days(text) == days


def test_space_grouped_amount_survives_a_segment_that_straddles_columns() -> None:
    """A price segment reaching into a neighbouring header word's column ("Prix unitaire |
    HT") is split by column, not word by word: "1 380,00" stays one amount."""
    from extractors.layout import Line, Segment
    from extractors.table import Column, _assign
    from models.documents import Word

    def word(text: str, x0: float, x1: float) -> Word:
        return Word(text=text, x0=x0, x1=x1, top=100, bottom=109, page=0, size=9)

    columns = [Column("quantity", 379, 394), Column("unit_price", 407, 460),
               Column("other", 462, 474), Column("amount", 493, 542)]
    words = [word("1", 389, 394), word("1", 418, 423), word("380,00", 426, 452),
             word("CHF", 456, 474), word("1", 486, 491), word("380,00", 494, 520),
             word("CHF", 524, 542)]
    line = Line(page=0, words=words,
                segments=[Segment(words[:1]), Segment(words[1:4]), Segment(words[4:])])
    cells = _assign(columns, line)
    assert cells["unit_price"] == ["1 380,00"]
    assert cells["amount"] == ["1 380,00 CHF"]


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Net 30", 30),
        ("14 Tage netto", 14),
        ("2/10 net 30", 30),
        ("Zahlbar innerhalb von 7 Tagen mit 2 % Skonto oder innerhalb von 14 Tagen netto", 14),
        ("2 % Skonto within 7 days, 14 days net", 14),
        ("3% discount if paid within 10 days, otherwise 30 days", 30),
        ("due on receipt", 0),
    ],
)
def test_payment_terms_are_the_net_days_not_a_discount_period(text: str, days: int) -> None:
    assert terms_days(text) == days
