"""BANK_DETAILS_CHANGED: the invoice asks for payment to another account than the master's."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.matching.text import compact
from rules.scope import vendor

PATTERN = "BANK_DETAILS_CHANGED"


def _masked(iban: str) -> str:
    bare = compact(iban)
    return f"{bare[:4]}…{bare[-4:]}" if len(bare) > 8 else bare


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The most common invoice fraud is a changed remit-to account. Bank details change
    only through vendor master maintenance (with a call-back), never via an invoice.
    IBANs are compared without spaces and case."""
    supplier = vendor(ctx)
    stated = ctx.invoice.iban
    if supplier is None or not stated or not supplier.iban:
        return
    if compact(stated) == compact(supplier.iban):
        return
    yield ctx.finding(
        f"The invoice asks for payment to IBAN {_masked(stated)}, but the vendor master "
        f"has {_masked(supplier.iban)} for {supplier.name}: verify by phone before paying",
        amount=ctx.invoice.total,
        invoice_iban=compact(stated),
        master_iban=compact(supplier.iban),
        vendor_id=supplier.vendor_id,
    )
