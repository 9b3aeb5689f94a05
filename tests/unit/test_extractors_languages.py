"""Printed invoices in English, German, French, Spanish, Italian and Dutch (issue 12).

Label vocabulary per language, dates with month names, ordinals and two-digit years, the
day/month order by origin, the totals block read as a whole, title lines, party blocks and
the provenance of each value. Each wording added to a label file is checked here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from extractors.context import month_first_by_origin
from extractors.dates import find_dates, parse_date
from extractors.extract import extract_invoice
from extractors.header import id_token, plausible_id
from extractors.labels import LISTS, label_files, load_vocabulary, vocabulary
from extractors.pdf import parse_pdf
from extractors.text import label_key
from models.documents import Word
from models.invoice import Extraction, FieldSource
from tests.extractor_pdfs import Text, make_pdf

# --- the vocabulary as data ---------------------------------------------------------------

LANGUAGES = {"en", "de", "fr", "es", "it", "nl"}
# Wordings that may name two fields on purpose ("BTW" is the Dutch tax and its VAT number).
SHARED_ON_PURPOSE = {"btw"}


def test_one_label_file_per_language() -> None:
    files = {p.stem: p for p in label_files()}
    assert LANGUAGES | {"common"} == set(files)
    for stem, path in files.items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == stem
        unknown = set(data) - {"language", "header", "totals", "table", *LISTS}
        assert not unknown, f"{path.name}: unknown sections {unknown}"


def test_no_wording_names_two_fields_by_accident() -> None:
    clashes = {k for k, fields in vocabulary().fields.items() if len(fields) > 1}
    assert clashes <= SHARED_ON_PURPOSE


def test_a_new_language_file_is_merged(tmp_path: Path) -> None:
    extra = tmp_path / "pt.yaml"
    extra.write_text(
        "language: pt\nheader:\n  invoice_number: [Número da fatura]\n"
        "totals:\n  total: [Valor total]\ntitles: [Fatura]\n",
        encoding="utf-8",
    )
    merged = load_vocabulary([*label_files(), extra])
    assert merged.fields[label_key("Numero da fatura")] == {"invoice_number"}
    assert merged.languages[label_key("Valor total")] == {"pt"}
    assert label_key("Fatura") in merged.titles


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Invoice No.", "Invoice #"),
        ("Invoice Number:", "Invoice Nr"),
        ("Rechnungs-Nr.", "Rechnungs Nummer"),
        ("N° de facture", "Numéro de facture"),
        ("Nº de factura", "N.º de factura"),
        ("Rechnung #", "Rechnung Nr."),
    ],
)
def test_number_words_compare_equal(a: str, b: str) -> None:
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        # English
        ("Invoice Number", "invoice_number"),
        ("Date of Issue", "invoice_date"),
        ("Payment Due Date", "due_date"),
        ("Purchase Order Reference", "po_number"),
        ("Your Ref", "po_number"),
        ("Cust. PO #", "po_number"),
        ("Customer No", "customer_number"),
        ("Account Number", "customer_number"),
        ("Amount due", "amount_due"),
        ("Balance due", "amount_due"),
        ("Please pay this amount", "amount_due"),
        ("Merchandise total", "lines_total"),
        ("Total payable", "amount_due"),
        ("Grand total", "total"),
        ("Total incl. VAT", "total"),
        ("Taxable amount", "subtotal"),
        ("Total excl. VAT", "subtotal"),
        ("VAT", "tax"),
        ("GST", "tax"),
        ("HST", "tax"),
        ("CGST", "tax"),
        ("SGST", "tax"),
        ("IGST", "tax"),
        ("Sales Tax", "tax"),
        ("Discount", "discount"),
        ("Shipping & handling", "charges"),
        ("Freight", "charges"),
        ("Rounding", "rounding"),
        ("Amount paid", "prepaid"),
        ("Tax point", "ignore"),
        ("Seller", "vendor_name"),
        ("VAT rate", "tax_rate"),
        # German
        ("Rechnungsnummer", "invoice_number"),
        ("Rechnungsdatum", "invoice_date"),
        ("Zahlbar bis", "due_date"),
        ("Ihre Bestellnummer", "po_number"),
        ("Auftragsnummer", "po_number"),
        ("Auftrag", "po_number"),
        ("Kundennummer", "customer_number"),
        ("Ihre Nummer", "customer_number"),
        ("Rechnungsbetrag", "total"),
        ("Rechnungssumme Brutto", "total"),
        ("Bruttosumme", "total"),
        ("Rechnungssumme Netto", "subtotal"),
        ("Rechnungssumme ohne USt.", "subtotal"),
        ("Nettobetrag", "subtotal"),
        ("Summe netto", "subtotal"),
        ("Steuerbasisbetrag", "tax_base"),
        ("Positionssumme", "lines_total"),
        ("MwSt", "tax"),
        ("USt", "tax"),
        ("zuzügl. USt", "tax"),
        ("Steuerbetrag", "tax"),
        ("USt. Gesamt", "tax"),
        ("Zahlbetrag", "amount_due"),
        ("Erhaltene Anzahlungen", "prepaid"),
        ("Gesamtbetrag der Abschläge", "discount"),
        ("Gesamtbetrag der Zuschläge", "charges"),
        ("Versandkosten", "charges"),
        ("Rundung", "rounding"),
        ("Rechnungsersteller", "vendor_name"),
        ("Verkäufer", "vendor_name"),
        ("Käufer/Leistungsempfänger", "bill_to"),
        ("Steuersatz", "tax_rate"),
        ("USt. Satz", "tax_rate"),
        ("Leistungsdatum", "ignore"),
        ("Referenz des Käufers", "ignore"),
        # French
        ("N° de facture", "invoice_number"),
        ("Date de facturation", "invoice_date"),
        ("Date d'échéance", "due_date"),
        ("Votre référence", "po_number"),
        ("N° client", "customer_number"),
        ("Montant TTC", "total"),
        ("Total TTC", "total"),
        ("Net à payer", "amount_due"),
        ("Solde à payer", "amount_due"),
        ("Total HT", "subtotal"),
        ("TVA", "tax"),
        ("Total taxes", "tax"),
        ("Remise", "discount"),
        ("Frais de port", "charges"),
        ("Acompte", "prepaid"),
        ("Vendeur", "vendor_name"),
        ("Taux TVA", "tax_rate"),
        # Spanish
        ("Número de factura", "invoice_number"),
        ("Fecha de expedición", "invoice_date"),
        ("Fecha de vencimiento", "due_date"),
        ("Número de pedido", "po_number"),
        ("Número de cliente", "customer_number"),
        ("Importe total", "total"),
        ("Total a pagar", "amount_due"),
        ("Base imponible", "subtotal"),
        ("IVA", "tax"),
        ("Cuota IVA", "tax"),
        ("Descuento", "discount"),
        ("Portes", "charges"),
        ("Emisor", "vendor_name"),
        # Italian
        ("Numero fattura", "invoice_number"),
        ("Data documento", "invoice_date"),
        ("Data scadenza", "due_date"),
        ("Vostro ordine", "po_number"),
        ("Codice cliente", "customer_number"),
        ("Totale documento", "total"),
        ("Netto a pagare", "amount_due"),
        ("Totale imponibile", "subtotal"),
        ("Imponibile", "subtotal"),
        ("Imposta", "tax"),
        ("Sconto", "discount"),
        ("Spese di trasporto", "charges"),
        ("Arrotondamento", "rounding"),
        ("Cedente/prestatore", "vendor_name"),
        ("Cessionario/committente", "bill_to"),
        ("Partita IVA", "vendor_tax_id"),
        ("Aliquota", "tax_rate"),
        # Dutch
        ("Factuurnummer", "invoice_number"),
        ("Factuurdatum", "invoice_date"),
        ("Vervaldatum", "due_date"),
        ("Uw referentie", "po_number"),
        ("Klantnummer", "customer_number"),
        ("Te betalen", "amount_due"),
        ("Totaal incl. btw", "total"),
        ("Subtotaal", "subtotal"),
        ("Btw-bedrag", "tax"),
        ("Korting", "discount"),
        ("Verzendkosten", "charges"),
        ("Afronding", "rounding"),
        ("Verkoper", "vendor_name"),
    ],
)
def test_label_names_its_field(label: str, field: str) -> None:
    assert field in vocabulary().fields[label_key(label)]


@pytest.mark.parametrize(
    "title",
    [
        "Invoice",
        "Rechnung",
        "Handelsrechnung",
        "Rechnungskorrektur",
        "Facture",
        "Avoir",
        "Factura",
        "Fattura",
        "Nota di credito",
        "Factuur",
        "Creditnota",
    ],
)
def test_titles(title: str) -> None:
    assert label_key(title) in vocabulary().titles


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3rd November 2026", date(2026, 11, 3)),
        ("1st of March 2026", date(2026, 3, 1)),
        ("1er mars 2026", date(2026, 3, 1)),
        ("le 3 novembre 2026", date(2026, 11, 3)),
        ("3 févr. 2026", date(2026, 2, 3)),
        ("1° marzo 2026", date(2026, 3, 1)),
        ("12 giugno 2026", date(2026, 6, 12)),
        ("3 ott 2026", date(2026, 10, 3)),
        ("5 mei 2026", date(2026, 5, 5)),
        ("3 mrt 2026", date(2026, 3, 3)),
        ("3. Mrz. 2026", date(2026, 3, 3)),
        ("3. Jänner 2026", date(2026, 1, 3)),
        ("3 de noviembre de 2026", date(2026, 11, 3)),
        ("3 dic 2026", date(2026, 12, 3)),
        ("03.11.26", date(2026, 11, 3)),
        ("03/11/26", date(2026, 11, 3)),
        ("03-11-26", date(2026, 11, 3)),
        ("3 Nov 26", date(2026, 11, 3)),
        ("03-Nov-26", date(2026, 11, 3)),
        ("Nov 3, '26", date(2026, 11, 3)),
        ("16/11/2 017", date(2017, 11, 16)),  # a letter-spaced year
    ],
)
def test_more_date_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["3/4/10", "1.5 kg at 12.50", "Pos 10 20 2026", "03.11.26 10"])
def test_not_dates(text: str) -> None:
    found = find_dates(text)
    assert found == [] or found[0][1] == date(2026, 11, 3)


@pytest.mark.parametrize(
    ("text", "language", "month_first"),
    [
        ("Kestrel Parts Inc, Cleveland, OH 44135, USA. Total $12.00", "en", True),
        ("Acme Ltd, London EC2A 1AF. VAT No GB123456789. Total $12.00", "en", False),
        ("Total $12.00", "en", False),  # a dollar sign alone proves nothing
        ("Lieferant GmbH, DE 80333 München, Summe 12,00 USD", "de", False),
        ("Northgate Ltd, Dublin, United States office; VAT IE6388047V", "en", False),
    ],
)
def test_day_month_order_by_origin(text: str, language: str, month_first: bool) -> None:
    assert month_first_by_origin(text, language) is month_first


# --- identifiers --------------------------------------------------------------------------


def _words(text: str) -> list[Word]:
    return [
        Word(text=t, x0=i * 40, x1=i * 40 + 30, top=0, bottom=10, page=1)
        for i, t in enumerate(text.split())
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", None),  # a year
        ("80333 München", None),  # a postcode
        ("1.234,56", None),  # an amount
        ("120.00 EUR", None),
        ("19%", None),
        ("RE-2026-0042", "RE-2026-0042"),
        ("47110818", "47110818"),
        ("10231 Date:", "10231"),
    ],
)
def test_id_token_is_never_a_year_postcode_or_amount(value: str, expected: str | None) -> None:
    assert id_token(_words(value)) == expected


def test_plausible_id() -> None:
    assert plausible_id("471102", [])
    assert not plausible_id("2018", [])


# --- whole invoices -----------------------------------------------------------------------


def _extract(tmp_path: Path, items: list[Text], name: str = "inv.pdf") -> Extraction:
    doc = parse_pdf(make_pdf(tmp_path / name, [items]), "sha-" + name)
    return extract_invoice(doc, None, mode="never")


def _plain_german() -> list[Text]:
    """The tester's plain German invoice: seller under 'Rechnungsersteller', long labels."""
    return [
        (50, 50, "Rechnungsersteller", 9, "Helvetica-Bold"),
        (50, 64, "Muster Maschinenbau GmbH"),
        (50, 77, "Industriestraße 5"),
        (50, 90, "70173 Stuttgart"),
        (50, 103, "USt-IdNr.: DE123456789"),
        (320, 50, "Rechnungsempfänger", 9, "Helvetica-Bold"),
        (320, 64, "Kunde & Partner AG"),
        (320, 77, "Hauptstraße 1"),
        (320, 90, "10115 Berlin"),
        (50, 150, "RECHNUNG", 16, "Helvetica-Bold"),
        (50, 180, "Rechnungsnummer:"),
        (180, 180, "2026-0815"),
        (50, 194, "Rechnungsdatum:"),
        (180, 194, "5. März 2026"),
        (50, 208, "Kundennummer:"),
        (180, 208, "10117"),
        (50, 250, "Beratung März 2026, pauschal"),
        (300, 290, "Rechnungssumme Netto (excl. USt.)"),
        (545, 290, ">1.000,00 €"),
        (300, 304, "Steuerbasisbetrag USt. 19 %"),
        (545, 304, ">1.000,00 €"),
        (300, 318, "USt. 19 %"),
        (545, 318, ">190,00 €"),
        (300, 332, "Rechnungssumme Brutto (inkl. USt.)"),
        (545, 332, ">1.190,00 €"),
    ]


