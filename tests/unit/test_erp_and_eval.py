"""ERP CSV loading (clear errors) and the evaluation scoring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from apx.dataset import Truth, TruthFields, TruthInvoice
from apx.evaluate import RunRecord, score
from erp.csv_master import MasterDataError, load_master_data

VENDORS = ("vendor_id,name,aliases,tax_id,iban,currency,payment_terms_days,status,requires_po\n"
           "V1,Acme Ltd,Acme;ACME Co,GB123,GB33 BUKB 2020 1555 5555 55,GBP,30,active,true\n")
POS = ("po_number,vendor_id,bill_to,currency,status,po_date,line_no,sku,description,quantity,"
       "unit_price,tax_rate\n"
       "PO-1,V1,Buyer Ltd,GBP,open,2026-01-02,2,B,Pens,5,1.10,20\n"
       "PO-1,V1,Buyer Ltd,GBP,open,2026-01-02,1,A,Paper,10,2.50,20\n")
RECEIPTS = ("receipt_id,po_number,line_no,quantity_received,received_date\n"
            "R1,PO-1,1,4,2026-01-05\nR2,PO-1,1,6,2026-01-09\n")


def _write(folder: Path, vendors: str = VENDORS, pos: str = POS,
           receipts: str = RECEIPTS) -> Path:
    (folder / "vendors.csv").write_text(vendors)
    (folder / "purchase_orders.csv").write_text(pos)
    (folder / "goods_receipts.csv").write_text(receipts)
    return folder


def test_master_data_is_read_and_indexed(tmp_path: Path) -> None:
    master = load_master_data(_write(tmp_path))
    vendor = master.vendors["V1"]
    assert vendor.aliases == ("Acme", "ACME Co") and vendor.requires_po
    assert vendor.iban == "GB33BUKB20201555555555"
    po = master.purchase_orders["PO-1"]
    assert [line.line_no for line in po.lines] == [1, 2]
    assert po.net_amount == Decimal("30.50")
    assert master.received_quantity("PO-1", 1) == Decimal("10")
    assert master.received_quantity("PO-1", 2) == Decimal("0")
    assert master.legal_entities == ("Buyer Ltd",)


def test_bad_master_data_names_file_row_and_value(tmp_path: Path) -> None:
    bad = POS.replace("2.50", "two fifty")
    with pytest.raises(MasterDataError, match=r"purchase_orders.csv row 3 unit_price: 'two fifty'"):
        load_master_data(_write(tmp_path, pos=bad))
    with pytest.raises(MasterDataError, match="missing column"):
        load_master_data(_write(tmp_path, receipts="receipt_id,po_number\n"))


def _truth() -> Truth:
    return Truth(as_of=date(2026, 11, 20), invoices=[
        TruthInvoice(file="a.pdf", fields=TruthFields(vendor_id="V1", invoice_number="A-1",
                     invoice_date=date(2026, 11, 1), total="100.00"),
                     patterns=[], primary=None, decision="approve"),
        TruthInvoice(file="b.pdf", fields=TruthFields(vendor_id="V1", invoice_number="B-1",
                     total="20000.00"),
                     patterns=["HIGH_VALUE", "PRICE_VARIANCE"], primary="PRICE_VARIANCE",
                     decision="review"),
    ])


def test_score_counts_fields_patterns_and_unsafe_approvals() -> None:
    records = [
        RunRecord(file="a.pdf", fields={"vendor_id": "V1", "invoice_number": "A-1",
                                        "invoice_date": date(2026, 11, 1),
                                        "total": Decimal("100.0")},
                  patterns=[], primary=None, decision="approve", extraction_calls=1,
                  classification_calls=0),
        RunRecord(file="b.pdf", fields={"vendor_id": "V2", "invoice_number": "B-1",
                                        "total": Decimal("20000")},
                  patterns=["HIGH_VALUE"], primary="HIGH_VALUE", decision="approve",
                  extraction_calls=1, classification_calls=1),
    ]
    report = score(_truth(), records, seconds=1.0)
    assert report["field_accuracy"]["vendor_id"] == 0.5
    assert report["field_accuracy"]["total"] == 1.0  # 100.0 == 100.00 as money
    assert report["field_accuracy"]["overall"] == 15 / 16
    assert report["pattern_recall"] == 0.5 and report["pattern_precision"] == 1.0
    assert report["primary_accuracy"] == 0.0
    assert report["decision_accuracy"] == 0.5
    assert report["high_stakes_auto_approved"] == 1
    assert report["model_calls"]["extraction"] == 2
    assert report["per_pattern"]["PRICE_VARIANCE"]["recall"] == 0.0
