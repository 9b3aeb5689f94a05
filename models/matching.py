"""Results of deterministic matching against the ERP, and the invoice history rules see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.master import PoLine, PurchaseOrder, Vendor


class VendorMatch(BaseModel):
    """Which master vendor the invoice is from, and how sure we are."""

    model_config = ConfigDict(frozen=True)

    vendor: Vendor | None = None
    method: Literal["tax_id", "name", "alias", "none"] = "none"
    score: float = 0.0
    by_tax_id: Vendor | None = None
    by_name: Vendor | None = None


class LineMatch(BaseModel):
    """One invoice line and the PO line it bills, if any."""

    model_config = ConfigDict(frozen=True)

    line_index: int
    po_line: PoLine | None = None
    method: Literal["sku", "description", "none"] = "none"
    score: float = 0.0
    received_quantity: Decimal | None = None


class MatchResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    vendor: VendorMatch = Field(default_factory=VendorMatch)
    po: PurchaseOrder | None = None
    lines: tuple[LineMatch, ...] = ()


class PriorInvoice(BaseModel):
    """An invoice processed earlier, as far as duplicate and over-billing rules need it."""

    model_config = ConfigDict(frozen=True)

    invoice_id: str
    file_name: str
    vendor_id: str | None
    invoice_number: str | None
    invoice_date: date | None
    po_number: str | None
    currency: str | None
    subtotal: Decimal | None
    total: Decimal | None
    decision: str | None


class LineBilling(BaseModel):
    """What one invoice bills on one PO line: the history 3-way matching accumulates."""

    model_config = ConfigDict(frozen=True)

    po_line_no: int
    quantity: Decimal
    amount: Decimal


class EarlierBilling(LineBilling):
    """What an earlier invoice, not rejected, billed on a line of the same PO."""

    invoice_id: str
    invoice_number: str | None
    file_name: str


class BilledSoFar(BaseModel):
    """Everything earlier invoices billed on one PO line, added up."""

    model_config = ConfigDict(frozen=True)

    po_line_no: int
    quantity: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    invoices: tuple[str, ...] = ()
    """The earlier invoices, by number (or file name when they have none)."""

    def add(self, billing: EarlierBilling) -> BilledSoFar:
        return BilledSoFar(
            po_line_no=self.po_line_no,
            quantity=self.quantity + billing.quantity,
            amount=self.amount + billing.amount,
            invoices=(*self.invoices, billing.invoice_number or billing.file_name),
        )