def test_plain_german_invoice(tmp_path: Path) -> None:
    result = _extract(tmp_path, _plain_german())
    inv = result.invoice
    assert inv.vendor_name == "Muster Maschinenbau GmbH"
    assert inv.vendor_tax_id == "DE123456789"
    assert inv.bill_to == "Kunde & Partner AG"
    assert inv.invoice_number == "2026-0815" and inv.invoice_date == date(2026, 3, 5)
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("1000.00"),
        Decimal("190.00"),  # never the rate (19)
        Decimal("1190.00"),
    )
    assert inv.tax_rate == Decimal(19) and inv.currency == "EUR"
    assert result.unverified == {}


def test_seller_inline_after_verkaeufer(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Verkäufer: Nordlicht Handel GmbH"),
        (50, 64, "Deichweg 3, 20095 Hamburg"),
        (50, 100, "Rechnung Nr. 7781 vom 03.11.2026", 14),
        (300, 200, "Gesamtbetrag"),
        (545, 200, ">119,00 EUR"),
        (300, 186, "MwSt. 19 %"),
        (545, 186, ">19,00 EUR"),
        (300, 172, "Nettobetrag"),
        (545, 172, ">100,00 EUR"),
    ]
    inv = _extract(tmp_path, items).invoice
    assert inv.vendor_name == "Nordlicht Handel GmbH"
    assert inv.invoice_number == "7781" and inv.invoice_date == date(2026, 11, 3)
    assert (inv.subtotal, inv.tax, inv.total) == (Decimal(100), Decimal(19), Decimal(119))


