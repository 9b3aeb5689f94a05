"""3-way match per line and across invoices, and duplicates that survive formatting
(issue 11): the tester's regression cases, each through the rules and the policy."""

from __future__ import annotations

from datetime import date

import pytest

from models.findings import Outcome
from models.keys import invoice_number_key, minor_units
from models.master import MasterData
from rules.checks import (
    duplicate_exact,
    duplicate_suspected,
    po_overbilled,
    price_variance,
    qty_over_received,
    receipt_pending,
)
from rules.completeness import assess
from rules.decide import decide
from rules.registry import run_rules
from tests.factories import (
    CATALOG,
    POLICY,
    D,
    billed_before,
    codes,
    context,
    invoice,
    line,
    master,
    other_po,
    po_line,
    prior,
    purchase_order,
    receipts,
    run,
    with_lines,
)

PAPER = "A4 copy paper 80g"
TONER = "Toner cartridge black"


# -- 3-way match per line ------------------------------------------------------------------


def test_a_line_with_nothing_received_is_pending_though_others_arrived() -> None:
    po = purchase_order(lines=(po_line(1), po_line(2, quantity=D("100"), unit_price=D("6.00"))))
    data = master(pos=[po, other_po()], goods_receipts=receipts(l1="100"))
    doc = with_lines([line(PAPER, "100", "4.50", sku="PAP-A4"),
                      line(TONER, "100", "6.00", sku="TON-BK")])
    ctx = context(doc, data)
    [found] = run(receipt_pending, ctx)
    assert found.evidence["po_lines"] == "2"
    assert found.evidence["billed_po_lines"] == "1, 2"
    assert found.message == (
        "Nothing has been received yet on PO PO-1001 line 2, though line 1 arrived: "
        "hold until the goods receipt is posted"
    )
    assert found.amount == D("600.00")
    findings = run_rules(ctx)
    assert codes(findings) == ["RECEIPT_PENDING"]
    assert decide(findings, doc.total, POLICY, CATALOG, assess(ctx)).outcome is Outcome.HOLD


def test_receipt_pending_when_lines_unread_and_one_po_line_unreceived() -> None:
    data = master(goods_receipts=receipts(l1="100"))
    doc = invoice(lines=[])
    [found] = run(receipt_pending, context(doc, data))
    assert found.evidence["po_lines"] == "2" and found.amount == doc.subtotal


# -- 3-way match across invoices -----------------------------------------------------------


def _twelve_of_twenty_received() -> MasterData:
    """PO-1001 line 1 (paper at 4.50): 20 ordered, 12 received."""
    po = purchase_order(lines=(po_line(1, quantity=D("20")), po_line(2)))
    return master(pos=[po, other_po()], goods_receipts=receipts(l1="12", l2="5"))


def test_second_invoice_on_a_line_is_over_received_with_the_first() -> None:
    data = _twelve_of_twenty_received()
    first = with_lines([line(PAPER, "12", "4.50", sku="PAP-A4")], invoice_number="INV-1")
    assert run_rules(context(first, data)) == []
    second = with_lines([line(PAPER, "8", "4.50", sku="PAP-A4")], invoice_number="INV-2")
    alone = context(second, data)
    assert run(qty_over_received, alone) == []
    earlier = (billed_before(1, "12", "54.00", invoice_number="INV-1"),)
    ctx = context(second, data, billed=earlier)
    [found] = run(qty_over_received, ctx)
    assert found.message == (
        f"Line 1 '{PAPER}': billed quantity 8 and 12 billed before (INV-1) make 20, "
        "8 more than the 12 received so far (PO line 1)"
    )
    assert found.amount == D("36.00")
    assert found.evidence["billed_so_far"] == "20" and found.evidence["earlier_invoices"] == "INV-1"
    assert codes(run_rules(ctx)) == ["QTY_OVER_RECEIVED"]


