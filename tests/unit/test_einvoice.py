"""E-invoice XML readers (CII, ZUGFeRD 1, UBL), safe parsing and PDF attachments."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from extractors.einvoice import (
    InvalidEInvoice,
    TaxGroup,
    einvoice_from_pdf,
    read_einvoice_xml,
    to_extraction,
)
from models.invoice import FieldSource

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_PDF = SAMPLES / "invoices" / "001-acme-inv-10231.pdf"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?><!DOCTYPE lolz [' + "".join(entities) + "]><lolz>&lol9;</lolz>"
    ).encode()


def pdf_with_attachment(name: str, data: bytes) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment(name, data)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_annotation_attachment(name: str, data: bytes) -> bytes:
    """The XML attached to a page annotation, not to the document's EmbeddedFiles."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    spec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(name),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
        }
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/FS"): writer._add_object(spec),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# --- CII (Factur-X / ZUGFeRD 2 / XRechnung-CII) -----------------------------------------


def test_cii_reads_header_lines_and_totals_as_decimals() -> None:
    einvoice = read_einvoice_xml(fixture("cii-minimal.xml"))
    invoice = einvoice.invoice
    assert einvoice.syntax == "CII"
    assert einvoice.profile == "urn:cen.eu:en16931:2017"  # the guideline, not the process
    assert einvoice.type_code == "380"
    assert invoice.vendor_name == "Schraubenwerk Nord GmbH"  # whitespace runs collapsed
    assert invoice.vendor_tax_id == "DE123456789"  # VAT id preferred over the FC number
    assert invoice.iban == "DE02120300000000202051"
    assert invoice.invoice_number == "INV-2024-0042"
    assert str(invoice.invoice_date) == "2024-03-15"
    assert str(invoice.due_date) == "2024-04-14"
    assert invoice.payment_terms_days == 30
    assert invoice.po_number == "PO-2024-0007"
    assert invoice.currency == "EUR"
    assert invoice.bill_to == "APX Demo GmbH"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("200.00"),
        Decimal("38.00"),  # the EUR tax total, not the CHF one
        Decimal("238.00"),
    )
    assert all(isinstance(v, Decimal) for v in (invoice.subtotal, invoice.tax, invoice.total))
    assert invoice.tax_rate == Decimal("19")
    assert einvoice.tax_breakdown == [
        TaxGroup(rate=Decimal("19"), basis=Decimal("200.00"), tax=Decimal("38.00"), category="S")
    ]


def test_cii_unit_price_respects_basis_quantity() -> None:
    bolts, service = read_einvoice_xml(fixture("cii-minimal.xml")).invoice.lines
    assert bolts.description == "Hex bolt M8" and bolts.sku == "BOLT-M8"
    assert bolts.quantity == Decimal("400")
    assert bolts.unit_price == Decimal("0.125")  # 12.50 per 100 pieces
    assert bolts.amount == Decimal("50.00") and bolts.tax_rate == Decimal("19")
    assert service.sku is None and service.unit_price == Decimal("75.00")
    assert service.quantity * service.unit_price == service.amount


def test_cii_credit_note_is_negative() -> None:
    data = fixture("cii-minimal.xml").replace(
        b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>"
    )
    einvoice = read_einvoice_xml(data)
    invoice = einvoice.invoice
    assert einvoice.type_code == "381"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("-200.00"),
        Decimal("-38.00"),
        Decimal("-238.00"),
    )
    assert [line.amount for line in invoice.lines] == [Decimal("-50.00"), Decimal("-150.00")]
    # quantity carries the sign, so quantity x unit price still gives the amount
    assert all(line.quantity * line.unit_price == line.amount for line in invoice.lines)
    assert all(line.unit_price > 0 for line in invoice.lines)
    assert einvoice.tax_breakdown[0].basis == Decimal("-200.00")


def test_credit_note_already_signed_negative_stays_negative() -> None:
    data = (
        fixture("cii-minimal.xml")
        .replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:TypeCode>381</ram:TypeCode>")
        .replace(b"<ram:GrandTotalAmount>238.00", b"<ram:GrandTotalAmount>-238.00")
    )
    assert read_einvoice_xml(data).invoice.total == Decimal("-238.00")


def test_cii_extended_detail_lines_are_not_billed_twice() -> None:
    detail = (
        b"<ram:LineID>2</ram:LineID><ram:LineStatusReasonCode>DETAIL</ram:LineStatusReasonCode>"
    )
    data = fixture("cii-minimal.xml").replace(b"<ram:LineID>2</ram:LineID>", detail)
    lines = read_einvoice_xml(data).invoice.lines
    assert [line.description for line in lines] == ["Hex bolt M8"]


