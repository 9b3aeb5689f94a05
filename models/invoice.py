"""The validated invoice as extracted from a document, and where each value came from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.keys import compact
from models.layouts import LayoutUse


class InvoiceLine(BaseModel):
    description: str
    sku: str | None = None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    tax_rate: Decimal | None = Field(default=None, description="percent, e.g. 19 for 19 %")


class BankAccount(BaseModel):
    """An account printed in the payment (remit-to) part of a document, compacted: IBAN, or a
    domestic account (US ABA routing + account number, UK sort code + account number), with
    the bank's BIC when printed."""

    model_config = ConfigDict(frozen=True)

    iban: str | None = None
    bic: str | None = None
    account_number: str | None = None
    routing_number: str | None = Field(default=None, description="US ABA routing number")
    sort_code: str | None = Field(default=None, description="UK sort code, six digits")

    @property
    def names_an_account(self) -> bool:
        """An IBAN or an account number (a BIC or a routing number alone names a bank)."""
        return bool(self.iban or self.account_number)


class InvoiceDocument(BaseModel):
    """An invoice's header, lines and totals. Every value here was grounded in the document."""

    vendor_name: str | None = None
    vendor_tax_id: str | None = None
    iban: str | None = None
    """The first IBAN of `bank_accounts` (kept for readers that know only IBANs)."""
    bank_accounts: list[BankAccount] = Field(
        default_factory=list, description="accounts printed in the payment / remit-to details"
    )
    invoice_number: str | None = None
    invoice_date: date | None = None
    due_date: date | None = None
    payment_terms_days: int | None = None
    po_number: str | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code")
    bill_to: str | None = None
    lines: list[InvoiceLine] = Field(default_factory=list)
    subtotal: Decimal | None = None
    tax: Decimal | None = None
    tax_rate: Decimal | None = Field(default=None, description="header tax rate in percent")
    total: Decimal | None = None
    adjustments: Decimal | None = Field(
        default=None,
        description="net of the discounts and charges printed in the totals block (not as "
        "item lines) that bridge the lines' sum and the subtotal, or the subtotal and the total",
    )

    def remit_to(self) -> list[BankAccount]:
        """Every account the invoice asks to be paid to: `bank_accounts`, and `iban` if it is
        not among them (an invoice built with an IBAN only)."""
        accounts = list(self.bank_accounts)
        if self.iban and not any(_same_iban(self.iban, a.iban) for a in accounts):
            accounts.insert(0, BankAccount(iban=compact(self.iban)))
        return accounts


def _same_iban(a: str, b: str | None) -> bool:
    return b is not None and compact(a) == compact(b)


class FieldSource(StrEnum):
    """Provenance of an extracted value, recorded for the auditor."""

    LABEL = "label"  # found next to a label such as "Invoice No."
    TABLE = "table"  # read from the line-item table
    LAYOUT = "layout"  # position on the page (letterhead, address block)
    ARITHMETIC = "arithmetic"  # the only reading that makes the totals add up
    MODEL = "model"  # chosen by the model among candidates found in the document
    XML = "xml"  # embedded e-invoice
    LEARNED = "learned"  # where the vendor's confirmed invoices print it (a learned layout)


class FieldLocation(BaseModel):
    """Where on the page a value was read (points, `top` grows downwards) and its label."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    label: str | None = None  # the printed label that named the value, if any


class Extraction(BaseModel):
    """The extract stage's output: the invoice plus how much of it can be trusted."""

    invoice: InvoiceDocument
    sources: dict[str, FieldSource] = Field(default_factory=dict)
    locations: dict[str, FieldLocation] = Field(
        default_factory=dict, description="field -> where it is printed (deterministic reads)"
    )
    unverified: dict[str, str] = Field(
        default_factory=dict, description="field -> why it could not be grounded or confirmed"
    )
    model_calls: int = 0
    discrepancies: dict[str, str] = Field(
        default_factory=dict,
        description="field -> how the printed page contradicts the embedded e-invoice XML",
    )
    layout: LayoutUse | None = None
    """The vendor's learned layout, when one was offered: what it read, what it missed."""
