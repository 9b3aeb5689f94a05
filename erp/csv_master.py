"""The reference ERP adapter's read side: master data from three CSV files.

The layout is the one `sample_data/README.md` documents; any labelled set in that
layout works. Errors name the file, the row and the column, so whoever exported the
data can fix it.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from stdnum.us import rtn

from models.keys import compact
from models.master import GoodsReceipt, MasterData, PoLine, PurchaseOrder, Vendor


class MasterDataError(ValueError):
    """The ERP export cannot be read; the message says where and why."""


def _rows(path: Path, columns: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise MasterDataError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise MasterDataError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for number, row in enumerate(reader, start=2):
            yield number, {key: (value or "").strip() for key, value in row.items() if key}


def _decimal(value: str, where: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise MasterDataError(f"{where}: '{value}' is not a number") from None


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MasterDataError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from None


def _bool(value: str, where: str) -> bool:
    if value.lower() in {"true", "yes", "1"}:
        return True
    if value.lower() in {"false", "no", "0", ""}:
        return False
    raise MasterDataError(f"{where}: '{value}' is not true/false")


VENDOR_COLUMNS = {"vendor_id", "name", "aliases", "tax_id", "iban", "currency",
                  "payment_terms_days", "status", "requires_po"}
# Optional vendor columns (a file without them, or with them blank, loads as before): bank
# details that are not an IBAN, compared with the remit-to details an invoice prints.
VENDOR_BANK_COLUMNS = ("bank_account", "routing_number", "sort_code", "bic")
PO_COLUMNS = {"po_number", "vendor_id", "bill_to", "currency", "status", "po_date", "line_no",
              "sku", "description", "quantity", "unit_price", "tax_rate"}
RECEIPT_COLUMNS = {"receipt_id", "po_number", "line_no", "quantity_received", "received_date"}


def _bank_details(row: dict[str, str], where: str) -> dict[str, str | None]:
    """The optional bank columns, compacted and checked: routing number (US ABA, with its
    check digit), sort code (six digits), BIC (8 or 11 characters), account number."""
    values = {name: compact(row.get(name) or "") or None for name in VENDOR_BANK_COLUMNS}
    routing, sort_code, bic = values["routing_number"], values["sort_code"], values["bic"]
    if routing is not None and not rtn.is_valid(routing):
        raise MasterDataError(f"{where} routing_number: '{routing}' is not an ABA routing number")
    if sort_code is not None and not (sort_code.isdigit() and len(sort_code) == 6):
        raise MasterDataError(f"{where} sort_code: '{sort_code}' is not six digits")
    if bic is not None and not re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?", bic):
        raise MasterDataError(f"{where} bic: '{bic}' is not a BIC")
    return values


def load_vendors(path: Path) -> dict[str, Vendor]:
    vendors: dict[str, Vendor] = {}
    for number, row in _rows(path, VENDOR_COLUMNS):
        where = f"{path.name} row {number}"
        bank = _bank_details(row, where)
        try:
            vendors[row["vendor_id"]] = Vendor(
                vendor_id=row["vendor_id"],
                name=row["name"],
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
                tax_id=row["tax_id"] or None,
                iban=row["iban"].replace(" ", "").upper() or None,
                **bank,
                currency=row["currency"].upper(),
                payment_terms_days=int(row["payment_terms_days"] or 0),
                status=row["status"].lower(),
                requires_po=_bool(row["requires_po"], f"{where} requires_po"),
            )
        except ValueError as error:
            raise MasterDataError(f"{where}: {error}") from None
    return vendors


def load_purchase_orders(path: Path) -> dict[str, PurchaseOrder]:
    headers: dict[str, dict[str, str]] = {}
    lines: dict[str, list[PoLine]] = defaultdict(list)
    for number, row in _rows(path, PO_COLUMNS):
        where = f"{path.name} row {number}"
        headers.setdefault(row["po_number"], row)
        lines[row["po_number"]].append(
            PoLine(
                line_no=int(row["line_no"]),
                sku=row["sku"] or None,
                description=row["description"],
                quantity=_decimal(row["quantity"], f"{where} quantity"),
                unit_price=_decimal(row["unit_price"], f"{where} unit_price"),
                tax_rate=_decimal(row["tax_rate"] or "0", f"{where} tax_rate"),
            )
        )
    orders: dict[str, PurchaseOrder] = {}
    for po_number, row in headers.items():
        try:
            orders[po_number] = PurchaseOrder(
                po_number=po_number,
                vendor_id=row["vendor_id"],
                bill_to=row["bill_to"],
                currency=row["currency"].upper(),
                status=row["status"].lower(),
                po_date=_date(row["po_date"], f"{path.name} PO {po_number} po_date"),
                lines=tuple(sorted(lines[po_number], key=lambda line: line.line_no)),
            )
        except ValueError as error:
            raise MasterDataError(f"{path.name} PO {po_number}: {error}") from None
    return orders


def load_receipts(path: Path) -> tuple[GoodsReceipt, ...]:
    receipts = []
    for number, row in _rows(path, RECEIPT_COLUMNS):
        where = f"{path.name} row {number}"
        receipts.append(
            GoodsReceipt(
                receipt_id=row["receipt_id"],
                po_number=row["po_number"],
                line_no=int(row["line_no"]),
                quantity_received=_decimal(row["quantity_received"], f"{where} quantity_received"),
                received_date=_date(row["received_date"], f"{where} received_date"),
            )
        )
    return tuple(receipts)


def load_master_data(erp_dir: Path) -> MasterData:
    """Read `vendors.csv`, `purchase_orders.csv` and `goods_receipts.csv` from `erp_dir`."""
    return MasterData(
        vendors=load_vendors(erp_dir / "vendors.csv"),
        purchase_orders=load_purchase_orders(erp_dir / "purchase_orders.csv"),
        receipts=load_receipts(erp_dir / "goods_receipts.csv"),
    )
