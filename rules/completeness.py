"""Assess which facts the policy depends on were read from the document and confirmed.

A value counts as confirmed when it was read by code and grounded in the document text,
or — when the model picked it among candidates — when an independent check agrees
(arithmetic for the total, the vendor master's tax id for the vendor). The invoice number
and date have no independent check, so a model's pick of them stays unconfirmed and the
reviewer sees it as the model's pick.

A value read with the vendor's learned layout is confirmed by that vendor's own confirmed
invoices: it counts as confirmed only when it is grounded, it has the learned shape (the
layout reads nothing else), and the invoice is from the vendor the layout belongs to,
identified by its tax id. A total read that way must also add up, as a model's pick must.
"""

from __future__ import annotations

from decimal import Decimal

from models.completeness import Completeness, Fact, FactStatus
from models.invoice import FieldSource
from rules.base import RuleContext
from rules.scope import is_charge, line_scope

EXTRACTION = "EXTRACTION_UNVERIFIED"
LINES = "LINES_NOT_READ"
MODEL_PICK = "picked by the model among candidates; nothing independent confirms it"


def assess(ctx: RuleContext) -> Completeness:
    facts = [
        _vendor(ctx),
        _header(ctx, "invoice_number", "invoice number"),
        _header(ctx, "invoice_date", "invoice date"),
        _header(ctx, "currency", "currency"),
        _total(ctx),
    ]
    if ctx.invoice.po_number is not None:
        facts.append(_lines(ctx))
    return Completeness(facts=tuple(facts))


def _fact(name: str, label: str, status: FactStatus, detail: str = "",
          reported_by: str = EXTRACTION) -> Fact:
    return Fact(name=name, label=label, status=status, detail=detail, reported_by=reported_by)


def _read_status(ctx: RuleContext, name: str) -> tuple[FactStatus, str]:
    """Missing, ungrounded or confirmed, as extraction left the field."""
    value = getattr(ctx.invoice, name)
    reason = ctx.extraction.unverified.get(name)
    if value is None:
        if reason:
            return FactStatus.UNCONFIRMED, reason
        return FactStatus.MISSING, "not found on the document"
    if reason:
        return FactStatus.UNCONFIRMED, reason
    return FactStatus.CONFIRMED, ""


def _header(ctx: RuleContext, name: str, label: str) -> Fact:
    status, detail = _read_status(ctx, name)
    if status is FactStatus.CONFIRMED and ctx.extraction.sources.get(name) == FieldSource.MODEL:
        status, detail = FactStatus.UNCONFIRMED, f"'{getattr(ctx.invoice, name)}' {MODEL_PICK}"
    if status is FactStatus.CONFIRMED and ctx.extraction.sources.get(name) == FieldSource.LEARNED:
        status, detail = _learned(ctx, name)
    if status is FactStatus.CONFIRMED and name == "invoice_number":
        value = str(getattr(ctx.invoice, name))
        problem = _implausible_number(value, ctx.extraction.sources.get(name))
        if problem:
            status, detail = FactStatus.UNCONFIRMED, f"'{value}' {problem}"
    return _fact(name, label, status, detail)


_NUMBER_CHARS = frozenset("-/._ #:")


def _implausible_number(number: str, source: FieldSource | None) -> str | None:
    """Why an invoice number read from the page cannot be taken as confirmed, if it cannot.

    The duplicate check and the ERP key on this number: a damaged one ("INV-1??31") or one
    guessed by position (the first id near the title, no label: it may be a postcode) would
    let a re-sent invoice through as new, so a person confirms it.
    """
    odd = sorted({ch for ch in number if not (ch.isalnum() or ch in _NUMBER_CHARS)})
    if odd:
        return f"contains characters an invoice number does not have ({' '.join(odd)})"
    if source == FieldSource.LAYOUT:
        return "was taken by its position near the title, not from a label"
    return None


def _learned(ctx: RuleContext, name: str) -> tuple[FactStatus, str]:
    """A grounded value the vendor's learned layout read: confirmed if the layout is the
    invoice's own vendor's (identified by tax id)."""
    layout = ctx.extraction.layout
    vendor = ctx.match.vendor
    value = getattr(ctx.invoice, name)
    if layout is None or vendor.vendor is None or vendor.method != "tax_id":
        return FactStatus.UNCONFIRMED, (f"'{value}' read with a learned vendor layout, but the "
                                        f"vendor is not identified by its tax id")
    if vendor.vendor.vendor_id != layout.vendor_id:
        return FactStatus.UNCONFIRMED, (f"'{value}' read with the layout of vendor "
                                        f"{layout.vendor_id}, but the invoice is from "
                                        f"{vendor.vendor.vendor_id}")
    return FactStatus.CONFIRMED, f"read where {layout.vendor_id}'s confirmed invoices print it"


