"""ERP master data APX reads: vendors, purchase orders, goods receipts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

VendorStatus = Literal["active", "blocked", "inactive"]
PoStatus = Literal["open", "closed", "cancelled"]


class Vendor(BaseModel):
    model_config = ConfigDict(frozen=True)

    vendor_id: str
    name: str
    aliases: tuple[str, ...] = ()
    tax_id: str | None = None
    iban: str | None = None
    bank_account: str | None = Field(default=None, description="domestic account number")
    routing_number: str | None = Field(default=None, description="US ABA routing number")
    sort_code: str | None = Field(default=None, description="UK sort code, six digits")
    bic: str | None = None
    currency: str
    payment_terms_days: int
    status: VendorStatus
    requires_po: bool

    @property
    def has_bank_details(self) -> bool:
        """Whether the master knows an account to pay this vendor to."""
        return bool(self.iban or self.bank_account)


class PoLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    line_no: int
    sku: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


class PurchaseOrder(BaseModel):
    model_config = ConfigDict(frozen=True)

    po_number: str
    vendor_id: str
    bill_to: str
    currency: str
    status: PoStatus
    po_date: date
    lines: tuple[PoLine, ...]

    @property
    def net_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


class GoodsReceipt(BaseModel):
    model_config = ConfigDict(frozen=True)

    receipt_id: str
    po_number: str
    line_no: int
    quantity_received: Decimal
    received_date: date


class MasterData(BaseModel):
    """A read-only snapshot of the ERP, indexed for the lookups rules make."""

    model_config = ConfigDict(frozen=True)

    vendors: dict[str, Vendor] = Field(default_factory=dict)
    purchase_orders: dict[str, PurchaseOrder] = Field(default_factory=dict)
    receipts: tuple[GoodsReceipt, ...] = ()

    @cached_property
    def _received(self) -> dict[tuple[str, int], Decimal]:
        totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        for receipt in self.receipts:
            totals[(receipt.po_number, receipt.line_no)] += receipt.quantity_received
        return dict(totals)

    def received_quantity(self, po_number: str, line_no: int) -> Decimal:
        return self._received.get((po_number, line_no), Decimal(0))

    @cached_property
    def legal_entities(self) -> tuple[str, ...]:
        """The buying entities, as the data set names them on its POs."""
        return tuple(sorted({po.bill_to for po in self.purchase_orders.values()}))