def test_din_5008_sender_line_names_the_seller(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 120, "Alpenblick Software GmbH · Seestraße 9 · 82319 Starnberg", 7),
        (50, 135, "Firma"),
        (50, 148, "Kunde Logistik KG"),
        (50, 161, "Lagerweg 4"),
        (50, 174, "28199 Bremen"),
        (50, 230, "Rechnung", 14),
        (300, 230, "Rechnungsnummer: AB-2026-77"),
        (300, 300, "Summe netto"),
        (545, 300, ">500,00 €"),
        (300, 314, "USt 19 %"),
        (545, 314, ">95,00 €"),
        (300, 328, "Rechnungsbetrag"),
        (545, 328, ">595,00 €"),
    ]
    inv = _extract(tmp_path, items).invoice
    assert inv.vendor_name == "Alpenblick Software GmbH"
    assert inv.invoice_number == "AB-2026-77"
    assert inv.total == Decimal("595.00")


def test_key_value_party_block_with_a_wrapped_name(tmp_path: Path) -> None:
    items: list[Text] = [
        (70, 50, "Handelsrechnung (380) Nr. 471102 vom 05.06.2018", 12),
        (70, 100, "Verkäufer", 11),
        (70, 118, "Nummer:"),
        (260, 118, "549910"),
        (260, 136, "MVM Musterhafter"),
        (70, 148, "Name:"),
        (260, 148, "Versicherungsverein Musterstadt a.G."),
        (70, 166, "Anschrift:"),
        (260, 166, "Musterstr. 12"),
        (70, 230, "Käufer", 11),
        (70, 248, "Name:"),
        (260, 248, "Max Mustermann"),
        (213, 320, "Rechnungssumme ohne USt."),
        (545, 320, ">50,00"),
        (213, 340, "Steuerbetrag"),
        (545, 340, ">0,00"),
        (213, 360, "Bruttosumme"),
        (545, 360, ">50,00"),
    ]
    inv = _extract(tmp_path, items).invoice
    assert inv.vendor_name == "MVM Musterhafter Versicherungsverein Musterstadt a.G."
    assert inv.invoice_number == "471102" and inv.invoice_date == date(2018, 6, 5)
    assert (inv.subtotal, inv.tax, inv.total) == (Decimal(50), Decimal(0), Decimal(50))


