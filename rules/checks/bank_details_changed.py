"""BANK_DETAILS_CHANGED: remit-to account differs from the vendor master.

Fires when: the vendor is resolved and an account the invoice asks to be paid to differs from the
vendor master. Accounts are read only from the payment (remit-to) part of the document
(extractors/bank.py: a "Bank details" / "Remit to" / "Bankverbindung" block or an IBAN, BIC,
routing or sort code label), never from the bill-to or ship-to block or a line about the
customer's own account. Each account is compared identifier by identifier, compacted (no spaces,
case or separators): the IBAN with the master's IBAN (a UK or Irish IBAN with the master's sort
code and account number when it has no IBAN); without an IBAN, the account number (leading zeros
aside), the UK sort code and the US ABA routing number with the master's (a UK or Irish master
IBAN supplies sort code and account number); the BIC on its first eight characters. It differs
when any identifier both sides have differs, or when no identifier could be compared at all while
the invoice names an account (an IBAN or account number) and the master has one (IBAN or account
number) for the vendor. One finding lists every changed account.
Why it matters: a changed remit-to account is the most common invoice fraud (a hijacked mailbox, a
forged invoice). Bank details change only through vendor master maintenance with a call-back to a
known contact, never because an invoice says so. The message masks IBANs and account numbers
longer than eight characters (first and last four); the evidence keeps them in full.
Example: Lumen IT Consulting's master IBAN is NL91ABNA0417164300; invoice LIT-2026-131 asks for
payment to NL20 INGB 0001 2345 67, BIC INGBNL2A: "The invoice asks for payment to IBAN NL20…4567,
BIC INGBNL2A, but the vendor master has IBAN NL91…4300 for Lumen IT Consulting B.V.: verify by
phone before paying". A US vendor on file with routing 021000021 and account 4401556789 asks in its
"Remit to" block for routing 026009593, account 8812345670: "The invoice asks for payment to
routing 026009593, account 8812…5670, but the vendor master has routing 021000021, account
4401…6789 for Harbor Packaging Co: verify by phone before paying".
Policy keys: none
Does not fire when: the vendor is unknown (UNKNOWN_VENDOR); the invoice prints no bank details in
its payment part (an IBAN in the bill-to block or one for a direct debit is not read); every
identifier both sides have agrees, apart from spaces, case, an account number's leading zeros or a
BIC's branch code; nothing can be compared and the master has no account (IBAN or account number)
for the vendor, or the invoice names none (a BIC or a routing number alone names a bank, not an
account).
"""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from models.invoice import BankAccount
from models.master import Vendor
from rules.base import RuleContext
from rules.matching.text import compact
from rules.scope import vendor

PATTERN = "BANK_DETAILS_CHANGED"

# Countries whose IBAN is the domestic sort code and account number: GBkk BBBB SSSSSS AAAAAAAA.
_SORT_CODE_IBANS = ("GB", "IE")


def _masked(value: str) -> str:
    bare = compact(value)
    return f"{bare[:4]}…{bare[-4:]}" if len(bare) > 8 else bare


def _account_key(value: str) -> str:
    """An account number compared without separators or leading zeros."""
    return compact(value).lstrip("0")


def _domestic(iban: str) -> tuple[str, str] | None:
    """(sort code, account number) inside a UK or Irish IBAN."""
    bare = compact(iban)
    if bare[:2] in _SORT_CODE_IBANS and len(bare) == 22:
        return bare[8:14], bare[14:]
    return None


def _comparisons(printed: BankAccount, master: Vendor) -> list[bool]:
    """Whether each identifier the invoice and the master both have is the same."""
    same: list[bool] = []
    master_domestic = _domestic(master.iban) if master.iban else None
    if printed.iban:
        printed_domestic = _domestic(printed.iban)
        if master.iban:
            same.append(compact(printed.iban) == compact(master.iban))
        elif printed_domestic and master.sort_code and master.bank_account:
            same.append(printed_domestic[0] == compact(master.sort_code))
            same.append(_account_key(printed_domestic[1]) == _account_key(master.bank_account))
    else:
        if printed.account_number:
            master_account = master.bank_account or (master_domestic or ("", ""))[1]
            if master_account:
                same.append(_account_key(printed.account_number) == _account_key(master_account))
        if printed.sort_code:
            master_sort = master.sort_code or (master_domestic or ("", ""))[0]
            if master_sort:
                same.append(compact(printed.sort_code) == compact(master_sort))
        if printed.routing_number and master.routing_number:
            same.append(compact(printed.routing_number) == compact(master.routing_number))
    if printed.bic and master.bic:
        same.append(compact(printed.bic)[:8] == compact(master.bic)[:8])
    return same


def _describe(account: BankAccount) -> str:
    parts = []
    if account.iban:
        parts.append(f"IBAN {_masked(account.iban)}")
    if account.routing_number:
        parts.append(f"routing {account.routing_number}")
    if account.sort_code:
        parts.append(f"sort code {account.sort_code}")
    if account.account_number:
        parts.append(f"account {_masked(account.account_number)}")
    if account.bic:
        parts.append(f"BIC {account.bic}")
    return ", ".join(parts)


def _on_file(master: Vendor) -> str:
    on_file = BankAccount(
        iban=master.iban,
        account_number=master.bank_account,
        routing_number=master.routing_number,
        sort_code=master.sort_code,
        bic=master.bic,
    )
    return _describe(on_file) or "no bank details"


def check(ctx: RuleContext) -> Iterator[Finding]:
    """The most common invoice fraud is a changed remit-to account. Bank details change
    only through vendor master maintenance (with a call-back), never via an invoice.
    Every account printed in the invoice's payment details (IBAN; US routing and account
    number; UK sort code and account number; BIC) is compared with the vendor master,
    identifiers compacted: it differs when an identifier both sides have differs, or when
    it names an account (IBAN or account number) of which the master has nothing
    comparable although the master has bank details for the vendor. A BIC is compared on
    its first eight characters (bank, country, location), a UK or Irish IBAN also with a
    sort code and account number on file."""
    supplier = vendor(ctx)
    if supplier is None:
        return
    changed: list[BankAccount] = []
    for account in ctx.invoice.remit_to():
        same = _comparisons(account, supplier)
        unknown = not same and account.names_an_account and supplier.has_bank_details
        if unknown or not all(same):
            changed.append(account)
    if not changed:
        return
    printed = "; ".join(_describe(account) for account in changed)
    ibans = [compact(account.iban) for account in changed if account.iban]
    accounts = [compact(account.account_number) for account in changed if account.account_number]
    yield ctx.finding(
        f"The invoice asks for payment to {printed}, but the vendor master has "
        f"{_on_file(supplier)} for {supplier.name}: verify by phone before paying",
        amount=ctx.invoice.total,
        invoice_iban="; ".join(ibans) or None,
        invoice_account="; ".join(accounts) or None,
        master_iban=compact(supplier.iban) if supplier.iban else None,
        master_account=compact(supplier.bank_account) if supplier.bank_account else None,
        vendor_id=supplier.vendor_id,
    )
