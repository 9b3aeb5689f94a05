"""Small invoice PDFs drawn with reportlab for the extractor tests (no fixtures on disk)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

Text = (
    tuple[float, float, str]
    | tuple[float, float, str, float]
    | tuple[float, float, str, float, str]
)


def draw(canvas: Canvas, items: Sequence[Text], height: float) -> None:
    """Draw (x, y-from-top, text[, size[, font]]) items; right-align when text starts with '>'."""
    for item in items:
        x, y, text = item[0], item[1], item[2]
        size = item[3] if len(item) > 3 else 10
        font = item[4] if len(item) > 4 else "Helvetica"
        canvas.setFont(font, size)
        if text.startswith(">"):
            canvas.drawRightString(x, height - y, text[1:])
        else:
            canvas.drawString(x, height - y, text)


def make_pdf(path: Path, pages: Sequence[Sequence[Text]], encrypt: str | None = None) -> Path:
    height = A4[1]
    canvas = Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for items in pages:
        draw(canvas, items, height)
        canvas.showPage()
    canvas.save()
    return path


def english_invoice() -> list[Text]:
    """Letterhead + title, labels with values on the right, SKU table, GBP totals."""
    items: list[Text] = [
        (50, 60, "Acme Widgets Ltd", 18, "Helvetica-Bold"),
        (50, 78, "12 Harbour Road, Bristol BS1 4QA"),
        (50, 91, "VAT No: GB 123 4567 89"),
        (545, 60, ">INVOICE", 20, "Helvetica-Bold"),
        (380, 110, "Invoice No:"),
        (460, 110, "INV-2026-0042"),
        (380, 124, "Invoice Date:"),
        (460, 124, "3 November 2026"),
        (380, 138, "Due Date:"),
        (460, 138, "03/12/2026"),
        (380, 152, "PO Number:"),
        (460, 152, "PO-7781"),
        (50, 120, "Bill to:", 10, "Helvetica-Bold"),
        (50, 134, "Northwind Holdings Ltd"),
        (50, 147, "1 Market Street"),
        (50, 160, "London EC1A 1AA"),
        (50, 210, "SKU", 10, "Helvetica-Bold"),
        (120, 210, "Description", 10, "Helvetica-Bold"),
        (360, 210, ">Qty", 10, "Helvetica-Bold"),
        (440, 210, ">Unit price", 10, "Helvetica-Bold"),
        (545, 210, ">Amount", 10, "Helvetica-Bold"),
    ]
    rows = [
        ("WID-100", "Widget, large (blue)", "10", "£12.50", "£125.00"),
        ("WID-200", "Widget, small", "4", "£7.25", "£29.00"),
        ("SRV-1", "Installation service", "1", "£1,200.00", "£1,200.00"),
    ]
    y = 228.0
    for sku, desc, qty, price, amount in rows:
        items += [
            (50, y, sku),
            (120, y, desc),
            (360, y, ">" + qty),
            (440, y, ">" + price),
            (545, y, ">" + amount),
        ]
        y += 16
    items += [
        (440, y + 20, ">Subtotal"),
        (545, y + 20, ">£1,354.00"),
        (440, y + 36, ">VAT 20%"),
        (545, y + 36, ">£270.80"),
        (440, y + 52, ">Total due", 11, "Helvetica-Bold"),
        (545, y + 52, ">£1,624.80", 11),
        (50, y + 100, "Payment terms: Net 30"),
        (50, y + 114, "IBAN: GB33 BUKB 2020 1555 5555 55"),
    ]
    return items


def german_invoice() -> list[Text]:
    """Boxed header row (labels above values), German amounts and dates, MwSt. line."""
    items: list[Text] = [
        (50, 50, "Rechnung", 16, "Helvetica-Bold"),
        (350, 50, "Müller Maschinenbau GmbH", 14, "Helvetica-Bold"),
        (350, 66, "Industriestraße 5, 70173 Stuttgart"),
        (350, 79, "USt-IdNr.: DE136695976"),
        (50, 110, "Rechnungsempfänger", 9),
        (50, 123, "Beispiel Handels AG"),
        (50, 136, "Hafenstraße 1, 20457 Hamburg"),
        (50, 190, "Rechnungsnummer", 9),
        (180, 190, "Rechnungsdatum", 9),
        (300, 190, "Ihre Bestellung", 9),
        (420, 190, "Fällig am", 9),
        (50, 204, "RE-2026-118"),
        (180, 204, "03.11.2026"),
        (300, 204, "4500012345"),
        (420, 204, "17.11.2026"),
        (50, 250, "Pos"),
        (80, 250, "Art.-Nr."),
        (150, 250, "Bezeichnung"),
        (380, 250, ">Menge"),
        (460, 250, ">Einzelpreis"),
        (545, 250, ">Betrag"),
        (50, 266, "1"),
        (80, 266, "M-88"),
        (150, 266, "Hydraulikpumpe HP-2"),
        (380, 266, ">2"),
        (460, 266, ">1.234,50 €"),
        (545, 266, ">2.469,00 €"),
        (150, 279, "inkl. Montagesatz"),
        (50, 295, "2"),
        (80, 295, "M-12"),
        (150, 295, "Dichtungssatz"),
        (380, 295, ">10"),
        (460, 295, ">3,10 €"),
        (545, 295, ">31,00 €"),
        (460, 330, ">Nettobetrag"),
        (545, 330, ">2.500,00 €"),
        (460, 344, ">zzgl. MwSt. 19 %"),
        (545, 344, ">475,00 €"),
        (460, 358, ">Gesamtbetrag"),
        (545, 358, ">2.975,00 €"),
        (50, 400, "Zahlungsziel: 14 Tage netto"),
        (50, 414, "IBAN DE89 3704 0044 0532 0130 00"),
    ]
    return items


def long_invoice(
    rows: int = 30, per_page: int = 22, repeat_header: bool = True
) -> list[list[Text]]:
    """A US invoice whose item table runs over two pages; totals on the last page."""
    header: list[Text] = [
        (50, 0, "Qty", 9, "Helvetica-Bold"),
        (100, 0, "Description", 9, "Helvetica-Bold"),
        (430, 0, ">Rate", 9, "Helvetica-Bold"),
        (545, 0, ">Amount", 9, "Helvetica-Bold"),
    ]
    first: list[Text] = [
        (50, 50, "Brightwater Supply Co.", 16, "Helvetica-Bold"),
        (50, 66, "400 Lake Street, Chicago, IL 60601"),
        (50, 79, "EIN: 36-1234567"),
        (400, 50, "Invoice #: BW-90017"),
        (400, 64, "Date: 11/05/2026"),
        (400, 78, "Terms: Net 45"),
        (400, 92, "Your order: 4500098765"),
        (50, 120, "Invoice to:"),
        (50, 133, "APX Demo Inc."),
    ]
    pages: list[list[Text]] = [first, [(50, 50, "Brightwater Supply Co. - BW-90017, page 2")]]
    y = {0: 180.0, 1: 90.0}
    for page in (0, 1):
        if page == 0 or repeat_header:
            pages[page] += [(h[0], y[page], h[2], h[3], h[4]) for h in header]  # type: ignore[misc]
            y[page] += 18
    total = 0
    for n in range(1, rows + 1):
        page = 0 if n <= per_page else 1
        amount = n * 3 * (10 + n)
        total += amount
        pages[page] += [
            (50, y[page], str(n * 3)),
            (100, y[page], f"Part number {n:02d}, steel"),
            (430, y[page], f">{10 + n:.2f}"),
            (545, y[page], f">{amount:,.2f}"),
        ]
        y[page] += 15
    tax = total * 8 // 100
    pages[1] += [
        (430, y[1] + 20, ">Subtotal"),
        (545, y[1] + 20, f">${total:,.2f}"),
        (430, y[1] + 35, ">Sales tax 8%"),
        (545, y[1] + 35, f">${tax:,.2f}"),
        (430, y[1] + 50, ">Total"),
        (545, y[1] + 50, f">${total + tax:,.2f}"),
    ]
    return pages