def test_totals_with_discount_shipping_and_rounding(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Brook & Vale Ltd", 16),
        (50, 68, "VAT No: GB293847561"),
        (400, 50, "INVOICE", 16),
        (400, 80, "Invoice No: BV-1042"),
        (300, 300, "Subtotal"),
        (545, 300, ">200.00"),
        (300, 314, "Discount (5%)"),
        (545, 314, ">-10.00"),
        (300, 328, "Shipping"),
        (545, 328, ">12.50"),
        (300, 342, "VAT 20%"),
        (545, 342, ">40.50"),
        (300, 356, "Rounding"),
        (545, 356, ">0.01"),
        (300, 370, "Total"),
        (545, 370, ">243.00"),
        (300, 384, "Amount due"),
        (545, 384, ">243.01"),
        (50, 420, "Tax point: 12/03/2026"),
    ]
    inv = _extract(tmp_path, items).invoice
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("200.00"),
        Decimal("40.50"),
        Decimal("243.00"),
    )
    assert inv.currency is None  # nothing but numbers: no currency is guessed
    assert inv.adjustments == Decimal("2.50")  # discount -10.00 and shipping 12.50


def test_tax_per_rate_adds_up_to_the_gross(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Épicerie Fine SARL - 3 rue Haute - 75004 Paris", 9),
        (50, 90, "Facture FA-2026-0031", 16),
        (50, 120, "Date de facture"),
        (160, 120, "04/02/2026"),
        (50, 200, "TVA 20,0%"),
        (200, 200, "100,00 €"),
        (280, 200, "20,00 €"),
        (50, 214, "TVA 5,5%"),
        (200, 214, "200,00 €"),
        (280, 214, "11,00 €"),
        (440, 190, "Total HT"),
        (545, 190, ">300,00 €"),
        (440, 230, "Total TTC"),
        (545, 230, ">331,00 €"),
        (440, 250, "Acompte"),
        (545, 250, ">-100,00 €"),
        (440, 264, "Net à payer"),
        (545, 264, ">231,00 €"),
    ]
    result = _extract(tmp_path, items)
    inv = result.invoice
    assert inv.vendor_name == "Épicerie Fine SARL"
    assert inv.invoice_number == "FA-2026-0031" and inv.invoice_date == date(2026, 2, 4)
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("300.00"),
        Decimal("31.00"),  # 20,00 + 11,00: the per-rate rows
        Decimal("331.00"),  # the gross, not the amount left to pay
    )
    assert result.sources["tax"] == FieldSource.ARITHMETIC


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Fattura n. 2026/0212 del 02/10/2026", date(2026, 10, 2)),
        ("Rechnung Nr. 4711 vom 05.06.2026", date(2026, 6, 5)),
    ],
)
def test_date_joined_to_the_invoice_number(tmp_path: Path, line: str, day: date) -> None:
    items: list[Text] = [
        (50, 50, "Officine Brenta Srl", 16),
        (300, 80, line),
        (300, 300, "Totale"),
        (545, 300, ">100,00 €"),
    ]
    assert _extract(tmp_path, items).invoice.invoice_date == day


