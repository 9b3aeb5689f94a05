"""BANK_DETAILS_CHANGED: remit-to account differs from the vendor master.

Fires when: the invoice states an IBAN, the resolved vendor has an IBAN in the vendor master, and
the two differ when compared without spaces and case.
Why it matters: a changed remit-to account is the most common invoice fraud (a hijacked mailbox, a
forged invoice). Bank details change only through vendor master maintenance with a call-back to a
known contact, never because an invoice says so. The message masks both IBANs (first and last four
characters); the evidence keeps them in full.
Example: Lumen IT Consulting's master IBAN is NL91ABNA0417164300; invoice LIT-2026-131 asks for
payment to NL20 INGB 0001 2345 67: "The invoice asks for payment to IBAN NL20…4567, but the vendor
master has NL91…4300 for Lumen IT Consulting B.V.: verify by phone before paying".
Policy keys: none
Does not fire when: the vendor is unknown (UNKNOWN_VENDOR); the invoice states no IBAN; the master
has no IBAN for the vendor; the IBANs differ only in spaces or case. Only IBANs are read and
compared: other account formats (UK sort code and account number, US routing number) are not
checked.
"""

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
