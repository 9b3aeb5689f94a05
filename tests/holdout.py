"""A held-out labelled set: other vendors, other layouts, other buyer, never tuned against.

Deterministic (reportlab, invariant PDFs). Writes, into a folder, the layout `apx eval`
reads (see sample_data/README.md): erp/vendors.csv, erp/purchase_orders.csv,
erp/goods_receipts.csv, invoices/*.pdf and truth.json.

Two layouts the sample set does not use:

- **FR** French: "FACTURE", "N° de facture", "Date de facture", "Bon de commande",
  "Échéance", "N° TVA", columns "Réf. | Désignation | Qté | Prix unitaire HT | Montant HT",
  "Total HT / TVA 20 % / Total TTC", amounts "1 234,56 €" (or "CHF"), day-first "08/01/2027",
  the customer's own VAT number in the bill-to block.
- **ST** English statement style: header fields in a ruled two-column key/value table at the
  top right, columns "Description | Item code | Unit cost | Quantity | Line total", dates
  "11-Jan-2027", "Invoice total".

Patterns and decisions in truth.json are derived here from the scenario data by the rules
of sample_data/README.md (every row of its table), and the set is refused when they differ
from what a scenario declares.

    .venv/bin/python -m tests.holdout OUT_DIR
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from rapidfuzz import fuzz
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from schwifty import IBAN

AS_OF = date(2027, 1, 29)
CENT = Decimal("0.01")
HIGH_VALUE = Decimal("10000.00")
PRICE_TOLERANCE = Decimal("1.02")
STALE_DAYS = 180
DUPLICATE_WINDOW_DAYS = 30
NUMBER_SIMILARITY = 80
CHARGE_WORDS = ("freight", "shipping", "delivery", "handling", "surcharge", "fee", "expedite")
SUSPICIOUS = ("ignore previous instructions", "auto-approve", "skip review")

ENTITY_UK = "Fennwick Trading Ltd"
ENTITY_EU = "Fennwick Europe SAS"
ENTITY_ADDRESS = {
    ENTITY_UK: ["Unit 4, Calder Park", "Wakefield WF2 7AA", "United Kingdom"],
    ENTITY_EU: ["12 rue des Tanneurs", "69002 Lyon", "France", "N° TVA : FR83512334789"],
}


@dataclass(frozen=True)
class Vendor:
    vendor_id: str
    name: str
    aliases: str
    tax_id: str
    iban: str
    currency: str
    terms_days: int
    layout: str  # "FR" or "ST"
    address: tuple[str, ...]
    status: str = "active"
    requires_po: bool = True
    tax_label: str = "N° TVA"
    in_master: bool = True  # False: left out of vendors.csv


VENDORS = {
    "verdier": Vendor("V2001", "Atelier Verdier SARL", "Atelier Verdier", "FR40303265045",
                      "FR7630004000000001012345695", "EUR", 30, "FR",
                      ("14 avenue Jean Jaurès", "38000 Grenoble", "France")),
    "leman": Vendor("V2002", "Léman Précision SA", "Leman Precision;Léman Précision",
                    "CHE-116.281.710", "CH9300762011623852957", "CHF", 14, "FR",
                    ("Route de Genève 88", "1004 Lausanne", "Suisse")),
    "thornbury": Vendor("V2003", "Thornbury Scientific Ltd", "Thornbury Scientific",
                        "GB293847561", "GB67BARC20041538290147", "GBP", 30, "ST",
                        ("7 Quarry Lane", "Cambridge CB4 1XG", "United Kingdom"),
                        tax_label="VAT Reg No:"),
    "northgate": Vendor("V2004", "Northgate Analytics Ltd", "Northgate Analytics",
                        "IE6388047V", "IE29AIBK93115212345678", "USD", 45, "ST",
                        ("Block C, Harcourt Centre", "Dublin 2, D02 HW77", "Ireland"),
                        tax_label="VAT No:"),
}
CHANGED_IBAN = "FR7610278000000002098765494"  # another valid French account

# sku -> (description, PO unit price)
CATALOGUE: dict[str, tuple[str, Decimal]] = {
    "VRD-FT-120": ("Fauteuil de bureau ergonomique, tissu anthracite", Decimal("289.00")),
    "VRD-BU-160": ("Bureau réglable en hauteur 160 × 80 cm", Decimal("645.00")),
    "VRD-CA-040": ("Caisson mobile 3 tiroirs, verrouillable", Decimal("179.50")),
    "VRD-LP-015": ("Lampe de bureau LED à pince", Decimal("64.90")),
    "LPS-MC-025": ("Micromètre d'extérieur 0–25 mm, touches carbure", Decimal("142.00")),
    "LPS-PC-150": ("Pied à coulisse numérique 150 mm", Decimal("96.50")),
    "LPS-CE-010": ("Cales étalons céramique, jeu de 47 pièces", Decimal("1380.00")),
    "TS-GLV-M": ("Nitrile gloves, medium, box of 100", Decimal("6.45")),
    "TS-PT-200": ("Pipette tips 200 µl, rack of 96", Decimal("4.80")),
    "TS-CT-050": ("Centrifuge tubes 50 ml, pack of 25", Decimal("11.20")),
    "TS-CF-24": ("Benchtop centrifuge, 24 x 1.5 ml rotor", Decimal("2480.00")),
    "NGA-AUD": ("Data pipeline audit, consultant day", Decimal("950.00")),
    "NGA-LIC-1": ("Dashboard licence, annual, per seat", Decimal("180.00")),
    "NGA-TRN": ("Analytics training workshop, half day", Decimal("1200.00")),
}
TAX_RATE = {"EUR": Decimal("20"), "CHF": Decimal("8.1"), "GBP": Decimal("20"),
            "USD": Decimal("23")}


@dataclass(frozen=True)
class PurchaseOrder:
    po_number: str
    vendor: str
    po_date: date
    lines: tuple[tuple[str, int], ...]  # (sku, quantity), line_no = position + 1
    received: tuple[int, ...] | None = None  # per line; None = everything ordered
    status: str = "open"

    @property
    def entity(self) -> str:
        return ENTITY_EU if VENDORS[self.vendor].currency in ("EUR", "CHF") else ENTITY_UK


POS = {po.po_number: po for po in [
    PurchaseOrder("4500001871", "verdier", date(2026, 11, 24),
                  (("VRD-FT-120", 8), ("VRD-CA-040", 8))),
    PurchaseOrder("4500001872", "verdier", date(2026, 12, 2),
                  (("VRD-BU-160", 4), ("VRD-LP-015", 10))),
    PurchaseOrder("4500001873", "verdier", date(2026, 12, 9), (("VRD-FT-120", 5),)),
    PurchaseOrder("4500001875", "leman", date(2026, 11, 30),
                  (("LPS-MC-025", 6), ("LPS-PC-150", 10))),
    PurchaseOrder("4500001876", "leman", date(2026, 12, 14),
                  (("LPS-PC-150", 8), ("LPS-CE-010", 1), ("LPS-MC-025", 2))),
    PurchaseOrder("4500001880", "thornbury", date(2026, 12, 1),
                  (("TS-GLV-M", 200), ("TS-PT-200", 60), ("TS-CT-050", 20))),
    PurchaseOrder("4500001881", "thornbury", date(2026, 12, 10),
                  (("TS-CT-050", 30), ("TS-PT-200", 100))),
    PurchaseOrder("4500001882", "thornbury", date(2026, 12, 15),
                  (("TS-CF-24", 5), ("TS-GLV-M", 100))),
    PurchaseOrder("4500001883", "northgate", date(2026, 11, 26),
                  (("NGA-AUD", 4), ("NGA-LIC-1", 12))),
    PurchaseOrder("4500001884", "northgate", date(2026, 12, 18),
                  (("NGA-AUD", 3), ("NGA-TRN", 1))),
]}


@dataclass(frozen=True)
class Scenario:
    file: str
    vendor: str
    number: str
    issued: date
    po: str | None
    lines: tuple[tuple[str, int], ...]  # (sku, quantity) billed
    expect: tuple[str, ...] = ()  # declared patterns, primary first; () = clean
    prices: dict[str, Decimal] = field(default_factory=dict)  # sku -> billed price if not PO's
    iban: str | None = None  # printed IBAN if not the master's
    stamp: str | None = None  # a re-sent copy's stamp

    @property
    def supplier(self) -> Vendor:
        return VENDORS[self.vendor]

    def price(self, sku: str) -> Decimal:
        return self.prices.get(sku, CATALOGUE[sku][1])

    @property
    def item_lines(self) -> list[tuple[str, str, int, Decimal, Decimal]]:
        return [(sku, CATALOGUE[sku][0], qty, self.price(sku), (qty * self.price(sku)))
                for sku, qty in self.lines]

    @property
    def rate(self) -> Decimal:
        return TAX_RATE[self.supplier.currency]

    @property
    def subtotal(self) -> Decimal:
        return sum((line[4] for line in self.item_lines), Decimal(0)).quantize(CENT)

    @property
    def tax(self) -> Decimal:
        return (self.subtotal * self.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.tax

    @property
    def due(self) -> date:
        return self.issued + timedelta(days=self.supplier.terms_days)

    @property
    def printed_iban(self) -> str:
        return self.iban or self.supplier.iban

    @property
    def bill_to(self) -> str:
        return POS[self.po].entity if self.po else (
            ENTITY_EU if self.supplier.currency in ("EUR", "CHF") else ENTITY_UK)


SCENARIOS = [
    Scenario("001-verdier-fv-2027-0012.pdf", "verdier", "FV-2027-0012", date(2027, 1, 8),
             "4500001871", (("VRD-FT-120", 8), ("VRD-CA-040", 8))),
    Scenario("002-thornbury-ts-88120.pdf", "thornbury", "TS-88120", date(2027, 1, 11),
             "4500001880", (("TS-GLV-M", 200), ("TS-PT-200", 60), ("TS-CT-050", 20))),
    Scenario("003-leman-lp-27-0031.pdf", "leman", "LP-27-0031", date(2027, 1, 12),
             "4500001875", (("LPS-MC-025", 6), ("LPS-PC-150", 10))),
    Scenario("004-northgate-nga-5012.pdf", "northgate", "NGA-5012", date(2027, 1, 13),
             "4500001883", (("NGA-AUD", 4), ("NGA-LIC-1", 12))),
    Scenario("005-verdier-fv-2027-0019.pdf", "verdier", "FV-2027-0019", date(2027, 1, 15),
             "4500001872", (("VRD-BU-160", 4), ("VRD-LP-015", 10))),
    Scenario("006-thornbury-ts-88161.pdf", "thornbury", "TS-88161", date(2027, 1, 18),
             "4500001881", (("TS-CT-050", 30), ("TS-PT-200", 100))),
    Scenario("007-leman-lp-27-0038.pdf", "leman", "LP-27-0038", date(2027, 1, 19),
             "4500001876", (("LPS-PC-150", 8), ("LPS-CE-010", 1)), ("PRICE_VARIANCE",),
             # +5.6 % on the calipers; PO line 3 not billed, so the PO is not overbilled
             prices={"LPS-PC-150": Decimal("101.90")}),
    Scenario("008-northgate-nga-5027.pdf", "northgate", "NGA-5027", date(2027, 1, 20),
             None, (("NGA-TRN", 2),), ("MISSING_PO",)),
    Scenario("009-verdier-fv-2027-0026.pdf", "verdier", "FV-2027-0026", date(2027, 1, 21),
             "4500001873", (("VRD-FT-120", 5),), ("BANK_DETAILS_CHANGED",), iban=CHANGED_IBAN),
    Scenario("010-thornbury-ts-88207.pdf", "thornbury", "TS-88207", date(2027, 1, 22),
             "4500001882", (("TS-CF-24", 5), ("TS-GLV-M", 100)), ("HIGH_VALUE",)),
    Scenario("011-northgate-nga-5033.pdf", "northgate", "NGA-5033", date(2027, 1, 25),
             "4500001884", (("NGA-AUD", 3), ("NGA-TRN", 1))),
    Scenario("012-verdier-fv-2027-0012.pdf", "verdier", "FV-2027-0012", date(2027, 1, 8),
             "4500001871", (("VRD-FT-120", 8), ("VRD-CA-040", 8)), ("DUPLICATE_EXACT",),
             stamp="DUPLICATA - renvoyée le 26/01/2027"),
]


# --- the rules of sample_data/README.md, applied to the scenario data -----------------------


def derive_patterns(s: Scenario, earlier: list[Scenario]) -> set[str]:
    """Every row of the README's table, from the scenario's own data."""
    found: set[str] = set()
    v = s.supplier
    # vendor-independent rows first: arithmetic, tax, dates, content, value
    credit = s.total < 0
    if credit:
        found.add("CREDIT_NOTE")
    if s.total > HIGH_VALUE:
        found.add("HIGH_VALUE")
    if s.issued > AS_OF:
        found.add("INVOICE_DATE_INVALID")
    if (AS_OF - s.issued).days > STALE_DAYS:
        found.add("STALE_INVOICE")
    lines_sum = sum((line[4] for line in s.item_lines), Decimal(0))
    if any(q * p != a for _, _, q, p, a in s.item_lines) or lines_sum != s.subtotal \
            or s.subtotal + s.tax != s.total:
        found.add("ARITHMETIC_ERROR")
    if abs(s.subtotal * s.rate / 100 - s.tax) > CENT:
        found.add("TAX_CALCULATION_ERROR")
    if any(phrase in " ".join(CATALOGUE[sku][0] for sku, _ in s.lines).casefold()
           for phrase in SUSPICIOUS):
        found.add("SUSPICIOUS_CONTENT")
    if not v.in_master:
        found.add("UNKNOWN_VENDOR")
        return found
    if v.status in ("blocked", "inactive"):
        found.add("VENDOR_BLOCKED")
    if s.printed_iban and v.iban and s.printed_iban != v.iban:
        found.add("BANK_DETAILS_CHANGED")
    # VENDOR_IDENTITY_MISMATCH never: every invoice prints its own vendor's master name and
    # tax id, so both resolve to `v`.
    if not credit and (s.due - s.issued).days != v.terms_days:
        found.add("PAYMENT_TERMS_MISMATCH")
    for prior in earlier:
        if prior.vendor != s.vendor:
            continue
        if prior.number == s.number:
            found.add("DUPLICATE_EXACT")
        elif (fuzz.ratio(prior.number, s.number) >= NUMBER_SIMILARITY
              and prior.total == s.total and abs((s.issued - prior.issued).days)
              <= DUPLICATE_WINDOW_DAYS):
            found.add("DUPLICATE_SUSPECTED")
    if s.po is None:
        found.add("MISSING_PO" if v.requires_po else "NON_PO_INVOICE")
        return found
    po = POS.get(s.po)
    if po is None:
        found.add("PO_NOT_FOUND")
        return found
    if po.status in ("closed", "cancelled"):
        found.add("PO_CLOSED")
    po_currency = VENDORS[po.vendor].currency
    if v.currency != po_currency:
        found.add("CURRENCY_MISMATCH")
    if s.issued < po.po_date:
        found.add("INVOICE_DATE_INVALID")
    if s.bill_to != po.entity:
        found.add("BILL_TO_MISMATCH")
    if VENDORS[po.vendor] != v:
        found.add("PO_VENDOR_MISMATCH")
        return found  # line-level rows only on the vendor's own PO
    if credit:
        return found
    received = po.received or tuple(q for _, q in po.lines)
    po_lines = {sku: (n, q, received[n]) for n, (sku, q) in enumerate(po.lines)}
    any_received = False
    for sku, _, qty, price, _ in s.item_lines:
        if sku not in po_lines:
            is_charge = any(w in CATALOGUE[sku][0].casefold() for w in CHARGE_WORDS)
            found.add("UNPLANNED_CHARGE" if is_charge else "UNMATCHED_LINE")
            continue
        _, ordered, got = po_lines[sku]
        any_received = any_received or got > 0
        if v.currency == po_currency and price > CATALOGUE[sku][1] * PRICE_TOLERANCE:
            found.add("PRICE_VARIANCE")
        if got > 0 and qty > got:
            found.add("QTY_OVER_RECEIVED")
        if qty > ordered:
            found.add("QTY_OVER_ORDERED")
        if TAX_RATE[po_currency] != s.rate:
            found.add("TAX_RATE_UNEXPECTED")
    if not any_received:
        found.add("RECEIPT_PENDING")
    net = sum((CATALOGUE[sku][1] * q for sku, q in po.lines), Decimal(0))
    billed = s.subtotal + sum(
        (p.subtotal for p in earlier if p.po == s.po and p.number != s.number), Decimal(0))
    if billed > net + CENT:
        found.add("PO_OVERBILLED")
    return found


def decision(patterns: tuple[str, ...], total: Decimal) -> str:
    if "DUPLICATE_EXACT" in patterns:
        return "reject"
    if patterns and set(patterns) == {"RECEIPT_PENDING"}:
        return "hold"
    if not patterns and total <= HIGH_VALUE:
        return "approve"
    return "review"


# --- drawing ---------------------------------------------------------------------------------


def fr_amount(value: Decimal, currency: str) -> str:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} {'€' if currency == 'EUR' else currency}"


def fr_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def st_date(day: date) -> str:
    return f"{day.day:02d}-{day.strftime('%b')}-{day.year}"


def grouped_iban(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def draw_french(c: Canvas, s: Scenario) -> None:
    v = s.supplier
    width, height = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, height - 60, v.name)
    c.setFont("Helvetica", 9)
    y = height - 76
    for text in (*v.address, f"{v.tax_label} : {v.tax_id}"):
        c.drawString(50, y, text)
        y -= 12
    c.setFont("Helvetica-Bold", 22)
    c.drawRightString(width - 50, height - 62, "FACTURE")
    c.setFont("Helvetica", 9.5)
    y = height - 90
    header = [("N° de facture", s.number), ("Date de facture", fr_date(s.issued))]
    if s.po:
        header.append(("Bon de commande", s.po))
    header.append(("Échéance", fr_date(s.due)))
    for label, text in header:
        c.drawString(360, y, f"{label} :")
        c.drawRightString(width - 50, y, text)
        y -= 14
    if s.stamp:
        c.setFillColorRGB(0.8, 0.1, 0.1)
        c.setFont("Helvetica-Bold", 12)
        c.rect(200, height - 200, 195, 22)
        c.drawCentredString(297, height - 193, s.stamp)
        c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, height - 230, "Facturé à")
    c.setFont("Helvetica", 9.5)
    y = height - 245
    for text in (s.bill_to, *ENTITY_ADDRESS[s.bill_to]):
        c.drawString(50, y, text)
        y -= 12
    # table: Réf. | Désignation | Qté | Prix unitaire HT | Montant HT
    top = height - 340
    cols = [50, 130, 350, 400, 480, width - 50]
    c.setFillColorRGB(0.88, 0.9, 0.94)
    c.rect(cols[0], top - 6, cols[-1] - cols[0], 20, fill=1, stroke=0)
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(cols[0] + 3, top, "Réf.")
    c.drawString(cols[1] + 3, top, "Désignation")
    c.drawRightString(cols[3] - 6, top, "Qté")
    c.drawRightString(cols[4] - 6, top, "Prix unitaire HT")
    c.drawRightString(cols[5] - 3, top, "Montant HT")
    c.setFont("Helvetica", 9)
    y = top - 22
    for sku, description, qty, price, amount in s.item_lines:
        c.drawString(cols[0] + 3, y, sku)
        c.drawString(cols[1] + 3, y, description)
        c.drawRightString(cols[3] - 6, y, str(qty))
        c.drawRightString(cols[4] - 6, y, fr_amount(price, v.currency))
        c.drawRightString(cols[5] - 3, y, fr_amount(amount, v.currency))
        c.setLineWidth(0.3)
        c.line(cols[0], y - 6, cols[-1], y - 6)
        y -= 20
    y -= 14
    rate = f"{s.rate.normalize():f}".replace(".", ",")
    for label, value, bold in (("Total HT", s.subtotal, False),
                               (f"TVA {rate} %", s.tax, False),
                               ("Total TTC", s.total, True)):
        c.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
        c.drawString(380, y, label)
        c.drawRightString(width - 53, y, fr_amount(value, v.currency))
        y -= 16
    c.setFont("Helvetica", 8.5)
    c.drawString(50, 110, f"Conditions de paiement : {v.terms_days} jours net, par virement.")
    c.drawString(50, 97, f"IBAN : {grouped_iban(s.printed_iban)}    BIC : {bic(s.printed_iban)}")
    c.drawString(50, 84, "En cas de retard de paiement, indemnité forfaitaire pour frais de "
                 "recouvrement : 40,00 €.")


def bic(iban: str) -> str:
    try:
        found = IBAN(iban).bic
    except Exception:  # schwifty may not know the bank: print a neutral code
        found = None
    return str(found) if found else "XXXXXXXX"


def st_money(value: Decimal) -> str:
    return f"{value:,.2f}"


def draw_statement(c: Canvas, s: Scenario) -> None:
    v = s.supplier
    width, height = A4
    c.setFont("Times-Bold", 17)
    c.drawString(50, height - 60, v.name)
    c.setFont("Times-Roman", 10)
    y = height - 76
    for text in (*v.address, f"{v.tax_label} {v.tax_id}"):
        c.drawString(50, y, text)
        y -= 12.5
    c.setFont("Times-Bold", 20)
    c.drawString(340, height - 60, "INVOICE")
    rows = [("Invoice number", s.number), ("Invoice date", st_date(s.issued)),
            ("Account", "FEN-0417")]
    if s.po:
        rows.append(("Purchase order", s.po))
    rows += [("Terms", f"{v.terms_days} days"), ("Due date", st_date(s.due)),
             ("Currency", v.currency)]
    x0, xm, x1 = 340.0, 440.0, width - 50
    y = height - 80
    c.setLineWidth(0.6)
    for label, value in rows:
        c.rect(x0, y - 16, xm - x0, 16)
        c.rect(xm, y - 16, x1 - xm, 16)
        c.setFont("Times-Bold", 9.5)
        c.drawString(x0 + 4, y - 11.5, label)
        c.setFont("Times-Roman", 9.5)
        c.drawString(xm + 4, y - 11.5, value)
        y -= 16
    c.setFont("Times-Bold", 10.5)
    c.drawString(50, height - 170, "Invoice to:")
    c.setFont("Times-Roman", 10)
    y = height - 184
    for text in (s.bill_to, *ENTITY_ADDRESS[s.bill_to]):
        c.drawString(50, y, text)
        y -= 12.5
    # table: Description | Item code | Unit cost | Quantity | Line total
    top = height - 290
    c.setFont("Times-Bold", 10)
    c.drawString(50, top, "Description")
    c.drawString(290, top, "Item code")
    c.drawRightString(420, top, "Unit cost")
    c.drawRightString(480, top, "Quantity")
    c.drawRightString(width - 50, top, "Line total")
    c.setLineWidth(1)
    c.line(50, top - 5, width - 50, top - 5)
    c.setFont("Times-Roman", 10)
    y = top - 20
    for sku, description, qty, price, amount in s.item_lines:
        c.drawString(50, y, description)
        c.drawString(290, y, sku)
        c.drawRightString(420, y, st_money(price))
        c.drawRightString(480, y, str(qty))
        c.drawRightString(width - 50, y, st_money(amount))
        y -= 16
    c.line(50, y + 6, width - 50, y + 6)
    y -= 14
    rate = f"{s.rate.normalize():f}"
    for label, value, bold in (("Subtotal", st_money(s.subtotal), False),
                               (f"VAT @ {rate}%", st_money(s.tax), False),
                               ("Invoice total", f"{v.currency} {st_money(s.total)}", True)):
        c.setFont("Times-Bold" if bold else "Times-Roman", 10.5)
        c.drawString(380, y, label)
        c.drawRightString(width - 50, y, value)
        y -= 15
    c.setFont("Times-Roman", 9)
    c.drawString(50, 110, f"Remit to: {v.name}, IBAN {grouped_iban(s.printed_iban)}, "
                 f"BIC {bic(s.printed_iban)}")
    c.drawString(50, 97, "Please quote the invoice number with your payment. Thank you for "
                 "your business.")


def write_pdf(path: Path, s: Scenario) -> None:
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(f"{s.supplier.name} {s.number}")
    (draw_french if s.supplier.layout == "FR" else draw_statement)(c, s)
    c.showPage()
    c.save()


# --- the set ---------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_erp(erp: Path) -> None:
    erp.mkdir(parents=True, exist_ok=True)
    _write_csv(erp / "vendors.csv",
               ["vendor_id", "name", "aliases", "tax_id", "iban", "currency",
                "payment_terms_days", "status", "requires_po"],
               [[v.vendor_id, v.name, v.aliases, v.tax_id, v.iban, v.currency,
                 str(v.terms_days), v.status, str(v.requires_po).lower()]
                for v in VENDORS.values() if v.in_master])
    po_rows: list[list[str]] = []
    receipt_rows: list[list[str]] = []
    receipt_no = 70001
    for po in POS.values():
        v = VENDORS[po.vendor]
        received = po.received or tuple(q for _, q in po.lines)
        for n, (sku, qty) in enumerate(po.lines, start=1):
            description, price = CATALOGUE[sku]
            po_rows.append([po.po_number, v.vendor_id, po.entity, v.currency, po.status,
                            po.po_date.isoformat(), str(n), sku, description, str(qty),
                            f"{price:.2f}", f"{TAX_RATE[v.currency].normalize():f}"])
            if received[n - 1]:
                receipt_rows.append([f"WE-{receipt_no}", po.po_number, str(n),
                                     str(received[n - 1]),
                                     (po.po_date + timedelta(days=9)).isoformat()])
                receipt_no += 1
    _write_csv(erp / "purchase_orders.csv",
               ["po_number", "vendor_id", "bill_to", "currency", "status", "po_date",
                "line_no", "sku", "description", "quantity", "unit_price", "tax_rate"], po_rows)
    _write_csv(erp / "goods_receipts.csv",
               ["receipt_id", "po_number", "line_no", "quantity_received", "received_date"],
               receipt_rows)


def truth() -> dict[str, object]:
    labels: list[dict[str, object]] = []
    done: list[Scenario] = []
    for s in sorted(SCENARIOS, key=lambda item: item.file):
        derived = derive_patterns(s, done)
        if derived != set(s.expect):
            raise ValueError(f"{s.file}: scenario declares {sorted(s.expect)}, "
                             f"the rules give {sorted(derived)}")
        for iban in {s.printed_iban, s.supplier.iban}:
            IBAN(iban)  # raises unless valid
        labels.append({
            "file": s.file,
            "fields": {
                "vendor_id": s.supplier.vendor_id, "invoice_number": s.number,
                "invoice_date": s.issued.isoformat(), "po_number": s.po,
                "currency": s.supplier.currency, "subtotal": f"{s.subtotal:.2f}",
                "tax": f"{s.tax:.2f}", "total": f"{s.total:.2f}",
            },
            "patterns": list(s.expect),
            "primary": s.expect[0] if s.expect else None,
            "decision": decision(s.expect, s.total),
        })
        done.append(s)
    return {"as_of": AS_OF.isoformat(), "invoices": labels}


def generate(root: Path) -> Path:
    """Write the whole labelled set under `root` and return it."""
    labels = truth()  # validates before anything is written
    write_erp(root / "erp")
    invoices = root / "invoices"
    invoices.mkdir(parents=True, exist_ok=True)
    for s in SCENARIOS:
        write_pdf(invoices / s.file, s)
    (root / "truth.json").write_text(json.dumps(labels, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    return root


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.holdout OUT_DIR")
    print(generate(Path(sys.argv[1])))