def test_unlabelled_rate_row_and_terms_after_net(tmp_path: Path) -> None:
    """"Ohio sales tax 8%" names no known label but is 8 % of the items total; "Net 45 days"
    is a payment term, not a net amount."""
    items: list[Text] = [
        (50, 50, "Kestrel Parts Inc", 16),
        (400, 50, "INVOICE", 16),
        (400, 80, "Invoice No: KP-77"),
        (300, 300, "Merchandise total"),
        (545, 300, ">$345.00"),
        (300, 314, "Ohio sales tax 8%"),
        (545, 314, ">$27.60"),
        (300, 328, "Please pay this amount"),
        (545, 328, ">$372.60"),
        (50, 360, "Net 45 days (November 28, 2026)."),
    ]
    inv = _extract(tmp_path, items).invoice
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("345.00"),
        Decimal("27.60"),
        Decimal("372.60"),
    )


def test_rounding_line_bridges_net_tax_and_gross(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Officine Brenta Srl", 16),
        (400, 80, "Fattura n. 2026/0212"),
        (300, 300, "Imponibile"),
        (545, 300, ">€ 856,50"),
        (300, 314, "IVA 22%"),
        (545, 314, ">€ 188,43"),
        (300, 328, "Arrotondamento"),
        (545, 328, ">€ 0,07"),
        (300, 342, "Totale documento"),
        (545, 342, ">€ 1.045,00"),
    ]
    inv = _extract(tmp_path, items).invoice
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("856.50"),
        Decimal("188.43"),
        Decimal("1045.00"),
    )
    assert inv.adjustments == Decimal("0.07")


