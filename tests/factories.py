"""Small builders for rule tests: one clean vendor, PO, receipts and invoice to tweak.

Everything here matches: the clean invoice yields no finding at all. Tests change one
thing with `model_copy(update=...)` or the keyword arguments and look for one pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from types import ModuleType

from config.loader import load_catalog, load_instruction_phrases, load_policy
from models.completeness import Completeness, Fact, FactStatus
from models.findings import Finding
from models.invoice import Extraction, InvoiceDocument, InvoiceLine
from models.master import GoodsReceipt, MasterData, PoLine, PurchaseOrder, Vendor
from models.matching import EarlierBilling, PriorInvoice
from models.policy import Policy
from rules.base import RuleContext
from rules.matching import match_invoice

AS_OF = date(2026, 11, 20)
POLICY = load_policy()
CATALOG = load_catalog()
PHRASES = load_instruction_phrases()
COMPLETE = Completeness(facts=tuple(
    Fact(name=name, label=name.replace("_", " "), status=FactStatus.CONFIRMED,
         reported_by="EXTRACTION_UNVERIFIED")
    for name in ("vendor", "invoice_number", "invoice_date", "currency", "total", "lines")
))
"""A completeness record with every fact read and confirmed (for tests of decide)."""
D = Decimal


def vendor(**update: object) -> Vendor:
    base = Vendor(
        vendor_id="V001",
        name="Acme Office Supplies Ltd",
        aliases=("ACME Supplies",),
        tax_id="GB123456789",
        iban="GB82WEST12345698765432",
        currency="EUR",
        payment_terms_days=30,
        status="active",
        requires_po=True,
    )
    return base.model_copy(update=update)


def other_vendor(**update: object) -> Vendor:
    base = Vendor(
        vendor_id="V002",
        name="Globex Industrial GmbH",
        tax_id="DE811234567",
        iban="DE89370400440532013000",
        currency="EUR",
        payment_terms_days=14,
        status="active",
        requires_po=False,
    )
    return base.model_copy(update=update)


def po_line(line_no: int = 1, **update: object) -> PoLine:
    lines = {
        1: PoLine(
            line_no=1,
            sku="PAP-A4",
            description="A4 copy paper 80g",
            quantity=D("100"),
            unit_price=D("4.50"),
            tax_rate=D("19"),
        ),
        2: PoLine(
            line_no=2,
            sku="TON-BK",
            description="Toner cartridge black",
            quantity=D("5"),
            unit_price=D("60.00"),
            tax_rate=D("19"),
        ),
    }
    return lines[line_no].model_copy(update=update)


def purchase_order(**update: object) -> PurchaseOrder:
    base = PurchaseOrder(
        po_number="PO-1001",
        vendor_id="V001",
        bill_to="APX Demo GmbH",
        currency="EUR",
        status="open",
        po_date=date(2026, 10, 1),
        lines=(po_line(1), po_line(2)),
    )
    return base.model_copy(update=update)


def other_po(**update: object) -> PurchaseOrder:
    """A PO of the other vendor, raised by the other legal entity."""
    base = PurchaseOrder(
        po_number="PO-2001",
        vendor_id="V002",
        bill_to="APX Demo Ltd",
        currency="GBP",
        status="open",
        po_date=date(2026, 9, 1),
        lines=(
            PoLine(
                line_no=1,
                sku="BOLT-M8",
                description="Hex bolt M8",
                quantity=D("1000"),
                unit_price=D("0.20"),
                tax_rate=D("20"),
            ),
        ),
    )
    return base.model_copy(update=update)


def receipts(po_number: str = "PO-1001", **quantities: str) -> tuple[GoodsReceipt, ...]:
    """Receipts per PO line (keyword `l1="100"`); default: everything on PO-1001 received."""
    wanted = quantities or {"l1": "100", "l2": "5"}
    return tuple(
        GoodsReceipt(
            receipt_id=f"GR-{po_number}-{key}",
            po_number=po_number,
            line_no=int(key[1:]),
            quantity_received=D(quantity),
            received_date=date(2026, 10, 20),
        )
        for key, quantity in wanted.items()
    )


def master(
    *,
    vendors: Iterable[Vendor] | None = None,
    pos: Iterable[PurchaseOrder] | None = None,
    goods_receipts: Iterable[GoodsReceipt] | None = None,
) -> MasterData:
    vendor_list = list(vendors) if vendors is not None else [vendor(), other_vendor()]
    po_list = list(pos) if pos is not None else [purchase_order(), other_po()]
    return MasterData(
        vendors={item.vendor_id: item for item in vendor_list},
        purchase_orders={item.po_number: item for item in po_list},
        receipts=tuple(goods_receipts) if goods_receipts is not None else receipts(),
    )


def line(
    description: str,
    quantity: str,
    unit_price: str,
    *,
    sku: str | None = None,
    amount: str | None = None,
    tax_rate: str | None = "19",
) -> InvoiceLine:
    qty, price = D(quantity), D(unit_price)
    return InvoiceLine(
        description=description,
        sku=sku,
        quantity=qty,
        unit_price=price,
        amount=D(amount) if amount is not None else qty * price,
        tax_rate=D(tax_rate) if tax_rate is not None else None,
    )


def clean_lines() -> list[InvoiceLine]:
    return [
        line("A4 copy paper 80g", "100", "4.50", sku="PAP-A4"),
        line("Toner cartridge black", "5", "60.00", sku="TON-BK"),
    ]


def invoice(**update: object) -> InvoiceDocument:
    """The clean invoice: bills PO-1001 exactly, 750.00 + 19 % = 892.50."""
    base = InvoiceDocument(
        vendor_name="Acme Office Supplies Ltd",
        vendor_tax_id="GB123456789",
        iban="GB82 WEST 1234 5698 7654 32",
        invoice_number="INV-2026-0042",
        invoice_date=date(2026, 11, 10),
        due_date=date(2026, 12, 10),
        payment_terms_days=30,
        po_number="PO-1001",
        currency="EUR",
        bill_to="APX Demo GmbH, Musterstrasse 1, 10115 Berlin",
        lines=clean_lines(),
        subtotal=D("750.00"),
        tax=D("142.50"),
        tax_rate=D("19"),
        total=D("892.50"),
    )
    return base.model_copy(update=update)


def with_lines(lines: list[InvoiceLine], **update: object) -> InvoiceDocument:
    """The clean invoice with other lines and totals that add up (19 % tax)."""
    subtotal = sum((item.amount for item in lines), D(0))
    tax = (subtotal * D("0.19")).quantize(D("0.01"))
    return invoice(lines=lines, subtotal=subtotal, tax=tax, total=subtotal + tax, **update)


def prior(**update: object) -> PriorInvoice:
    base = PriorInvoice(
        invoice_id="prior-1",
        file_name="001_earlier.pdf",
        vendor_id="V001",
        invoice_number="INV-2026-0041",
        invoice_date=date(2026, 11, 1),
        po_number="PO-1001",
        currency="EUR",
        subtotal=D("100.00"),
        total=D("119.00"),
        decision="approve",
    )
    return base.model_copy(update=update)


def billed_before(
    po_line_no: int, quantity: str, amount: str, **update: object
) -> EarlierBilling:
    """What an earlier invoice (by default INV-2026-0041) billed on a line of PO-1001."""
    base = EarlierBilling(
        invoice_id="prior-1",
        invoice_number="INV-2026-0041",
        file_name="001_earlier.pdf",
        po_line_no=po_line_no,
        quantity=D(quantity),
        amount=D(amount),
    )
    return base.model_copy(update=update)


def context(
    doc: InvoiceDocument | None = None,
    data: MasterData | None = None,
    *,
    text: str | None = None,
    hidden_text: str = "",
    unverified: dict[str, str] | None = None,
    prior_invoices: tuple[PriorInvoice, ...] = (),
    prior_on_po: tuple[PriorInvoice, ...] = (),
    billed: tuple[EarlierBilling, ...] = (),
    policy: Policy = POLICY,
    as_of: date = AS_OF,
) -> RuleContext:
    """A rule context with matching done by the real matcher."""
    doc = doc if doc is not None else invoice()
    data = data if data is not None else master()
    return RuleContext(
        extraction=Extraction(invoice=doc, unverified=unverified or {}),
        document_text=text if text is not None else render(doc),
        hidden_text=hidden_text,
        instruction_phrases=PHRASES,
        master=data,
        match=match_invoice(doc, data, thresholds=policy.matching),
        prior_invoices=prior_invoices,
        prior_on_po=prior_on_po,
        billed_before=billed,
        policy=policy,
        catalog=CATALOG,
        as_of=as_of,
    )


def render(doc: InvoiceDocument) -> str:
    """A plain text rendering, standing in for the parsed document text."""
    rows = [
        f"{item.description} {item.quantity} {item.unit_price} {item.amount}" for item in doc.lines
    ]
    return "\n".join(
        [
            f"{doc.vendor_name}",
            f"VAT {doc.vendor_tax_id}",
            f"Invoice No. {doc.invoice_number}  Date {doc.invoice_date}",
            f"PO {doc.po_number}",
            f"Bill to: {doc.bill_to}",
            *rows,
            f"Subtotal {doc.subtotal}  Tax {doc.tax}  Total {doc.total} {doc.currency}",
            f"Please pay within {doc.payment_terms_days} days to IBAN {doc.iban}",
        ]
    )


def run(rule: ModuleType, ctx: RuleContext) -> list[Finding]:
    """One rule's findings, run as the registry runs it (with its own catalog entry)."""
    findings: list[Finding] = list(rule.check(ctx.for_rule(CATALOG.get(rule.PATTERN))))
    return findings


def finding(pattern: str, message: str, amount: D | None = None, **evidence: object) -> Finding:
    """A finding of `pattern` with the catalog's severity (for tests of decide and classify)."""
    return CATALOG.get(pattern).finding(message, amount, **evidence)


def codes(findings: Iterable[Finding]) -> list[str]:
    return [item.code for item in findings]
