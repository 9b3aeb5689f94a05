"""Vendor resolution, PO lookup and line matching."""

from __future__ import annotations

from decimal import Decimal

from rules.matching import match_invoice
from rules.matching.lines import match_lines
from rules.matching.po import find_po
from rules.matching.text import name_key
from rules.matching.vendor import resolve_vendor, tax_ids_equal
from tests.factories import (
    invoice,
    line,
    master,
    other_vendor,
    purchase_order,
    receipts,
    vendor,
)


def test_vendor_by_tax_id_exact() -> None:
    result = resolve_vendor(invoice(vendor_name="Something Else Entirely"), master())
    assert result.vendor is not None and result.vendor.vendor_id == "V001"
    assert result.method == "tax_id"
    assert result.by_tax_id is not None and result.by_name is None


def test_tax_id_is_normalised_and_tolerates_missing_country_prefix() -> None:
    assert tax_ids_equal("gb 123.456-789", "GB123456789")
    assert tax_ids_equal("123456789", "GB123456789")
    assert not tax_ids_equal("DE123456789", "GB123456789")
    result = resolve_vendor(invoice(vendor_name=None, vendor_tax_id="811 234 567"), master())
    assert result.vendor is not None and result.vendor.vendor_id == "V002"


def test_vendor_by_alias() -> None:
    result = resolve_vendor(invoice(vendor_name="ACME Supplies", vendor_tax_id=None), master())
    assert result.vendor is not None and result.vendor.vendor_id == "V001"
    assert result.method == "alias"


def test_vendor_by_fuzzy_name_ignores_legal_form_and_case() -> None:
    doc = invoice(vendor_name="ACME OFFICE SUPPLY LIMITED", vendor_tax_id=None)
    result = resolve_vendor(doc, master())
    assert result.vendor is not None and result.vendor.vendor_id == "V001"
    assert result.method == "name"
    assert result.score >= 88


def test_legal_forms_are_stripped() -> None:
    assert name_key("Globex Industrial G.m.b.H.") == "globex industrial"
    assert name_key("Initech B.V.") == name_key("INITECH BV") == "initech"
    assert name_key("GmbH") == "gmbh"


def test_no_vendor_when_nothing_matches() -> None:
    doc = invoice(vendor_name="Northwind Traders", vendor_tax_id="FR99999999999")
    result = resolve_vendor(doc, master())
    assert result.vendor is None and result.method == "none"
    assert result.by_tax_id is None and result.by_name is None


def test_tax_id_wins_when_name_points_elsewhere() -> None:
    doc = invoice(vendor_name="Globex Industrial GmbH", vendor_tax_id="GB123456789")
    result = resolve_vendor(doc, master())
    assert result.vendor is not None and result.vendor.vendor_id == "V001"
    assert result.by_tax_id is not None and result.by_tax_id.vendor_id == "V001"
    assert result.by_name is not None and result.by_name.vendor_id == "V002"


def test_po_lookup_normalises_number() -> None:
    data = master()
    found = find_po(" po-1001 ", data)
    assert found is not None and found.po_number == "PO-1001"
    assert find_po("PO 1001", data) is not None  # punctuation-insensitive when unambiguous
    assert find_po("PO-9999", data) is None
    assert find_po(None, data) is None


def test_po_lookup_ignores_a_leading_po_word() -> None:
    data = master()
    assert find_po("1001", data) is not None  # "PO-1001" read without its prefix
    assert find_po("P.O. 1001", data) is not None
    assert find_po("10010", data) is None


def test_po_number_key() -> None:
    from models.keys import po_number_key

    assert po_number_key("PO-2026-0175") == po_number_key("2026/0175") == "20260175"
    assert po_number_key("P.O. No. 4500") == "4500"
    assert po_number_key("PO") == "PO"
    assert po_number_key(None) is None