def test_tax_rows_one_per_rate_are_summed(tmp_path: Path) -> None:
    """Labelled tax rows, one per rate, add up even when a row's tax is not base x rate."""
    items: list[Text] = [
        (50, 50, "Gastro Service GmbH", 16),
        (50, 68, "USt-IdNr.: DE296104574"),
        (400, 50, "RECHNUNG", 16),
        (400, 80, "Rechnungsnummer: RE-2026-77"),
        (300, 300, "Zwischensumme"),
        (545, 300, ">2.182,00 €"),
        (300, 314, "MwSt. 7 % auf 1.878,00"),
        (545, 314, ">356,82 €"),
        (300, 328, "MwSt. 19 % auf 304,00"),
        (545, 328, ">57,76 €"),
        (300, 342, "Gesamtbetrag"),
        (545, 342, ">2.596,58 €"),
    ]
    result = _extract(tmp_path, items)
    inv = result.invoice
    assert (inv.subtotal, inv.tax, inv.total) == (
        Decimal("2182.00"),
        Decimal("414.58"),  # 356,82 + 57,76
        Decimal("2596.58"),
    )
    assert inv.tax_rate is None  # two rates: no single header rate


@pytest.mark.parametrize(
    ("language", "items", "number", "day", "totals"),
    [
        (
            "es",
            [
                (50, 50, "Suministros Iberia S.L.", 14),
                (50, 66, "NIF: B12345678"),
                (400, 50, "FACTURA", 16),
                (350, 80, "Número de factura:"),
                (470, 80, "F-2026/118"),
                (350, 94, "Fecha de expedición:"),
                (470, 94, "3 de marzo de 2026"),
                (350, 300, "Base imponible"),
                (545, 300, ">1.000,00 €"),
                (350, 314, "IVA 21 %"),
                (545, 314, ">210,00 €"),
                (350, 328, "Importe total"),
                (545, 328, ">1.210,00 €"),
            ],
            "F-2026/118",
            date(2026, 3, 3),
            ("1000.00", "210.00", "1210.00"),
        ),
        (
            "it",
            [
                (50, 50, "Forniture Adriatiche S.r.l.", 14),
                (50, 66, "Partita IVA: IT01234567890"),
                (400, 50, "FATTURA", 16),
                (350, 80, "Numero fattura:"),
                (470, 80, "2026/45"),
                (350, 94, "Data documento:"),
                (470, 94, "12 giugno 2026"),
                (350, 300, "Totale imponibile"),
                (545, 300, ">500,00"),
                (350, 314, "IVA 22%"),
                (545, 314, ">110,00"),
                (350, 328, "Totale documento"),
                (545, 328, ">610,00 EUR"),
            ],
            "2026/45",
            date(2026, 6, 12),
            ("500.00", "110.00", "610.00"),
        ),
        (
            "nl",
            [
                (50, 50, "Polder Techniek B.V.", 14),
                (50, 66, "BTW-nummer: NL855201472B01"),
                (400, 50, "FACTUUR", 16),
                (350, 80, "Factuurnummer:"),
                (470, 80, "PT-2026-009"),
                (350, 94, "Factuurdatum:"),
                (470, 94, "5 mei 2026"),
                (350, 300, "Subtotaal"),
                (545, 300, ">800,00"),
                (350, 314, "Btw 21%"),
                (545, 314, ">168,00"),
                (350, 328, "Te betalen"),
                (545, 328, ">€ 968,00"),
            ],
            "PT-2026-009",
            date(2026, 5, 5),
            ("800.00", "168.00", "968.00"),
        ),
        (
            "en",
            [
                (50, 50, "Bharat Tools Pvt Ltd", 14),
                (50, 66, "GSTIN: 27AAPFU0939F1ZV"),
                (400, 50, "TAX INVOICE", 16),
                (350, 80, "Invoice No:"),
                (470, 80, "BT/26-27/0042"),
                (350, 94, "Date:"),
                (470, 94, "3rd Nov 2026"),
                (350, 300, "Taxable amount"),
                (545, 300, ">10,000.00"),
                (350, 314, "CGST 9%"),
                (545, 314, ">900.00"),
                (350, 328, "SGST 9%"),
                (545, 328, ">900.00"),
                (350, 342, "Total tax"),
                (545, 342, ">1,800.00"),
                (350, 356, "Grand total"),
                (545, 356, ">INR 11,800.00"),
            ],
            "BT/26-27/0042",
            date(2026, 11, 3),
            ("10000.00", "1800.00", "11800.00"),
        ),
    ],
)
def test_invoices_in_other_languages(
    tmp_path: Path,
    language: str,
    items: list[Text],
    number: str,
    day: date,
    totals: tuple[str, str, str],
) -> None:
    inv = _extract(tmp_path, items, f"{language}.pdf").invoice
    assert inv.invoice_number == number and inv.invoice_date == day
    assert (inv.subtotal, inv.tax, inv.total) == tuple(Decimal(v) for v in totals)