def test_zugferd1_structure_and_namespace() -> None:
    einvoice = read_einvoice_xml(fixture("zugferd1.xml"))
    invoice = einvoice.invoice
    assert einvoice.syntax == "CII"
    assert einvoice.profile == "urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"
    assert invoice.invoice_number == "RE-1001" and str(invoice.invoice_date) == "2017-05-09"
    assert invoice.vendor_tax_id == "22/815/0815/4"  # VA is empty: the FC tax number
    assert invoice.po_number == "B-77"  # ZUGFeRD 1: BuyerOrderReferencedDocument/ID
    assert invoice.payment_terms_days == 14  # from "14 Tagen netto"
    assert invoice.iban == "DE88200800000970375700"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("496.00"),
        Decimal("75.04"),
        Decimal("571.04"),
    )
    assert invoice.tax_rate is None  # two rate groups
    assert [(g.rate, g.basis, g.tax) for g in einvoice.tax_breakdown] == [
        (Decimal("7.00"), Decimal("160.00"), Decimal("11.20")),
        (Decimal("19.00"), Decimal("336.00"), Decimal("63.84")),
    ]
    assert [line.tax_rate for line in invoice.lines] == [Decimal("7.00"), Decimal("19.00")]
    assert invoice.lines[0].sku == "KG-1"
    assert sum(line.amount for line in invoice.lines) == invoice.subtotal


# --- UBL --------------------------------------------------------------------------------


def test_ubl_invoice() -> None:
    einvoice = read_einvoice_xml(fixture("ubl-invoice.xml"))
    invoice = einvoice.invoice
    assert einvoice.syntax == "UBL" and einvoice.type_code == "380"
    assert einvoice.profile is not None and "peppol" in einvoice.profile
    assert invoice.vendor_name == "Kestrel Industrial Parts Ltd"  # legal name
    assert invoice.vendor_tax_id == "GB999999973"  # the VAT scheme, not the other one
    assert invoice.iban == "GB33BUKB20201555555555"
    assert invoice.po_number == "PO-4711"
    assert invoice.currency == "GBP"
    assert invoice.bill_to == "APX Demo Holdings Ltd"
    assert invoice.payment_terms_days == 30
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("1605.00"),
        Decimal("231.00"),  # GBP, not the EUR tax-currency total
        Decimal("1836.00"),
    )
    assert invoice.tax_rate is None
    assert {g.rate for g in einvoice.tax_breakdown} == {Decimal("20"), Decimal("5")}
    gloves = invoice.lines[0]
    assert gloves.description == "Nitrile gloves L" and gloves.sku == "KIP-GL-L"
    assert gloves.unit_price == Decimal("0.99")  # 99.00 per base quantity 100
    # document-level charge and allowance become lines, so lines add up to the subtotal
    assert [(ln.description, ln.amount) for ln in invoice.lines[2:]] == [
        ("Freight", Decimal("25.00")),
        ("Loyalty discount", Decimal("-10.00")),
    ]
    assert sum(line.amount for line in invoice.lines) == invoice.subtotal


def test_ubl_credit_note_is_negative() -> None:
    einvoice = read_einvoice_xml(fixture("ubl-creditnote.xml"))
    invoice = einvoice.invoice
    assert einvoice.syntax == "UBL" and einvoice.type_code == "381"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("-100.00"),
        Decimal("-19.00"),
        Decimal("-119.00"),
    )
    (line,) = invoice.lines
    assert (line.quantity, line.unit_price, line.amount) == (
        Decimal("-4"),
        Decimal("25.00"),
        Decimal("-100.00"),
    )
    assert str(invoice.due_date) == "2024-07-24"  # PaymentMeans/PaymentDueDate
    assert invoice.payment_terms_days == 14
    assert invoice.vendor_name == "Nordwind Logistik GmbH" and invoice.iban is None


def test_to_extraction_marks_every_stated_value_as_xml() -> None:
    einvoice = read_einvoice_xml(fixture("ubl-creditnote.xml"))
    extraction = to_extraction(einvoice)
    assert extraction.model_calls == 0 and extraction.unverified == {}
    assert extraction.invoice == einvoice.invoice
    assert set(extraction.sources.values()) == {FieldSource.XML}
    assert {"invoice_number", "total", "lines", "vendor_tax_id"} <= set(extraction.sources)
    assert "iban" not in extraction.sources  # None is not a value


# --- hostile and broken input -----------------------------------------------------------


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(InvalidEInvoice) as caught:
        read_einvoice_xml(billion_laughs())
    assert time.monotonic() - started < 2
    assert "entities" in caught.value.reason
    assert caught.value.reason.startswith("The embedded e-invoice XML is not valid CII or UBL")


