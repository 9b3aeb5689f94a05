"""One invoice line from the XML's price, quantity and net amount, shared by both syntaxes."""

from __future__ import annotations

from decimal import Decimal

from extractors.einvoice.errors import invalid
from models.invoice import InvoiceLine

_PRICE_PLACES = Decimal("0.000001")


def per_unit(price: Decimal | None, basis: Decimal | None) -> Decimal | None:
    """Net price of ONE unit: the XML may quote a price per 100 or per 1000 units
    (BasisQuantity / BaseQuantity), which APX compares with PO unit prices."""
    if price is None or basis is None or basis in (0, 1):
        return price
    value = price / basis
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        value = value.quantize(_PRICE_PLACES)
    return value


def make_line(
    number: int,
    *,
    description: str | None,
    sku: str | None,
    quantity: Decimal | None,
    unit_price: Decimal | None,
    amount: Decimal | None,
    tax_rate: Decimal | None,
) -> InvoiceLine:
    """The line, completing a missing price or amount from the other two values; a line
    without quantity cannot be matched to a PO and makes the XML invalid."""
    if quantity is None:
        raise invalid(f"invoice line {number} states no quantity.")
    if amount is None and unit_price is not None:
        amount = quantity * unit_price
    if unit_price is None and amount is not None and quantity != 0:
        unit_price = per_unit(amount, quantity)
    if amount is None or unit_price is None:
        raise invalid(f"invoice line {number} states neither a price nor a net amount.")
    return InvoiceLine(
        description=description or "",
        sku=sku,
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
        tax_rate=tax_rate,
    )


def charge_line(
    number: int,
    *,
    charge: bool,
    amount: Decimal | None,
    reason: str | None,
    tax_rate: Decimal | None,
) -> InvoiceLine:
    """A document-level allowance (negative) or charge (positive) as a line of its own.

    The XML's net total includes them (net = lines - allowances + charges), and APX's
    InvoiceDocument has no other place for them: as lines, the lines still add up to the
    subtotal, and a freight charge is visible to the rules like any other charge line.
    """
    kind = "charge" if charge else "allowance"
    if amount is None:
        raise invalid(f"document-level {kind} {number} states no amount.")
    signed = amount if charge else -amount
    return InvoiceLine(
        description=reason or f"{kind.capitalize()} (document level)",
        sku=None,
        quantity=Decimal(1),
        unit_price=signed,
        amount=signed,
        tax_rate=tax_rate,
    )
