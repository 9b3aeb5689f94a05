"""Printed page vs. e-invoice XML, and payment terms read from the terms text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractors.einvoice import Discrepancy, cross_check
from extractors.einvoice.terms import terms_days
from models.invoice import InvoiceDocument


def invoice(
    number: str = "FA-2017-0009", day: date = date(2017, 11, 16), total: str = "1234.56"
) -> InvoiceDocument:
    return InvoiceDocument(
        invoice_number=number, invoice_date=day, total=Decimal(total), currency="EUR"
    )


def fields(found: list[Discrepancy]) -> list[str]:
    return [d.field for d in found]


def test_all_three_printed_gives_nothing() -> None:
    page = "FACTURE N° FA-2017-0009\nDate : 16/11/2017\nTotal TTC 1 234,56 €"
    assert cross_check(invoice(), page) == []


def test_each_missing_value_is_reported_with_a_message() -> None:
    found = cross_check(invoice(), "Invoice FA-2017-0010 dated 17.11.2017, total 1.234,57")
    assert fields(found) == ["invoice_number", "invoice_date", "total"]
    assert found[0].xml_value == "FA-2017-0009"
    assert "FA-2017-0009" in found[0].message and "not printed" in found[0].message
    assert found[1].xml_value == "2017-11-16"
    assert "1234.56 EUR" in found[2].message


@pytest.mark.parametrize(
    "printed",
    [
        "16.11.2017",
        "16/11/2017",
        "11/16/2017",
        "2017-11-16",
        "16-11-2017",
        "16.11.17",
        "16 November 2017",
        "16. November 2017",
        "November 16, 2017",
        "16 novembre 2017",
        "16 Nov 2017",
        "16-Nov-2017",
    ],
)
def test_date_in_common_printed_forms(printed: str) -> None:
    page = f"Invoice FA-2017-0009 Date: {printed} Total 1234.56"
    assert cross_check(invoice(), page) == []


def test_german_and_french_month_names() -> None:
    march = invoice(day=date(2018, 3, 5))
    assert cross_check(march, "FA-2017-0009 5. März 2018 1234,56") == []
    december = invoice(day=date(2017, 12, 1))
    assert cross_check(december, "FA-2017-0009 le 1er décembre 2017 1234,56") == []
    assert fields(cross_check(december, "FA-2017-0009 le 1er novembre 2017 1234,56")) == [
        "invoice_date"
    ]


@pytest.mark.parametrize(
    "printed",
    [
        "1.234,56",
        "1,234.56",
        "1234.56",
        "1234,56",
        "1 234,56",
        "EUR 1'234.56",
        "1234,56 €",
        "-1.234,56",
    ],
)
def test_total_in_both_conventions(printed: str) -> None:
    assert cross_check(invoice(), f"FA-2017-0009 16.11.2017 Total {printed}") == []


def test_credit_note_total_printed_without_sign() -> None:
    credit = invoice(total="-233.47")
    assert cross_check(credit, "Avoir FA-2017-0009 du 16/11/2017 Total 233,47 EUR") == []


def test_whole_total_printed_without_decimals() -> None:
    assert cross_check(invoice(total="300.00"), "FA-2017-0009 16.11.2017 Summe 300 EUR") == []


def test_number_case_and_spacing_do_not_matter() -> None:
    assert cross_check(invoice(number="re-2014 05/19"), "RE-201405/19 16.11.2017 1234,56") == []


def test_number_inside_a_longer_number_is_not_a_match() -> None:
    for page in ("Order 412345 16.11.2017 total 1234.56", "Ref 5.1234 16.11.2017 1234.56"):
        found = cross_check(invoice(number="1234"), page)
        assert fields(found) == ["invoice_number"], page
    assert cross_check(invoice(number="1234"), "No. 1234. 16.11.2017 1234.56") == []
    assert fields(cross_check(invoice(number="AB-7"), "XAB-7 16.11.2017 1234.56")) == [
        "invoice_number"
    ]


def test_amount_nowhere_but_in_another_number_is_missing() -> None:
    found = cross_check(invoice(total="34.56"), "FA-2017-0009 16.11.2017 Total 1234.56")
    assert fields(found) == ["total"]


def test_empty_page_reports_every_stated_value() -> None:
    assert fields(cross_check(invoice(), "")) == ["invoice_number", "invoice_date", "total"]
    assert cross_check(InvoiceDocument(), "") == []  # nothing stated, nothing to compare


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Net 30", 30),
        ("net 45 days", 45),
        ("Zahlbar innerhalb 30 Tagen netto bis 04.07.2018, 3% Skonto innerhalb 10 Tagen", 30),
        ("Payable within 14 days", 14),
        ("Paiement à 30 jours", 30),
        ("2% Skonto innerhalb 10 Tagen", None),
        ("30 jours fin de mois", None),
        ("Zahlbar sofort rein netto", None),
        ("Net 30, or net 60 for framework orders", None),
        ("", None),
    ],
)
def test_terms_days_from_text(text: str, days: int | None) -> None:
    assert terms_days(None, None, text) == days


def test_terms_days_prefer_the_due_date() -> None:
    assert terms_days(date(2024, 3, 1), date(2024, 3, 31), "net 60") == 30
    assert terms_days(date(2024, 3, 31), date(2024, 3, 1), "net 60") == 60  # due before issue
