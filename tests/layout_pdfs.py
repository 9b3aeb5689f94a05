"""Invoices of three vendors whose number and date APX's labels do not know (reportlab).

"Vorgang HS-26-00417" / "Ausgestellt 14.10.2026" (German), "Doc#" / an unlabelled date
(British), a number and a date printed by position only (US): each page also prints a
second, unlabelled date, so code alone cannot settle the number and the date and the model
is asked, until the vendor's layout is learned. PO, bill-to, lines and totals carry labels
APX knows, so every invoice matches its PO and is otherwise clean.

`write_dataset(root, per_vendor)` writes erp/ (vendors, one PO per invoice, receipts) and
invoices/batch1-*.pdf, batch2-*.pdf; `TRUTH` gives each invoice's number and date.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tests.extractor_pdfs import Text, make_pdf

D = Decimal


@dataclass(frozen=True)
class Supplier:
    key: str
    vendor_id: str
    name: str
    tax_id: str
    printed_tax_id: str
    iban: str
    currency: str
    bill_to: str
    tax_rate: Decimal
    sku: str
    item: str
    price: Decimal


SUPPLIERS = (
    Supplier("hanse", "V2001", "Hanse Spedition GmbH", "DE287113604", "DE 287 113 604",
             "DE89370400440532013000", "EUR", "APX Demo GmbH", D(19), "HS-TR-40",
             "Seefracht Container 40 Fuss", D("1180.00")),
    Supplier("corvid", "V2002", "Corvid Analytics Ltd", "GB562871904", "GB 562 8719 04",
             "GB82WEST12345698765432", "GBP", "APX Demo Holdings Ltd", D(20), "CA-DASH",
             "Dashboard licence, monthly", D("240.00")),
    Supplier("tern", "V2003", "Tern Robotics Inc", "36-4431207", "36-4431207", "", "USD",
             "APX Demo Inc.", D(0), "TR-ARM-2", "Robot arm service kit", D("415.00")),
)


@dataclass(frozen=True)
class Invoice:
    supplier: Supplier
    batch: int
    seq: int
    number: str
    issued: date
    po_number: str
    quantity: int

    @property
    def file_name(self) -> str:
        return f"batch{self.batch}-{self.supplier.key}-{self.seq:02d}.pdf"

    @property
    def net(self) -> Decimal:
        return self.supplier.price * self.quantity

    @property
    def tax(self) -> Decimal:
        return (self.net * self.supplier.tax_rate / 100).quantize(D("0.01"))


def invoices(per_vendor: int = 3) -> list[Invoice]:
    """Batch 1: each vendor's first invoice; batch 2: its next `per_vendor` ones."""
    out = []
    for s_index, supplier in enumerate(SUPPLIERS):
        for seq in range(1 + per_vendor):
            issued = date(2026, 9, 8) + timedelta(days=9 * seq + s_index)
            number = {
                "hanse": f"HS-26-{417 + 23 * seq:05d}",
                "corvid": f"CA-{917 + seq * 14:04d}",
                "tern": f"TR-{55012 + 31 * seq}",
            }[supplier.key]
            out.append(Invoice(supplier, 1 if seq == 0 else 2, seq, number, issued,
                               f"PO-{supplier.vendor_id[1:]}-{seq + 1:02d}", 2 + seq))
    return out


def _money(value: Decimal, comma: bool) -> str:
    text = f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if comma else text


def _hanse(inv: Invoice) -> list[Text]:
    s, net, tax = inv.supplier, inv.net, inv.tax
    until = inv.issued - timedelta(days=3)
    return [
        (50, 50, s.name, 16, "Helvetica-Bold"),
        (50, 66, "Speicherstadt 4, 20457 Hamburg"),
        (370, 50, "Vorgang"), (450, 50, inv.number),
        (370, 64, "Ausgestellt"), (450, 64, inv.issued.strftime("%d.%m.%Y")),
        (370, 78, "Ihre Bestellung"), (450, 78, inv.po_number),
        (50, 110, "Rechnungsempfänger", 9), (50, 123, s.bill_to),
        (50, 136, "Hafenstraße 1, 20457 Hamburg"),
        (50, 170, f"Zeitraum {(until - timedelta(days=10)).strftime('%d.%m.%Y')} bis "
                  f"{until.strftime('%d.%m.%Y')}"),
        (50, 210, "Art.-Nr."), (130, 210, "Bezeichnung"), (380, 210, ">Menge"),
        (460, 210, ">Einzelpreis"), (545, 210, ">Betrag"),
        (50, 226, s.sku), (130, 226, s.item), (380, 226, f">{inv.quantity}"),
        (460, 226, f">{_money(s.price, True)} €"), (545, 226, f">{_money(net, True)} €"),
        (460, 262, ">Nettobetrag"), (545, 262, f">{_money(net, True)} €"),
        (460, 276, ">zzgl. MwSt. 19 %"), (545, 276, f">{_money(tax, True)} €"),
        (460, 290, ">Gesamtbetrag"), (545, 290, f">{_money(net + tax, True)} €"),
        (50, 760, f"USt-IdNr. {s.printed_tax_id} · IBAN DE89 3704 0044 0532 0130 00", 8),
    ]