def _total(ctx: RuleContext) -> Fact:
    invoice = ctx.invoice
    status, detail = _read_status(ctx, "total")
    if status is not FactStatus.CONFIRMED or invoice.total is None:
        return _fact("total", "total amount", status, detail)
    source = ctx.extraction.sources.get("total")
    if source == FieldSource.LEARNED:
        status, detail = _learned(ctx, "total")
        if status is not FactStatus.CONFIRMED:
            return _fact("total", "total amount", status, detail)
    elif source != FieldSource.MODEL:
        return _fact("total", "total amount", status)
    tolerance = ctx.policy.tolerances.arithmetic
    lines_sum = sum((line.amount for line in invoice.lines), Decimal(0))
    bases = [b for b in (invoice.subtotal, lines_sum if invoice.lines else None) if b is not None]
    tax = invoice.tax or Decimal(0)
    how = "read with the learned layout" if source == FieldSource.LEARNED else "picked by the model"
    if any(abs(base + tax - invoice.total) <= tolerance for base in bases):
        return _fact("total", "total amount", FactStatus.CONFIRMED,
                     f"{how}, confirmed by the arithmetic")
    if source == FieldSource.LEARNED:
        return _fact("total", "total amount", FactStatus.UNCONFIRMED,
                     f"{invoice.total} {how}; nothing adds up to it")
    return _fact("total", "total amount", FactStatus.UNCONFIRMED, f"{invoice.total} {MODEL_PICK}")


def _vendor(ctx: RuleContext) -> Fact:
    """Identified by the tax id printed on the invoice; a name alone is not an identity."""
    match = ctx.match.vendor
    supplier = match.vendor
    if supplier is None:
        return _fact("vendor", "vendor", FactStatus.MISSING, "not in the vendor master",
                     reported_by="UNKNOWN_VENDOR")
    if match.method == "tax_id":
        return _fact("vendor", "vendor", FactStatus.CONFIRMED, "tax id matches the master")
    if supplier.tax_id is None and supplier.iban and ctx.invoice.iban and \
            _same_account(supplier.iban, ctx.invoice.iban):
        return _fact("vendor", "vendor", FactStatus.CONFIRMED,
                     "matched by name; the master has no tax id, the bank account agrees")
    printed = ctx.invoice.vendor_tax_id
    if supplier.tax_id is None:
        why = "the vendor master has no tax id for it and no bank account confirms it"
    elif printed:
        why = f"the tax id {printed} on the invoice is not the master's"
    else:
        why = "its tax id was not read"
    detail = f"matched by name only ('{ctx.invoice.vendor_name}'); {why}"
    return _fact("vendor", "vendor identity", FactStatus.UNCONFIRMED, detail)


def _same_account(left: str, right: str) -> bool:
    return "".join(left.split()).upper() == "".join(right.split()).upper()


def _lines(ctx: RuleContext) -> Fact:
    """A PO invoice is matched line by line: its lines must be read in full and add up."""
    invoice = ctx.invoice
    unread = sorted(key for key in ctx.extraction.unverified
                    if key == "lines" or key.startswith("lines["))
    if not invoice.lines:
        note = ctx.extraction.unverified.get("lines", "")
        return _fact("lines", "line items", FactStatus.MISSING,
                     "no line item could be read" + (f" ({note})" if note else ""),
                     reported_by=LINES)
    if unread:
        reasons = "; ".join(f"{key} {ctx.extraction.unverified[key]}" for key in unread)
        return _fact("lines", "line items", FactStatus.UNCONFIRMED,
                     f"not every line could be read: {reasons}", reported_by=LINES)
    tolerance = ctx.policy.tolerances.arithmetic
    lines_sum = sum((line.amount for line in invoice.lines), Decimal(0))
    if invoice.subtotal is not None:
        if abs(lines_sum - invoice.subtotal) > tolerance:
            return _fact("lines", "line items", FactStatus.UNCONFIRMED,
                         f"they add up to {lines_sum}, not to the subtotal {invoice.subtotal}",
                         reported_by="ARITHMETIC_ERROR")
    elif invoice.total is None or abs(lines_sum + (invoice.tax or 0) - invoice.total) > tolerance:
        return _fact("lines", "line items", FactStatus.UNCONFIRMED,
                     "no subtotal or total to check them against", reported_by=LINES)
    po = line_scope(ctx)
    if po is not None:
        keywords = ctx.policy.unplanned_charge_keywords
        stray = [m.line_index + 1 for m in ctx.match.lines
                 if m.po_line is None and not is_charge(invoice.lines[m.line_index].description,
                                                        keywords, invoice.lines[m.line_index].sku)]
        if stray:
            return _fact("lines", "line items", FactStatus.UNCONFIRMED,
                         f"line(s) {', '.join(map(str, stray))} match no line of PO "
                         f"{po.po_number}", reported_by="UNMATCHED_LINE")
    return _fact("lines", "line items", FactStatus.CONFIRMED)