def test_over_received_counts_only_the_excess_this_invoice_adds() -> None:
    data = _twelve_of_twenty_received()
    doc = with_lines([line(PAPER, "8", "4.50", sku="PAP-A4")], invoice_number="INV-3")
    earlier = (billed_before(1, "5", "22.50", invoice_number="INV-1"),
               billed_before(1, "5", "22.50", invoice_id="p2", invoice_number="INV-2"))
    [found] = run(qty_over_received, context(doc, data, billed=earlier))
    assert found.amount == D("27.00") and found.evidence["billed_before"] == "10"
    assert "(INV-1, INV-2) make 18, 6 more than the 12 received" in found.message
    over_already = (billed_before(1, "15", "67.50", invoice_number="INV-1"),)
    [found] = run(qty_over_received, context(doc, data, billed=over_already))
    assert found.amount == D("36.00")  # this invoice's 8, not the 11 billed beyond receipt


def test_a_copy_of_this_invoice_is_not_billed_before() -> None:
    data = _twelve_of_twenty_received()
    doc = with_lines([line(PAPER, "12", "4.50", sku="PAP-A4")], invoice_number="INV-0042")
    copy = (billed_before(1, "12", "54.00", invoice_number="inv 42"),)
    assert run(qty_over_received, context(doc, data, billed=copy)) == []
    assert run(po_overbilled, context(doc, data, billed=copy)) == []


def test_po_overbilled_counts_every_earlier_invoice_by_value() -> None:
    # six earlier invoices over three years, and a rejected one that never counts
    earlier = (
        *(prior(invoice_id=f"p{n}", invoice_number=f"INV-{n}", subtotal=D("100.00"),
                invoice_date=date(2023 + n % 3, 1, 1)) for n in range(6)),
        prior(invoice_id="rejected", invoice_number="INV-99", subtotal=D("5000"),
              decision="reject"),
    )
    doc = with_lines([line(PAPER, "40", "4.50", sku="PAP-A4")])  # 180.00 of the 750.00 PO
    [found] = run(po_overbilled, context(doc, prior_on_po=earlier))
    assert "this invoice (180.00) and 6 earlier invoice(s) (600.00) bill 780.00" in found.message
    assert found.amount == D("30.00")


def test_po_overbilled_when_a_line_is_billed_beyond_its_order_in_total() -> None:
    # Toner: 5 ordered; 3 billed before and 3 now (each invoice within the order), although
    # the PO as a whole is not exceeded in value.
    doc = with_lines([line(TONER, "3", "60.00", sku="TON-BK")])
    earlier = (billed_before(2, "3", "180.00"),)
    [found] = run(po_overbilled, context(doc, billed=earlier))
    assert found.evidence["po_line"] == "2" and found.amount == D("60.00")
    assert "3 billed now and 3 before (INV-2026-0041) make 6, 1 more than the 5 ordered" in (
        found.message)
    assert run(po_overbilled, context(doc, billed=(billed_before(2, "2", "120.00"),))) == []


# -- price ------------------------------------------------------------------------------


def test_a_po_line_priced_zero_is_no_free_pass() -> None:
    po = purchase_order(lines=(po_line(1, unit_price=D("0")), po_line(2)))
    data = master(pos=[po, other_po()])
    doc = with_lines([line(PAPER, "100", "0.10", sku="PAP-A4")])
    [found] = run(price_variance, context(doc, data))
    assert found.message == (
        f"Line 1 '{PAPER}': unit price 0.10 is above the PO price 0.00 (tolerance 2 %)"
    )
    assert found.amount == D("10.00")
    free = with_lines([line(PAPER, "100", "0", sku="PAP-A4")])
    assert run(price_variance, context(free, data)) == []


# -- duplicates that survive formatting --------------------------------------------------


@pytest.mark.parametrize(("printed", "key"), [
    ("INV-0042", "42"), ("42", "42"), ("inv 0042", "42"), ("Invoice No. 42", "42"),
    ("Rechnung Nr. 0042", "42"), ("RE-2026-04417", "202604417"), ("Facture n° FA-0042", "42"),
    ("Fattura N. 42", "42"), ("#0042", "42"), ("Nº 42", "42"), ("RG2026/17", "202617"),
    ("INV-2026-0042A", "20260042A"), ("REF-123", "REF123"), ("NO", "NO"), ("INV-000", "0"),
    ("", None), (" - ", None),
])
def test_invoice_numbers_compare_on_a_normal_form(printed: str, key: str | None) -> None:
    assert invoice_number_key(printed) == key