def _corvid(inv: Invoice) -> list[Text]:
    s, net, tax = inv.supplier, inv.net, inv.tax
    return [
        (50, 50, "CORVID ANALYTICS LTD", 16, "Helvetica-Bold"),
        (50, 66, "7 Quay Street, Manchester M3 3JE"),
        (545, 50, f">{inv.issued.day} {inv.issued.strftime('%B %Y')}"),
        (380, 80, "Doc#"), (440, 80, inv.number),
        (380, 94, "Purchase Order:"), (470, 94, inv.po_number),
        (50, 110, "Bill to:"), (50, 123, s.bill_to), (50, 136, "1 Market Street, London"),
        (50, 170, f"Job sheet {(inv.issued - timedelta(days=2)).strftime('%d %B %Y')}"),
        (50, 210, "SKU"), (130, 210, "Description"), (380, 210, ">Qty"),
        (460, 210, ">Unit price"), (545, 210, ">Amount"),
        (50, 226, s.sku), (130, 226, s.item), (380, 226, f">{inv.quantity}"),
        (460, 226, f">£{_money(s.price, False)}"), (545, 226, f">£{_money(net, False)}"),
        (460, 262, ">Subtotal"), (545, 262, f">£{_money(net, False)}"),
        (460, 276, ">VAT 20%"), (545, 276, f">£{_money(tax, False)}"),
        (460, 290, ">Total"), (545, 290, f">£{_money(net + tax, False)}"),
        (50, 760, f"VAT Reg {s.printed_tax_id} · IBAN GB82 WEST 1234 5698 7654 32", 8),
    ]


def _tern(inv: Invoice) -> list[Text]:
    s, net = inv.supplier, inv.net
    shipped = inv.issued - timedelta(days=2)
    return [
        (50, 50, "INVOICE", 20, "Helvetica-Bold"),
        (50, 76, s.name, 12, "Helvetica-Bold"),
        (50, 90, "400 Lake Street, Chicago, IL 60601"),
        (545, 76, f">{inv.number}", 12),
        (545, 90, f">{inv.issued.strftime('%m/%d/%Y')}"),
        (380, 110, "Customer PO:"), (470, 110, inv.po_number),
        (50, 120, "Bill to:"), (50, 133, s.bill_to),
        (50, 170, f"Shipped {shipped.strftime('%m/%d/%Y')} by ground"),
        (50, 210, "SKU"), (130, 210, "Description"), (380, 210, ">Qty"),
        (460, 210, ">Unit price"), (545, 210, ">Amount"),
        (50, 226, s.sku), (130, 226, s.item), (380, 226, f">{inv.quantity}"),
        (460, 226, f">{_money(s.price, False)}"), (545, 226, f">{_money(net, False)}"),
        (460, 262, ">Subtotal"), (545, 262, f">{_money(net, False)}"),
        (460, 276, ">Total USD"), (545, 276, f">{_money(net, False)}"),
        (50, 760, f"EIN {s.printed_tax_id}", 8),
    ]


DRAW = {"hanse": _hanse, "corvid": _corvid, "tern": _tern}


def page(inv: Invoice) -> list[Text]:
    return DRAW[inv.supplier.key](inv)


def write_dataset(root: Path, per_vendor: int = 3) -> list[Invoice]:
    """erp/ and invoices/ for `invoices(per_vendor)`; returns them in processing order."""
    all_invoices = invoices(per_vendor)
    (root / "erp").mkdir(parents=True, exist_ok=True)
    (root / "invoices").mkdir(parents=True, exist_ok=True)
    with (root / "erp" / "vendors.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["vendor_id", "name", "aliases", "tax_id", "iban", "currency",
                         "payment_terms_days", "status", "requires_po"])
        for s in SUPPLIERS:
            writer.writerow([s.vendor_id, s.name, "", s.tax_id, s.iban, s.currency, 30,
                             "active", "true"])
    with (root / "erp" / "purchase_orders.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["po_number", "vendor_id", "bill_to", "currency", "status", "po_date",
                         "line_no", "sku", "description", "quantity", "unit_price", "tax_rate"])
        for inv in all_invoices:
            s = inv.supplier
            writer.writerow([inv.po_number, s.vendor_id, s.bill_to, s.currency, "open",
                             (inv.issued - timedelta(days=20)).isoformat(), 1, s.sku, s.item,
                             inv.quantity, s.price, s.tax_rate])
    with (root / "erp" / "goods_receipts.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["receipt_id", "po_number", "line_no", "quantity_received",
                         "received_date"])
        for n, inv in enumerate(all_invoices):
            writer.writerow([f"GR-{n + 1:04d}", inv.po_number, 1, inv.quantity,
                             (inv.issued - timedelta(days=2)).isoformat()])
    for inv in all_invoices:
        make_pdf(root / "invoices" / inv.file_name, [page(inv)])
    return all_invoices


AS_OF = date(2026, 11, 20)


def printed_truth(items: list[Invoice]) -> dict[str, set[str]]:
    """The invoice numbers and dates as printed, for a gateway that chooses them right."""
    dates = set()
    for inv in items:
        dates |= {inv.issued.strftime("%d.%m.%Y"), inv.issued.strftime("%m/%d/%Y"),
                  f"{inv.issued.day} {inv.issued.strftime('%B %Y')}"}
    return {"invoice_number": {inv.number for inv in items}, "invoice_date": dates}
