"""Real e-invoices from the public ZUGFeRD corpus (tests/fixtures/einvoice, Apache-2.0)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.einvoice import cross_check, einvoice_from_pdf
from extractors.pdf import parse_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"

# (file, attachment, number, date, po, subtotal, tax, total, seller)
CASES = [
    (
        "001-fnfe.pdf",
        "factur-x.xml",
        "AV-2017-0005",
        "2017-11-16",
        "PO445",
        "-218.48",
        "-14.99",
        "-233.47",
        "Au bon moulin",
    ),
    (
        "002-fnfe.pdf",
        "factur-x.xml",
        "FA-2017-0009",
        "2017-11-05",
        "BC543",
        "530.75",
        "0.00",
        "530.75",
        "Au bon moulin",
    ),
    (
        "033-mustang.pdf",
        "ZUGFeRD-invoice.xml",
        "RE-20140703/502",
        "2014-07-03",
        None,
        "496.00",
        "75.04",
        "571.04",
        "Bei Spiel GmbH",
    ),
    (
        "058-xmlrechnung.pdf",
        "factur-x.xml",
        "471102",
        "2018-06-05",
        "2018-471331",
        "177.49",
        "20.16",
        "197.65",
        "Lieferant GmbH",
    ),
    (
        "067-xmlrechnung.pdf",
        "factur-x.xml",
        "RK21012345",
        "2018-09-16",
        "B123456789",
        "-7.67",
        "-1.12",
        "-8.79",
        "MUSTERLIEFERANT GMBH",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_real_einvoice_fields(case: tuple[str | None, ...]) -> None:
    name, attachment, number, day, po, subtotal, tax, total, seller = case
    assert name is not None
    einvoice = einvoice_from_pdf(FIXTURES / name)
    assert einvoice is not None
    invoice = einvoice.invoice
    assert einvoice.attachment_name == attachment
    assert invoice.invoice_number == number
    assert str(invoice.invoice_date) == day
    assert invoice.po_number == po
    assert invoice.currency == "EUR"
    assert invoice.subtotal == Decimal(str(subtotal))
    assert invoice.tax == Decimal(str(tax))
    assert invoice.total == Decimal(str(total))
    assert invoice.vendor_name == seller
    if einvoice.tax_breakdown:  # ZUGFeRD 1 COMFORT may state none; the rest add up
        assert sum(g.basis for g in einvoice.tax_breakdown) == invoice.subtotal
        assert sum(g.tax for g in einvoice.tax_breakdown) == invoice.tax


def test_document_level_allowances_and_charges_keep_lines_summing() -> None:
    einvoice = einvoice_from_pdf(FIXTURES / "058-xmlrechnung.pdf")
    assert einvoice is not None
    invoice = einvoice.invoice
    assert sum(line.amount for line in invoice.lines) == invoice.subtotal
    assert ("Versandkosten", Decimal("5.80")) in [
        (ln.description, ln.amount) for ln in invoice.lines
    ]


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_printed_page_agrees_and_alterations_are_caught(name: str) -> None:
    path = FIXTURES / name
    einvoice = einvoice_from_pdf(path)
    assert einvoice is not None
    page = parse_pdf(path, "sha").text
    assert cross_check(einvoice.invoice, page) == []
    invoice = einvoice.invoice
    assert invoice.invoice_date is not None and invoice.total is not None
    altered = invoice.model_copy(
        update={
            "invoice_number": f"{invoice.invoice_number}7",
            "invoice_date": invoice.invoice_date + timedelta(days=1),
            "total": invoice.total + Decimal("0.01"),
        }
    )
    assert [d.field for d in cross_check(altered, page)] == [
        "invoice_number",
        "invoice_date",
        "total",
    ]