def test_every_value_shows_where_it_was_printed(tmp_path: Path) -> None:
    result = _extract(tmp_path, _plain_german())
    number = result.locations["invoice_number"]
    assert number.page == 1 and number.label == "Rechnungsnummer:"
    assert number.x0 < number.x1 and number.top < number.bottom
    total = result.locations["total"]
    assert total.label is not None and total.label.startswith("Rechnungssumme Brutto")
    assert {"vendor_name", "invoice_date", "subtotal", "tax"} <= set(result.locations)


def test_a_label_starting_with_a_title_word_is_no_title(tmp_path: Path) -> None:
    items: list[Text] = [
        (50, 50, "Harbour Freight Ltd", 14),
        (50, 100, "Invoice to: Unit 12 Dock Road"),
        (50, 130, "Total"),
        (545, 130, ">10.00 GBP"),
    ]
    assert _extract(tmp_path, items).invoice.invoice_number is None


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Preis/Einh.", "unit_price"),
        ("Preis je Einheit", "unit_price"),
        ("Anzahl", "quantity"),
        ("Extended", "amount"),
        ("Ext. Price", "amount"),
    ],
)
def test_table_headers_name_their_column(header: str, column: str) -> None:
    from extractors.labels import vocabulary

    assert vocabulary().table[label_key(header)] == {column}


def test_continuation_page_with_running_header_and_carried_over_text(tmp_path: Path) -> None:
    """Page 2 repeats "Beleg-Nr." above its table (no item) and goes on with the last row's
    description before its next row (the rows below are still the table)."""
    columns = [
        (50, "Pos"), (80, "Leistung"), (330, "Anzahl"), (400, "Einzelpreis"), (480, "Gesamt"),
    ]
    header: list[Text] = [(x, 200, text) for x, text in columns]
    page1: list[Text] = [
        (50, 50, "Nordwind Logistik GmbH", 16),
        (400, 50, "RECHNUNG", 16),
        (400, 80, "Rechnungsnummer: RE-2026-04660"),
        *header,
        (50, 214, "1"), (80, 214, "Palettentransport je Palette"), (330, 214, "10"),
        (400, 214, "86,00"), (480, 214, "860,00"),
        (80, 226, "Leistungszeitraum September 2026"),
    ]
    page2: list[Text] = [
        (50, 50, "Nordwind Logistik GmbH"), (400, 50, "Beleg-Nr. RE-2026-04660"),
        *[(x, 100, text) for x, text in columns],
        (80, 114, "laut Leistungsnachweis Nr. 2026-09-01"),
        (80, 126, "Abrechnung gemäß Rahmenvertrag"),
        (80, 138, "gemäß Rahmenvertrag Anlage 2"),
        (80, 150, "und Preisblatt 2026"),
        (50, 162, "2"), (80, 162, "Lagerung je Stellplatz"), (330, 162, "30"),
        (400, 162, "14,20"), (480, 162, "426,00"),
        (300, 200, "Nettobetrag"), (545, 200, ">1.286,00"),
        (300, 214, "MwSt. 19 %"), (545, 214, ">244,34"),
        (300, 228, "Rechnungsbetrag"), (545, 228, ">1.530,34"),
    ]
    doc = parse_pdf(make_pdf(tmp_path / "two.pdf", [page1, page2]), "sha-two")
    inv = extract_invoice(doc, None, mode="never").invoice
    assert [line.amount for line in inv.lines] == [Decimal("860.00"), Decimal("426.00")]