def test_billion_laughs_in_utf16_is_refused() -> None:
    data = billion_laughs().decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    with pytest.raises(InvalidEInvoice, match="entities"):
        read_einvoice_xml(data.encode("utf-16"))


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<x>&secret;</x>"
    )
    with pytest.raises(InvalidEInvoice, match="entities"):
        read_einvoice_xml(xxe)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"<Invoice><ID>1</Invoice>", "not well-formed"),
        (b"%PDF-1.4 garbage \x00\x01", "not well-formed"),
        (b"<note><to>Tove</to></note>", "is not a CII or UBL invoice"),
        (b'<Invoice xmlns="urn:example:not-ubl"><ID>1</ID></Invoice>', "not a CII or UBL"),
    ],
)
def test_garbage_gives_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(InvalidEInvoice) as caught:
        read_einvoice_xml(data)
    assert words in caught.value.reason


def test_non_numeric_amount_is_refused() -> None:
    data = fixture("cii-minimal.xml").replace(
        b"<ram:GrandTotalAmount>238.00", b"<ram:GrandTotalAmount>NaN"
    )
    with pytest.raises(InvalidEInvoice, match="grand total 'NaN' is not a number"):
        read_einvoice_xml(data)


def test_missing_mandatory_terms_are_named() -> None:
    data = fixture("ubl-invoice.xml").replace(b"<cbc:ID>UBL-77</cbc:ID>", b"")
    with pytest.raises(InvalidEInvoice, match="no invoice number"):
        read_einvoice_xml(data)


def test_line_without_quantity_is_refused() -> None:
    data = fixture("ubl-creditnote.xml").replace(
        b'<cbc:CreditedQuantity unitCode="C62">4</cbc:CreditedQuantity>', b""
    )
    with pytest.raises(InvalidEInvoice, match="line 1 states no quantity"):
        read_einvoice_xml(data)


# --- PDF attachments --------------------------------------------------------------------


def test_pdf_without_attachment_gives_none() -> None:
    assert einvoice_from_pdf(SAMPLE_PDF) is None


def test_pdf_with_factur_x_attachment(tmp_path: Path) -> None:
    path = tmp_path / "fx.pdf"
    path.write_bytes(pdf_with_attachment("factur-x.xml", fixture("cii-minimal.xml")))
    einvoice = einvoice_from_pdf(path)
    assert einvoice is not None
    assert einvoice.attachment_name == "factur-x.xml"
    assert einvoice.invoice.invoice_number == "INV-2024-0042"


def test_zugferd1_misnamed_factur_x_is_still_found(tmp_path: Path) -> None:
    """factur-x skips a ZUGFeRD 1 XML named factur-x.xml; the pypdf walk does not."""
    path = tmp_path / "z1.pdf"
    path.write_bytes(pdf_with_attachment("factur-x.xml", fixture("zugferd1.xml")))
    einvoice = einvoice_from_pdf(path)
    assert einvoice is not None and einvoice.invoice.invoice_number == "RE-1001"


def test_attachment_on_a_page_annotation_is_found(tmp_path: Path) -> None:
    path = tmp_path / "annot.pdf"
    path.write_bytes(pdf_with_annotation_attachment("ZUGFeRD-invoice.xml", fixture("zugferd1.xml")))
    einvoice = einvoice_from_pdf(path)
    assert einvoice is not None
    assert einvoice.attachment_name == "ZUGFeRD-invoice.xml"
    assert einvoice.invoice.total == Decimal("571.04")


def test_unrelated_xml_attachment_is_not_an_einvoice(tmp_path: Path) -> None:
    path = tmp_path / "other.pdf"
    path.write_bytes(pdf_with_attachment("metadata.xml", b"<note><to>Tove</to></note>"))
    assert einvoice_from_pdf(path) is None


def test_hostile_attachment_raises_instead_of_expanding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_attachment("factur-x.xml", billion_laughs()))
    started = time.monotonic()
    with pytest.raises(InvalidEInvoice, match="entities"):
        einvoice_from_pdf(path)
    assert time.monotonic() - started < 5


def test_einvoice_under_another_xml_name_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "ubl.pdf"
    path.write_bytes(pdf_with_attachment("invoice-4711.xml", fixture("ubl-invoice.xml")))
    einvoice = einvoice_from_pdf(path)
    assert einvoice is not None
    assert einvoice.syntax == "UBL" and einvoice.attachment_name == "invoice-4711.xml"


def test_absurd_exponent_is_refused_not_crashing() -> None:
    """quantity x price of 4 x 9E+999999 overflows Decimal: a reason, not a crash."""
    data = re.sub(
        rb"<cbc:LineExtensionAmount[^<]*</cbc:LineExtensionAmount>",
        b"",
        fixture("ubl-creditnote.xml").replace(
            b">25.00</cbc:PriceAmount>", b">9E+999999</cbc:PriceAmount>"
        ),
    )
    assert b"9E+999999" in data and b"LineExtensionAmount" not in data  # amount = qty x price
    with pytest.raises(InvalidEInvoice, match="cannot be used"):
        read_einvoice_xml(data)
