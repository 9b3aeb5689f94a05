"""Bank details: read only from the payment / remit-to part, IBAN or not, and compared with
the vendor master (BANK_DETAILS_CHANGED) — issue 11."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from erp.csv_master import MasterDataError, load_vendors
from extractors.extract import extract_invoice
from extractors.pdf import parse_pdf
from models.invoice import BankAccount, InvoiceDocument
from rules.checks import bank_details_changed
from tests.extractor_pdfs import Text, make_pdf
from tests.factories import context, invoice, master, other_vendor, run, vendor

US_ROUTING, US_ACCOUNT = "041001039", "359681204417"
VENDOR_IBAN = "GB82 WEST 1234 5698 7654 32"  # the factories' vendor master IBAN
CUSTOMER_IBAN = "DE89 3704 0044 0532 0130 00"


def _letterhead() -> list[Text]:
    """The factories' vendor (Acme, VAT GB123456789) billing the factories' buyer."""
    return [
        (50, 60, "Acme Office Supplies Ltd", 18, "Helvetica-Bold"),
        (50, 78, "12 Harbour Road, Bristol BS1 4QA"),
        (50, 91, "VAT No: GB123456789"),
        (545, 60, ">INVOICE", 20, "Helvetica-Bold"),
        (380, 110, "Invoice No:"),
        (460, 110, "INV-2026-0042"),
        (380, 124, "Invoice Date:"),
        (460, 124, "10 November 2026"),
        (380, 138, "PO Number:"),
        (460, 138, "PO-1001"),
        (50, 120, "Bill to:", 10, "Helvetica-Bold"),
        (50, 134, "APX Demo GmbH"),
        (50, 147, "Musterstrasse 1, 10115 Berlin"),
        (440, 260, ">Subtotal"),
        (545, 260, ">750.00"),
        (440, 276, ">VAT 19%"),
        (545, 276, ">142.50"),
        (440, 292, ">Total due EUR"),
        (545, 292, ">892.50"),
    ]


def _accounts(tmp_path: Path, items: Sequence[Text]) -> InvoiceDocument:
    doc = parse_pdf(make_pdf(tmp_path / "bank.pdf", [[*_letterhead(), *items]]), "sha")
    return extract_invoice(doc, None, mode="never").invoice


def _dump(accounts: list[BankAccount]) -> list[dict[str, object]]:
    return [account.model_dump(exclude_none=True) for account in accounts]


# -- reading ----------------------------------------------------------------------------------


def test_us_routing_and_account_are_read_from_the_remit_to_line(tmp_path: Path) -> None:
    inv = _accounts(tmp_path, [
        (50, 700, f"Remit to: Acme Office Supplies Ltd · KeyBank N.A. · ABA routing "
                  f"{US_ROUTING} · Account {US_ACCOUNT}"),
    ])
    assert _dump(inv.bank_accounts) == [
        {"routing_number": US_ROUTING, "account_number": US_ACCOUNT}
    ]
    assert inv.iban is None


def test_an_iban_in_the_bill_to_block_is_not_the_remit_to(tmp_path: Path) -> None:
    customer: list[Text] = [(50, 160, f"IBAN: {CUSTOMER_IBAN}"), (50, 173, "VAT: DE811234567")]
    inv = _accounts(tmp_path, customer)
    assert inv.bank_accounts == [] and inv.iban is None
    footer: list[Text] = [
        (50, 700, "Bank details", 10, "Helvetica-Bold"),
        (50, 714, f"IBAN {VENDOR_IBAN}"),
        (50, 727, "BIC WESTGB2L"),
    ]
    inv = _accounts(tmp_path, customer + footer)
    assert _dump(inv.bank_accounts) == [{"iban": "GB82WEST12345698765432", "bic": "WESTGB2L"}]
    assert inv.iban == "GB82WEST12345698765432"


def test_lines_under_a_customer_account_heading_are_not_the_remit_to(tmp_path: Path) -> None:
    customer: list[Text] = [
        (50, 180, "Ihre Bankverbindung (für Gutschriften):"),
        (50, 193, f"IBAN {CUSTOMER_IBAN}"),
    ]
    footer: list[Text] = [
        (50, 700, "Bankverbindung", 10, "Helvetica-Bold"),
        (50, 714, f"IBAN {VENDOR_IBAN}"),
    ]
    inv = _accounts(tmp_path, customer + footer)
    assert _dump(inv.bank_accounts) == [{"iban": "GB82WEST12345698765432"}]


def test_uk_sort_code_and_account_number_under_a_heading(tmp_path: Path) -> None:
    inv = _accounts(tmp_path, [
        (50, 690, "Payment details", 10, "Helvetica-Bold"),
        (50, 704, "Account name: Acme Office Supplies Ltd"),
        (50, 717, "Sort code: 60-16-13"),
        (50, 730, "Account number: 31926819"),
        (50, 760, "Payment terms: 30 days"),
    ])
    assert _dump(inv.bank_accounts) == [{"account_number": "31926819", "sort_code": "601613"}]


@pytest.mark.parametrize(
    ("heading", "line"),
    [
        ("Bankverbindung", "Sparkasse Bremen · Kontonummer 1234567890"),
        ("Coordonnées bancaires", "Compte n° 0001012345695 · SWIFT BNPAFRPP"),
        ("Datos bancarios", "Número de cuenta: 0049 1500 0512 3456"),
    ],
    ids=["de", "fr", "es"],
)
def test_payment_headings_in_other_languages(tmp_path: Path, heading: str, line: str) -> None:
    inv = _accounts(tmp_path, [(50, 700, heading, 10, "Helvetica-Bold"), (50, 714, line)])
    [account] = inv.bank_accounts
    assert account.account_number is not None and len(account.account_number) >= 10


def test_customer_numbers_and_direct_debits_are_not_remit_to_accounts(tmp_path: Path) -> None:
    inv = _accounts(tmp_path, [
        (380, 152, "Account No: 40872"),  # the customer's account with the vendor
        (50, 700, f"The amount will be collected by direct debit from IBAN {CUSTOMER_IBAN}."),
        (50, 714, f"Der Betrag wird per SEPA-Lastschrift von IBAN {CUSTOMER_IBAN} abgebucht."),
    ])
    assert inv.bank_accounts == [] and inv.iban is None


def test_an_account_label_outside_the_payment_part_is_not_read(tmp_path: Path) -> None:
    inv = _accounts(tmp_path, [(50, 700, "Account 123456789 is your customer reference")])
    assert inv.bank_accounts == []


# -- comparing --------------------------------------------------------------------------------


def _us_vendor(**update: object):
    return vendor(iban=None, routing_number=US_ROUTING, bank_account=US_ACCOUNT, **update)


def _us_invoice(routing: str = US_ROUTING, account: str = US_ACCOUNT) -> InvoiceDocument:
    printed = BankAccount(routing_number=routing, account_number=account)
    return invoice(iban=None, bank_accounts=[printed])


def test_us_account_is_compared_with_the_master() -> None:
    data = master(vendors=[_us_vendor(), other_vendor()])
    assert run(bank_details_changed, context(_us_invoice(), data)) == []
    [found] = run(bank_details_changed, context(_us_invoice(account="9863015527"), data))
    assert found.evidence["invoice_account"] == "9863015527"
    assert found.evidence["master_account"] == US_ACCOUNT
    assert "account 9863…5527" in found.message and "verify by phone" in found.message
    [found] = run(bank_details_changed, context(_us_invoice(routing="022000046"), data))
    assert "routing 022000046" in found.message


def test_us_account_printed_when_the_master_knows_only_an_iban() -> None:
    [found] = run(bank_details_changed, context(_us_invoice()))
    assert "IBAN GB82…5432" in found.message  # what the master has on file


def test_no_bank_details_on_file_means_nothing_to_compare() -> None:
    data = master(vendors=[vendor(iban=None), other_vendor()])
    assert run(bank_details_changed, context(_us_invoice(), data)) == []


def test_uk_iban_and_sort_code_account_are_the_same_account() -> None:
    uk = vendor(iban=None, sort_code="123456", bank_account="98765432")
    data = master(vendors=[uk, other_vendor()])
    assert run(bank_details_changed, context(invoice(), data)) == []  # GB82 WEST 123456 98765432
    assert len(run(bank_details_changed, context(invoice(iban="GB33BUKB20201555555555"), data)))
    printed = BankAccount(sort_code="123456", account_number="98765432")
    assert run(bank_details_changed, context(invoice(iban=None, bank_accounts=[printed]))) == []


def test_bic_is_compared_on_its_first_eight_characters() -> None:
    data = master(vendors=[vendor(bic="WESTGB2L"), other_vendor()])
    same = BankAccount(iban="GB82WEST12345698765432", bic="WESTGB2LXXX")
    assert run(bank_details_changed, context(invoice(bank_accounts=[same]), data)) == []
    other = same.model_copy(update={"bic": "BUKBGB22"})
    assert len(run(bank_details_changed, context(invoice(bank_accounts=[other]), data))) == 1


def test_any_printed_account_that_differs_is_reported() -> None:
    accounts = [BankAccount(iban="GB82WEST12345698765432"),
                BankAccount(iban="DE89370400440532013000")]
    [found] = run(bank_details_changed, context(invoice(bank_accounts=accounts)))
    assert found.evidence["invoice_iban"] == "DE89370400440532013000"


def test_printed_us_account_through_extraction_and_rule(tmp_path: Path) -> None:
    inv = _accounts(tmp_path, [
        (50, 700, f"Remit to: Acme · ABA routing {US_ROUTING} · Account 000111222333"),
    ])
    data = master(vendors=[_us_vendor(), other_vendor()])
    [found] = run(bank_details_changed, context(inv, data))
    assert found.evidence["invoice_account"] == "000111222333"


# -- vendor master ----------------------------------------------------------------------------

HEADER = "vendor_id,name,aliases,tax_id,iban,currency,payment_terms_days,status,requires_po"


def test_bank_columns_are_optional_and_blank_tolerant(tmp_path: Path) -> None:
    path = tmp_path / "vendors.csv"
    path.write_text(
        f"{HEADER},bank_account,routing_number,sort_code,bic\n"
        f"V1,Kestrel,,34-1876520,,USD,45,active,true,3596 8120 4417,041001039,,\n"
        f"V2,Acme,,GB1,,GBP,30,active,true,31926819,,60-16-13,natwgb2l\n"
        f"V3,Lumen,,NL1,NL91ABNA0417164300,EUR,30,active,true,,,,\n",
        encoding="utf-8",
    )
    vendors = load_vendors(path)
    assert (vendors["V1"].bank_account, vendors["V1"].routing_number) == (
        "359681204417", "041001039")
    assert (vendors["V2"].sort_code, vendors["V2"].bic) == ("601613", "NATWGB2L")
    assert vendors["V3"].bank_account is None and vendors["V3"].has_bank_details


@pytest.mark.parametrize(
    ("columns", "message"),
    [("123456789,,", "routing_number: '123456789' is not an ABA"),
     (",60-16,", "sort_code: '6016' is not six digits"),
     (",,NOT-A-BIC", "bic: 'NOTABIC' is not a BIC")],
)
def test_malformed_bank_columns_name_the_row(tmp_path: Path, columns: str, message: str) -> None:
    path = tmp_path / "vendors.csv"
    path.write_text(f"{HEADER},routing_number,sort_code,bic\nV1,A,,,,USD,30,active,true,"
                    f"{columns}\n", encoding="utf-8")
    with pytest.raises(MasterDataError, match=f"vendors.csv row 2 {message}"):
        load_vendors(path)
