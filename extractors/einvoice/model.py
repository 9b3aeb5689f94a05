"""What an e-invoice reader returns: APX's invoice plus what only the XML knows."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.invoice import InvoiceDocument


class TaxGroup(BaseModel):
    """One VAT breakdown row (BG-23): rules compare tax per rate group, not only in total."""

    model_config = ConfigDict(frozen=True)

    rate: Decimal | None = Field(description="percent, e.g. 19; None if the XML states none")
    basis: Decimal = Field(description="net amount taxed at this rate")
    tax: Decimal = Field(description="tax amount of this group, in the invoice currency")
    category: str | None = Field(
        default=None, description="VAT category code (S, Z, E, AE, K, G, O, L, M)"
    )


class EInvoice(BaseModel):
    """An invoice read from its structured XML: no model call, no layout guessing."""

    invoice: InvoiceDocument
    syntax: Literal["CII", "UBL"]
    profile: str | None = Field(
        default=None, description="guideline / customization id, e.g. urn:cen.eu:en16931:2017"
    )
    type_code: str | None = Field(
        default=None, description="UNTDID 1001 document type: 380 invoice, 381 credit note, …"
    )
    tax_breakdown: list[TaxGroup] = Field(default_factory=list)
    attachment_name: str | None = Field(
        default=None, description="file name of the PDF attachment the XML came from"
    )
