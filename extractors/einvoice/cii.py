"""UN/CEFACT Cross Industry Invoice: ZUGFeRD 1 (and its release candidate), ZUGFeRD 2.x,
Factur-X and XRechnung-CII, every profile from MINIMUM to EXTENDED.

ZUGFeRD 1 names the header blocks differently (HeaderExchangedDocument,
ApplicableSupplyChainTradeAgreement, …) and the tax rate ApplicablePercent; each step below
lists both names, so one reader serves both structures.
"""

from __future__ import annotations

from decimal import Decimal

from extractors.einvoice.finish import CREDIT_NOTE_CODES, finish
from extractors.einvoice.lines import charge_line, make_line, per_unit
from extractors.einvoice.model import EInvoice, TaxGroup
from extractors.einvoice.xmltree import (
    Node,
    cii_date,
    decimal_at,
    find,
    find_all,
    node_text,
    text,
    to_decimal,
)
from models.invoice import InvoiceDocument, InvoiceLine

_RATE = "RateApplicablePercent|ApplicablePercent"
# EXTENDED profile: sub-lines already counted in their group line, and lines for
# information only; neither is billed on its own.
_NOT_BILLED = {"DETAIL", "INFORMATION"}


def read_cii(root: Node) -> EInvoice:
    """The invoice of a CII document (root CrossIndustryInvoice or CrossIndustryDocument)."""
    context = find(root, "ExchangedDocumentContext|SpecifiedExchangedDocumentContext")
    header = find(root, "ExchangedDocument|HeaderExchangedDocument")
    trade = find(root, "SupplyChainTradeTransaction|SpecifiedSupplyChainTradeTransaction")
    agreement = find(trade, "ApplicableHeaderTradeAgreement|ApplicableSupplyChainTradeAgreement")
    settlement = find(trade, "ApplicableHeaderTradeSettlement|ApplicableSupplyChainTradeSettlement")
    seller = find(agreement, "SellerTradeParty")
    totals = find(
        settlement,
        "SpecifiedTradeSettlementHeaderMonetarySummation|SpecifiedTradeSettlementMonetarySummation",
    )
    grand_total = find(totals, "GrandTotalAmount")
    currency = text(settlement, "InvoiceCurrencyCode") or (
        grand_total.get("currencyID") if grand_total is not None else None
    )
    breakdown = [_tax_group(node) for node in find_all(settlement, "ApplicableTradeTax")]
    terms = find_all(settlement, "SpecifiedTradePaymentTerms")
    type_code = text(header, "TypeCode")

    invoice = InvoiceDocument(
        vendor_name=text(seller, "Name"),
        vendor_tax_id=_tax_id(seller),
        iban=_iban(settlement),
        invoice_number=text(header, "ID"),
        invoice_date=cii_date(find(header, "IssueDateTime"), "issue date"),
        due_date=next(
            (
                due
                for term in terms
                if (due := cii_date(find(term, "DueDateDateTime"), "due date")) is not None
            ),
            None,
        ),
        po_number=text(agreement, "BuyerOrderReferencedDocument", "IssuerAssignedID|ID"),
        currency=currency,
        bill_to=text(agreement, "BuyerTradeParty", "Name"),
        lines=_lines(trade) + _charges(settlement),
        subtotal=_or_sum(
            decimal_at(totals, "TaxBasisTotalAmount", what="net total"),
            [group.basis for group in breakdown],
        ),
        tax=_or_sum(_tax_total(totals, currency), [group.tax for group in breakdown]),
        total=to_decimal(grand_total, "grand total"),
    )
    return finish(
        invoice,
        syntax="CII",
        profile=text(context, "GuidelineSpecifiedDocumentContextParameter", "ID"),
        type_code=type_code,
        credit_note=type_code in CREDIT_NOTE_CODES,
        breakdown=breakdown,
        terms_text=" ".join(filter(None, (text(term, "Description") for term in terms))),
    )


def _tax_id(party: Node | None) -> str | None:
    """The VAT id (scheme VA), else the local tax number (scheme FC)."""
    registrations = find_all(party, "SpecifiedTaxRegistration", "ID")
    for scheme in ("VA", "FC"):
        for node in registrations:
            value = node_text(node)
            if node.get("schemeID") == scheme and value:
                return value
    return None


