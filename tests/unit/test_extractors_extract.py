"""extract_invoice on small generated PDFs: labels, positions, tables, totals, grounding, model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.extract import extract_invoice
from extractors.grounding import Evidence, ground
from extractors.pdf import parse_pdf
from models.documents import ParsedDocument
from models.invoice import Extraction, FieldSource, InvoiceDocument, InvoiceLine
from tests.extractor_pdfs import Text, english_invoice, german_invoice, long_invoice, make_pdf
from tests.fakes import FakeGateway


def _doc(tmp_path: Path, pages: list[list[Text]], name: str = "inv.pdf") -> ParsedDocument:
    return parse_pdf(make_pdf(tmp_path / name, pages), "sha-" + name)


def test_english_invoice_is_fully_deterministic(tmp_path: Path) -> None:
    gateway = FakeGateway()
    result = extract_invoice(_doc(tmp_path, [english_invoice()]), gateway)
    inv = result.invoice
    assert inv.vendor_name == "Acme Widgets Ltd"
    assert inv.vendor_tax_id == "GB123456789"
    assert inv.iban == "GB33BUKB20201555555555"
    assert (inv.invoice_number, inv.po_number) == ("INV-2026-0042", "PO-7781")
    assert (inv.invoice_date, inv.due_date) == (date(2026, 11, 3), date(2026, 12, 3))
    assert inv.payment_terms_days == 30
    assert inv.currency == "GBP" and inv.bill_to == "Northwind Holdings Ltd"
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.amount) for ln in inv.lines] == [
        ("WID-100", Decimal(10), Decimal("12.50"), Decimal("125.00")),
        ("WID-200", Decimal(4), Decimal("7.25"), Decimal("29.00")),
        ("SRV-1", Decimal(1), Decimal("1200.00"), Decimal("1200.00")),
    ]
    assert inv.lines[0].description == "Widget, large (blue)"
    assert (inv.subtotal, inv.tax, inv.tax_rate, inv.total) == (
        Decimal("1354.00"),
        Decimal("270.80"),
        Decimal(20),
        Decimal("1624.80"),
    )
    assert result.sources["invoice_number"] == FieldSource.LABEL
    assert result.sources["vendor_name"] == FieldSource.LAYOUT
    assert result.sources["lines"] == FieldSource.TABLE
    assert result.unverified == {} and result.model_calls == 0 and gateway.calls == []


def test_german_boxed_header_and_wrapped_description(tmp_path: Path) -> None:
    inv = extract_invoice(_doc(tmp_path, [german_invoice()]), None).invoice
    assert inv.vendor_name == "Müller Maschinenbau GmbH"
    assert inv.vendor_tax_id == "DE136695976"
    assert inv.invoice_number == "RE-2026-118" and inv.po_number == "4500012345"
    assert inv.invoice_date == date(2026, 11, 3) and inv.due_date == date(2026, 11, 17)
    assert inv.bill_to == "Beispiel Handels AG" and inv.currency == "EUR"
    assert inv.payment_terms_days == 14 and inv.tax_rate == 19
    assert inv.lines[0].description == "Hydraulikpumpe HP-2 inkl. Montagesatz"
    assert inv.lines[0].sku == "M-88" and inv.lines[0].unit_price == Decimal("1234.50")
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("2500.00"),
        Decimal("475.00"),
        Decimal("2975.00"),
    )


@pytest.mark.parametrize("repeat_header", [True, False])
def test_two_page_table_with_thirty_lines(tmp_path: Path, repeat_header: bool) -> None:
    doc = _doc(tmp_path, long_invoice(rows=30, repeat_header=repeat_header))
    assert len(doc.pages) == 2
    result = extract_invoice(doc, None)
    inv = result.invoice
    assert len(inv.lines) == 30
    assert inv.lines[29].description == "Part number 30, steel"
    assert inv.lines[29].quantity == 90 and inv.lines[29].amount == Decimal("3600.00")
    assert sum(ln.amount for ln in inv.lines) == inv.subtotal == Decimal("42315.00")
    assert inv.total == Decimal("45700.00")
    # only "$" is printed: US, Canadian, Australian ... dollars; the vendor master decides
    assert inv.currency is None and "'$'" in result.unverified["currency"]
    assert inv.invoice_date == date(2026, 11, 5) and inv.payment_terms_days == 45
    assert inv.vendor_name == "Brightwater Supply Co." and inv.bill_to == "APX Demo Inc."
    assert set(result.unverified) == {"currency"}


def test_credit_note_keeps_printed_signs(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Kappa Tools SARL", 16),
        (400, 50, "CREDIT NOTE", 16),
        (400, 80, "Credit Note No: CN-77"),
        (400, 94, "Date: 2026-11-03"),
        (50, 150, "Description"),
        (300, 150, ">Qty"),
        (400, 150, ">Price"),
        (500, 150, ">Amount"),
        (50, 166, "Returned drill"),
        (300, 166, ">-1"),
        (400, 166, ">240.00"),
        (500, 166, ">-240.00"),
        (400, 200, ">Net amount"),
        (500, 200, ">-240.00 EUR"),
        (400, 214, ">TVA 20 %"),
        (500, 214, ">(48.00) EUR"),
        (400, 228, ">Total"),
        (500, 228, ">-288.00 EUR"),
    ]
    inv = extract_invoice(_doc(tmp_path, [items]), None).invoice
    assert inv.invoice_number == "CN-77" and inv.vendor_name == "Kappa Tools SARL"
    assert (inv.subtotal, inv.tax, inv.total) == (Decimal(-240), Decimal(-48), Decimal(-288))
    assert inv.lines[0].quantity == -1 and inv.lines[0].amount == Decimal("-240.00")


def test_arithmetic_chooses_between_repeated_total_labels(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Delta Parts Inc", 16),
        (400, 80, "Invoice No: D-1"),
        (400, 94, "Invoice Date: Nov 3, 2026"),
        (400, 150, ">Subtotal"),
        (500, 150, ">$100.00"),
        (400, 164, ">Tax"),
        (500, 164, ">$8.00"),
        (400, 178, ">Total"),
        (500, 178, ">$108.00"),
        (400, 230, ">Total"),
        (500, 230, ">$5.00"),  # a stray second "Total"
    ]
    result = extract_invoice(_doc(tmp_path, [items]), None)
    assert result.invoice.total == Decimal("108.00")
    assert result.sources["total"] == FieldSource.ARITHMETIC


def test_a_total_that_does_not_add_up_is_kept_as_printed(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Delta Parts Inc", 16),
        (400, 80, "Invoice No: D-2"),
        (400, 94, "Invoice Date: Nov 3, 2026"),
        (400, 150, ">Subtotal"),
        (500, 150, ">$100.00"),
        (400, 164, ">Tax"),
        (500, 164, ">$8.00"),
        (400, 178, ">Total"),
        (500, 178, ">$118.00"),
    ]
    inv = extract_invoice(_doc(tmp_path, [items]), None).invoice
    assert (inv.subtotal, inv.tax, inv.total) == (Decimal(100), Decimal(8), Decimal(118))


def test_grounding_drops_values_not_in_the_document() -> None:
    text = "Acme Ltd\nInvoice No: A-1\nDate: 03.11.2026\nTotal 1.234,56 EUR\n1 Widget 5,00"
    invoice = InvoiceDocument(
        vendor_name="ACME  ltd",
        invoice_number="A-2",
        invoice_date=date(2026, 11, 3),
        due_date=date(2026, 12, 3),
        total=Decimal("1234.56"),
        subtotal=Decimal(999),
        currency="EUR",
        lines=[
            InvoiceLine(
                description="Widget", quantity=Decimal(1), unit_price=Decimal(5), amount=Decimal(5)
            ),
            InvoiceLine(
                description="Gadget", quantity=Decimal(1), unit_price=Decimal(5), amount=Decimal(5)
            ),
        ],
    )
    result = ground(Extraction(invoice=invoice), Evidence.of(text))
    inv = result.invoice
    assert inv.vendor_name == "ACME  ltd" and inv.total == Decimal("1234.56")
    assert inv.invoice_date == date(2026, 11, 3) and inv.currency == "EUR"
    assert inv.invoice_number is None and inv.due_date is None and inv.subtotal is None
    assert [ln.description for ln in inv.lines] == ["Widget"]
    assert set(result.unverified) == {"invoice_number", "due_date", "subtotal", "lines[2]"}


def test_tax_printed_only_per_rate_is_grounded_by_net_and_gross() -> None:
    text = "Netto 1.564,00\nMwSt. 7 % 68,60\nMwSt. 19 % 110,96\nGesamt 1.743,56"

    def grounded(tax: str, total: str) -> InvoiceDocument:
        invoice = InvoiceDocument(
            subtotal=Decimal("1564.00"), tax=Decimal(tax), total=Decimal(total)
        )
        return ground(Extraction(invoice=invoice), Evidence.of(text)).invoice

    assert grounded("179.56", "1743.56").tax == Decimal("179.56")  # 1,743.56 - 1,564.00
    assert grounded("179.57", "1743.56").tax is None  # not the difference of net and gross


def test_missing_total_is_recorded(tmp_path: Path) -> None:
    items: list[Text] = [(50, 50, "Omega Ltd", 16), (400, 80, "Invoice No: O-1")]
    result = extract_invoice(_doc(tmp_path, [items]), None, mode="never")
    assert result.invoice.total is None and "total" in result.unverified


def _ambiguous() -> list[Text]:
    return [
        (50, 50, "Foo Trading", 14),
        (50, 68, "Bar Services", 14),
        (400, 50, "INVOICE", 16),
        (400, 80, "Ref KX-4411"),
        (400, 94, "Printed 03.11.2026"),
        (400, 108, "Shipped 01.11.2026"),
        (50, 150, "Description"),
        (500, 150, ">Amount"),
        (50, 166, "Consulting"),
        (500, 166, ">120.00"),
        (400, 200, ">Total"),
        (500, 200, ">120.00 EUR"),
    ]


def test_auto_mode_asks_one_closed_question_for_unresolved_fields(tmp_path: Path) -> None:
    gateway = FakeGateway(
        {"vendor_name": "Bar Services", "invoice_number": "KX-4411", "invoice_date": "03.11.2026"}
    )
    doc = _doc(tmp_path, [_ambiguous()])
    result = extract_invoice(doc, gateway)
    assert result.model_calls == 1 and len(gateway.calls) == 1
    call = gateway.calls[0]
    schema = call["schema"]
    assert call["step"] == "extraction" and call["cache_key"].startswith(doc.sha256)
    assert set(schema["properties"]) == {"vendor_name", "invoice_number", "invoice_date"}
    assert "KX-4411" in schema["properties"]["invoice_number"]["enum"]
    assert "" in schema["properties"]["invoice_date"]["enum"]
    assert "Foo Trading" in call["prompt"] and "Question" in call["prompt"]
    inv = result.invoice
    assert inv.vendor_name == "Bar Services" and inv.invoice_number == "KX-4411"
    assert inv.invoice_date == date(2026, 11, 3) and inv.total == Decimal("120.00")
    assert result.sources["invoice_date"] == FieldSource.MODEL
    assert "invoice_date" not in result.unverified


def test_model_answer_outside_the_candidates_is_ignored(tmp_path: Path) -> None:
    gateway = FakeGateway({"invoice_number": "MADE-UP-1", "invoice_date": "2026-12-24"})
    result = extract_invoice(_doc(tmp_path, [_ambiguous()]), gateway)
    assert result.invoice.invoice_number is None and result.invoice.invoice_date is None
    assert "invoice_date" in result.unverified and result.model_calls == 1


def test_model_unavailable_keeps_the_deterministic_result(tmp_path: Path) -> None:
    doc = _doc(tmp_path, [_ambiguous()])
    result = extract_invoice(doc, FakeGateway(fail=True))
    assert result.model_calls == 1
    assert result.invoice.total == Decimal("120.00")
    assert result.invoice.vendor_name == "Foo Trading"  # the letterhead's best guess stays
    assert "invoice_date" in result.unverified


def test_modes_never_and_always(tmp_path: Path) -> None:
    doc = _doc(tmp_path, [_ambiguous()])
    never = FakeGateway({"invoice_number": "KX-4411"})
    assert extract_invoice(doc, never, mode="never").model_calls == 0 and never.calls == []
    clean = _doc(tmp_path, [english_invoice()], "en.pdf")
    always = FakeGateway({"invoice_number": "PO-7781"})
    result = extract_invoice(clean, always, mode="always")
    assert result.model_calls == 1
    assert result.invoice.invoice_number == "INV-2026-0042"  # a label beats the model