def test_lines_match_by_sku_then_description() -> None:
    doc = invoice(
        lines=[
            line("Black toner", "5", "60.00", sku="ton-bk"),
            line("Copy paper A4 80 g", "100", "4.50"),
        ]
    )
    po = purchase_order()
    matches = match_lines(doc, po, master())
    assert [m.method for m in matches] == ["sku", "description"]
    assert [m.po_line.line_no if m.po_line else None for m in matches] == [2, 1]
    assert matches[0].received_quantity == Decimal("5")


def test_each_po_line_is_used_once_and_unknown_lines_stay_unmatched() -> None:
    doc = invoice(
        lines=[
            line("A4 copy paper 80g", "50", "4.50", sku="PAP-A4"),
            line("A4 copy paper 80g", "50", "4.50", sku="PAP-A4"),
            line("Freight", "1", "25.00"),
        ]
    )
    matches = match_lines(doc, purchase_order(), master())
    assert matches[0].po_line is not None and matches[0].po_line.line_no == 1
    assert matches[1].po_line is None or matches[1].po_line.line_no != 1
    assert matches[2].po_line is None and matches[2].method == "none"


def test_received_quantity_comes_from_master() -> None:
    data = master(goods_receipts=receipts(l1="40"))
    matches = match_lines(invoice(), purchase_order(), data)
    assert matches[0].received_quantity == Decimal("40")
    assert matches[1].received_quantity == Decimal("0")


def test_match_invoice_without_po() -> None:
    result = match_invoice(invoice(po_number=None), master())
    assert result.po is None
    assert all(m.po_line is None for m in result.lines)
    assert result.vendor.vendor == vendor()


def test_match_invoice_full() -> None:
    result = match_invoice(invoice(), master(vendors=[vendor(), other_vendor()]))
    assert result.po is not None and result.po.po_number == "PO-1001"
    assert all(m.method == "sku" for m in result.lines)


def test_similar_names_do_not_make_a_false_identity_mismatch() -> None:
    sibling = other_vendor(vendor_id="V003", name="Acme Office Supplies Group", tax_id="X1")
    data = master(vendors=[vendor(), other_vendor(), sibling])
    doc = invoice(vendor_name="Acme Office Supplies Group Ltd", vendor_tax_id="GB123456789")
    result = resolve_vendor(doc, data)
    assert result.by_name is not None and result.by_name.vendor_id == "V001"


def test_a_charge_word_naming_goods_with_a_sku_is_no_charge() -> None:
    from rules.scope import is_charge

    keywords = ("freight", "shipping", "delivery", "handling", "fee", "zuschlag")
    assert not is_charge("Shipping labels 4x6 in, roll of 500", keywords, "HPC-LBL-SHP")
    assert not is_charge("Handling gloves, nitrile", keywords, "GLV-01")
    assert is_charge("Shipping labels", keywords)  # no SKU: still read as a charge
    assert is_charge("Freight charge, LTL to Newark", keywords, "FRT")
    assert is_charge("Shipping & handling", keywords, "SH-1")
    assert is_charge("Delivery to site", keywords, "DLV")
    assert is_charge("Shipping", keywords, "SHP")
    assert is_charge("Maut- und Dieselzuschlag", keywords, "MZ-1")
    assert not is_charge("Coffee beans", keywords)


def test_a_unique_equal_price_confirms_a_weaker_description_match() -> None:
    po = purchase_order()
    # "Toner cartridge, zwart" scores 79 against "Toner cartridge black": below the
    # description threshold, but it is the only open line at the PO line's price
    doc = invoice(lines=[line("Toner cartridge, zwart", "5", "60.00")])
    [match] = match_lines(doc, po, master())
    assert match.po_line is not None and match.po_line.line_no == 2
    # another price: no pair
    doc = invoice(lines=[line("Toner cartridge, zwart", "5", "61.00")])
    assert match_lines(doc, po, master())[0].po_line is None
    # too different even at the same price
    doc = invoice(lines=[line("Toner cartr. schwarz", "5", "60.00")])
    assert match_lines(doc, po, master())[0].po_line is None
