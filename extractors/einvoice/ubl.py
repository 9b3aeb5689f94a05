"""OASIS UBL 2.1 Invoice and CreditNote, as in XRechnung-UBL and PEPPOL BIS Billing 3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from extractors.einvoice.finish import CREDIT_NOTE_CODES, finish
from extractors.einvoice.lines import charge_line, make_line, per_unit
from extractors.einvoice.model import EInvoice, TaxGroup
from extractors.einvoice.xmltree import (
    Node,
    decimal_at,
    find,
    find_all,
    local_name,
    parse_date,
    text,
    to_decimal,
)
from models.invoice import InvoiceDocument, InvoiceLine


def read_ubl(root: Node) -> EInvoice:
    """The invoice of a UBL Invoice or CreditNote document."""
    credit_root = local_name(root) == "CreditNote"
    currency = text(root, "DocumentCurrencyCode")
    seller = find(root, "AccountingSupplierParty", "Party")
    buyer = find(root, "AccountingCustomerParty", "Party")
    tax_total = _tax_total(root, currency)
    breakdown = [_tax_group(node) for node in find_all(tax_total, "TaxSubtotal")]
    totals = find(root, "LegalMonetaryTotal")
    type_code = text(root, "InvoiceTypeCode|CreditNoteTypeCode")

    invoice = InvoiceDocument(
        vendor_name=_party_name(seller),
        vendor_tax_id=_tax_id(seller),
        iban=_iban(root),
        invoice_number=text(root, "ID"),
        invoice_date=_date(text(root, "IssueDate"), "issue date"),
        # Invoice: cbc:DueDate; CreditNote (and UBL 2.0): PaymentMeans/PaymentDueDate.
        due_date=_date(
            text(root, "DueDate") or text(root, "PaymentMeans", "PaymentDueDate"), "due date"
        ),
        po_number=text(root, "OrderReference", "ID"),
        currency=currency,
        bill_to=_party_name(buyer),
        lines=_lines(root) + _charges(root),
        subtotal=decimal_at(totals, "TaxExclusiveAmount", what="net total"),
        tax=to_decimal(find(tax_total, "TaxAmount"), "tax total"),
        total=decimal_at(totals, "TaxInclusiveAmount", what="grand total"),
    )
    return finish(
        invoice,
        syntax="UBL",
        profile=text(root, "CustomizationID"),
        type_code=type_code,
        credit_note=credit_root or type_code in CREDIT_NOTE_CODES,
        breakdown=breakdown,
        terms_text=" ".join(
            filter(None, (text(node, "Note") for node in find_all(root, "PaymentTerms")))
        ),
    )


def _date(raw: str | None, what: str) -> date | None:
    return None if raw is None else parse_date(raw, None, what)


def _party_name(party: Node | None) -> str | None:
    """The legal name (BT-27 / BT-44), else the trading name."""
    return text(party, "PartyLegalEntity", "RegistrationName") or text(party, "PartyName", "Name")


def _tax_id(party: Node | None) -> str | None:
    """The VAT id (tax scheme VAT), else another tax registration (e.g. a local tax number)."""
    schemes = find_all(party, "PartyTaxScheme")
    vat = [node for node in schemes if (text(node, "TaxScheme", "ID") or "").upper() == "VAT"]
    for node in vat + [node for node in schemes if node not in vat]:
        value = text(node, "CompanyID")
        if value:
            return value
    return None


def _iban(root: Node) -> str | None:
    """The payee account of the first payment means that states one."""
    value = text(root, "PaymentMeans", "PayeeFinancialAccount", "ID")
    return value.replace(" ", "").upper() if value else None


def _tax_total(root: Node, currency: str | None) -> Node | None:
    """The TaxTotal in the document currency (a second one may state the VAT in the tax
    accounting currency, without breakdown)."""
    totals = find_all(root, "TaxTotal")
    for total in totals:
        amount = find(total, "TaxAmount")
        if amount is not None and amount.get("currencyID") in (currency, None):
            return total
    return totals[0] if totals and currency is None else None


def _tax_group(node: Node) -> TaxGroup:
    return TaxGroup(
        rate=decimal_at(node, "TaxCategory", "Percent", what="tax rate"),
        basis=decimal_at(node, "TaxableAmount", what="taxable amount") or Decimal(0),
        tax=decimal_at(node, "TaxAmount", what="tax amount") or Decimal(0),
        category=text(node, "TaxCategory", "ID"),
    )


def _lines(root: Node) -> list[InvoiceLine]:
    lines: list[InvoiceLine] = []
    for number, line in enumerate(find_all(root, "InvoiceLine|CreditNoteLine"), 1):
        item = find(line, "Item")
        price = find(line, "Price")
        lines.append(
            make_line(
                number,
                description=text(item, "Name") or text(item, "Description"),
                sku=text(item, "SellersItemIdentification", "ID"),
                quantity=decimal_at(line, "InvoicedQuantity|CreditedQuantity", what="quantity"),
                unit_price=per_unit(
                    decimal_at(price, "PriceAmount", what="net price"),
                    decimal_at(price, "BaseQuantity", what="price base quantity"),
                ),
                amount=decimal_at(line, "LineExtensionAmount", what="line net amount"),
                tax_rate=decimal_at(item, "ClassifiedTaxCategory", "Percent", what="tax rate"),
            )
        )
    return lines


def _charges(root: Node) -> list[InvoiceLine]:
    """Document-level allowances and charges (cac:AllowanceCharge directly under the root)."""
    return [
        charge_line(
            number,
            charge=(text(node, "ChargeIndicator") or "").lower() in ("true", "1"),
            amount=decimal_at(node, "Amount", what="allowance or charge amount"),
            reason=text(node, "AllowanceChargeReason"),
            tax_rate=decimal_at(node, "TaxCategory", "Percent", what="tax rate"),
        )
        for number, node in enumerate(find_all(root, "AllowanceCharge"), 1)
    ]