def test_amount_keys_are_numbers() -> None:
    assert minor_units(D("1600")) == minor_units(D("1600.00")) == minor_units(D("1600.0")) == 160000
    assert minor_units(D("-12.345")) == -1235


def test_inv_0042_and_42_for_the_same_amount_are_an_exact_duplicate() -> None:
    doc = invoice(invoice_number="INV-0042")
    earlier = (prior(invoice_number="42", total=D("892.50"), invoice_date=date(2026, 11, 10)),)
    ctx = context(doc, prior_invoices=earlier)
    [found] = run(duplicate_exact, ctx)
    assert found.evidence["prior_invoice_number"] == "42"
    assert run(duplicate_suspected, ctx) == []
    findings = run_rules(ctx)
    assert codes(findings) == ["DUPLICATE_EXACT"]
    assert decide(findings, doc.total, POLICY, CATALOG, assess(ctx)).outcome is Outcome.REJECT


@pytest.mark.parametrize(("total", "dated", "why"), [
    (D("1200.00"), date(2026, 11, 10), "but totals 892.50 EUR and 1,200.00 EUR, dates 0 days"),
    (D("892.50"), date(2023, 11, 10), "and total 892.50 EUR, but dates 1096 days apart"),
    (None, date(2026, 11, 10), "but totals 892.50 EUR and unknown"),
    (D("892.50"), None, "and total 892.50 EUR, but a date unknown"),
])
def test_a_reused_number_is_suspected_never_rejected(
    total: D | None, dated: date | None, why: str
) -> None:
    doc = invoice(invoice_number="INV-0042")
    earlier = (prior(invoice_number="0042", total=total, invoice_date=dated),)
    ctx = context(doc, prior_invoices=earlier)
    assert run(duplicate_exact, ctx) == []
    [found] = run(duplicate_suspected, ctx)
    assert why in found.message
    decision = decide(run_rules(ctx), doc.total, POLICY, CATALOG, assess(ctx))
    assert decision.outcome is Outcome.REVIEW and decision.four_eyes


def test_same_amount_near_date_similar_number_is_suspected() -> None:
    doc = invoice(invoice_number="INV-2026-0042", invoice_date=date(2026, 11, 10))
    earlier = (prior(invoice_number="INV-2026-0041", total=D("892.50"),
                     invoice_date=date(2026, 11, 5)),)
    [found] = run(duplicate_suspected, context(doc, prior_invoices=earlier))
    assert "same vendor and total 892.50, dates 5 days apart" in found.message
    assert run(duplicate_exact, context(doc, prior_invoices=earlier)) == []


def test_a_recurring_monthly_invoice_is_not_a_duplicate() -> None:
    # consecutive numbers, the same amount, 28 days apart (within the 30-day window)
    doc = invoice(invoice_number="INV-2026-0102", invoice_date=date(2026, 11, 10))
    monthly = prior(invoice_number="INV-2026-0101", total=D("892.50"),
                    invoice_date=date(2026, 10, 13))
    assert run(duplicate_suspected, context(doc, prior_invoices=(monthly,))) == []
    # the same numbers a few days apart, or the later number dated earlier, stay suspected
    for earlier in (monthly.model_copy(update={"invoice_date": date(2026, 11, 6)}),
                    monthly.model_copy(update={"invoice_number": "INV-2026-0103"})):
        assert codes(run(duplicate_suspected, context(doc, prior_invoices=(earlier,)))) == [
            "DUPLICATE_SUSPECTED"]


def test_other_currency_is_not_the_same_amount() -> None:
    doc = invoice(invoice_number="INV-0042")
    earlier = (prior(invoice_number="42", total=D("892.50"), currency="USD",
                     invoice_date=date(2026, 11, 10)),)
    ctx = context(doc, prior_invoices=earlier)
    assert run(duplicate_exact, ctx) == []
    assert codes(run(duplicate_suspected, ctx)) == ["DUPLICATE_SUSPECTED"]