def _iban(settlement: Node | None) -> str | None:
    """The payee's IBAN from the first payment means that states one."""
    value = text(
        settlement,
        "SpecifiedTradeSettlementPaymentMeans",
        "PayeePartyCreditorFinancialAccount",
        "IBANID",
    )
    return value.replace(" ", "").upper() if value else None


def _tax_total(totals: Node | None, currency: str | None) -> Decimal | None:
    """The tax total in the invoice currency: with a separate VAT accounting currency the
    XML states it twice, once per currency."""
    amounts = find_all(totals, "TaxTotalAmount")
    for wanted in (currency, None):
        for node in amounts:
            value = to_decimal(node, "tax total")
            if node.get("currencyID") == wanted and value is not None:
                return value
    if len(amounts) == 1 and currency is None:
        return to_decimal(amounts[0], "tax total")
    return None


def _or_sum(value: Decimal | None, parts: list[Decimal]) -> Decimal | None:
    """`value`, else the sum of the VAT breakdown rows it totals (when there are any)."""
    if value is not None or not parts:
        return value
    return sum(parts, Decimal(0))


def _tax_group(node: Node) -> TaxGroup:
    return TaxGroup(
        rate=decimal_at(node, _RATE, what="tax rate"),
        basis=_zero_if_none(decimal_at(node, "BasisAmount", what="taxable amount")),
        tax=_zero_if_none(decimal_at(node, "CalculatedAmount", what="tax amount")),
        category=text(node, "CategoryCode"),
    )


def _charges(settlement: Node | None) -> list[InvoiceLine]:
    """Document-level allowances and charges, and ZUGFeRD's logistics service charges."""
    lines: list[InvoiceLine] = []
    for number, node in enumerate(find_all(settlement, "SpecifiedTradeAllowanceCharge"), 1):
        indicator = text(node, "ChargeIndicator", "Indicator") or ""
        lines.append(
            charge_line(
                number,
                charge=indicator.strip().lower() in ("true", "1"),
                amount=decimal_at(node, "ActualAmount", what="allowance or charge amount"),
                reason=text(node, "Reason"),
                tax_rate=decimal_at(node, "CategoryTradeTax", _RATE, what="tax rate"),
            )
        )
    for number, node in enumerate(find_all(settlement, "SpecifiedLogisticsServiceCharge"), 1):
        lines.append(
            charge_line(
                number,
                charge=True,
                amount=decimal_at(node, "AppliedAmount", what="logistics charge amount"),
                reason=text(node, "Description"),
                tax_rate=decimal_at(node, "AppliedTradeTax", _RATE, what="tax rate"),
            )
        )
    return lines


def _zero_if_none(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def _lines(trade: Node | None) -> list[InvoiceLine]:
    lines: list[InvoiceLine] = []
    for number, item in enumerate(find_all(trade, "IncludedSupplyChainTradeLineItem"), 1):
        document = find(item, "AssociatedDocumentLineDocument")
        if (text(document, "LineStatusReasonCode") or "").upper() in _NOT_BILLED:
            continue
        agreement = find(item, "SpecifiedLineTradeAgreement|SpecifiedSupplyChainTradeAgreement")
        delivery = find(item, "SpecifiedLineTradeDelivery|SpecifiedSupplyChainTradeDelivery")
        settlement = find(item, "SpecifiedLineTradeSettlement|SpecifiedSupplyChainTradeSettlement")
        product = find(item, "SpecifiedTradeProduct")
        net = find(agreement, "NetPriceProductTradePrice")
        lines.append(
            make_line(
                number,
                description=text(product, "Name") or text(product, "Description"),
                sku=text(product, "SellerAssignedID"),
                quantity=decimal_at(delivery, "BilledQuantity", what="quantity"),
                unit_price=per_unit(
                    decimal_at(net, "ChargeAmount", what="net price"),
                    decimal_at(net, "BasisQuantity", what="price basis quantity"),
                ),
                amount=decimal_at(
                    settlement,
                    "SpecifiedTradeSettlementLineMonetarySummation"
                    "|SpecifiedTradeSettlementMonetarySummation",
                    "LineTotalAmount",
                    what="line net amount",
                ),
                tax_rate=decimal_at(settlement, "ApplicableTradeTax", _RATE, what="tax rate"),
            )
        )
    return lines
