"""TAX_CALCULATION_ERROR with mixed rates and with tax rounded line by line (issue 11)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP

from models.invoice import InvoiceLine
from rules.checks import tax_calculation_error
from tests.factories import POLICY, D, context, invoice, line, run

CENT = D("0.01")


def _cents(value: D) -> D:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _mixed_lines() -> list[InvoiceLine]:
    return [
        line("A4 copy paper 80g", "100", "4.50", sku="PAP-A4", tax_rate="19"),  # 450.00
        line("Toner cartridge black", "5", "60.00", sku="TON-BK", tax_rate="7"),  # 300.00
    ]


def test_lines_at_19_and_7_percent_are_taxed_per_rate_group() -> None:
    # 19 % of 450.00 + 7 % of 300.00 = 85.50 + 21.00 = 106.50; the extractor reads the
    # header rate from the first tax line ("MwSt. 19 %"), which must not decide.
    for header_rate in (D("19"), D("7"), None):
        doc = invoice(lines=_mixed_lines(), tax_rate=header_rate, tax=D("106.50"),
                      total=D("856.50"))
        assert run(tax_calculation_error, context(doc)) == [], header_rate


def test_a_wrong_tax_on_mixed_rates_is_still_found() -> None:
    doc = invoice(lines=_mixed_lines(), tax_rate=D("19"), tax=D("142.50"), total=D("892.50"))
    [found] = run(tax_calculation_error, context(doc))
    assert found.message == (
        "Tax 142.50 is not the sum over its tax rates (7 % of 300.00 + 19 % of 450.00) "
        "(106.50 expected, difference 36.00, tolerance 0.02)"
    )
    assert found.evidence["rate_groups"] == "7 %: 300.00; 19 %: 450.00"


def test_lines_without_a_rate_take_the_header_rate() -> None:
    lines = [
        line("A4 copy paper 80g", "100", "4.50", sku="PAP-A4", tax_rate=None),
        line("Toner cartridge black", "5", "60.00", sku="TON-BK", tax_rate="7"),
    ]
    doc = invoice(lines=lines, tax_rate=D("19"), tax=D("106.50"), total=D("856.50"))
    assert run(tax_calculation_error, context(doc)) == []


def test_mixed_rates_leave_lines_that_do_not_add_up_to_arithmetic_error() -> None:
    doc = invoice(lines=_mixed_lines(), tax_rate=None, subtotal=D("800.00"), tax=D("1.00"),
                  total=D("801.00"))
    assert run(tax_calculation_error, context(doc)) == []


def _thirty_lines(rate: str) -> list[InvoiceLine]:
    return [line(f"Part number {n:02d}", "1", "0.50", sku=f"P-{n}", tax_rate=rate)
            for n in range(30)]


def test_thirty_lines_rounded_per_line_pass() -> None:
    lines = _thirty_lines("19")
    per_line = sum((_cents(item.amount * D("0.19")) for item in lines), D(0))  # 30 × 0.10
    on_total = _cents(D("15.00") * D("0.19"))  # 2.85
    assert (per_line, on_total) == (D("3.00"), D("2.85"))
    for tax in (per_line, on_total):
        doc = invoice(lines=lines, subtotal=D("15.00"), tax=tax, total=D("15.00") + tax)
        assert run(tax_calculation_error, context(doc)) == [], tax


def test_rounding_per_line_with_mixed_rates_passes() -> None:
    lines = _thirty_lines("19")[:15] + _thirty_lines("7")[:15]
    per_line = sum((_cents(i.amount * (i.tax_rate or 0) / 100) for i in lines), D(0))
    doc = invoice(lines=lines, tax_rate=None, subtotal=D("15.00"), tax=per_line,
                  total=D("15.00") + per_line)
    assert run(tax_calculation_error, context(doc)) == []


def test_the_tolerance_grows_with_the_lines_but_an_error_is_still_found() -> None:
    lines = _thirty_lines("19")
    assert POLICY.tolerances.tax_per_line == D("0.005")
    doc = invoice(lines=lines, subtotal=D("15.00"), tax=D("3.85"), total=D("18.85"))
    [found] = run(tax_calculation_error, context(doc))
    assert found.message.endswith("(2.85 expected, difference 1.00, tolerance 0.16)")
    one_line = invoice(lines=lines[:1], subtotal=D("0.50"), tax=D("0.12"), total=D("0.62"))
    [found] = run(tax_calculation_error, context(one_line))
    assert found.message.endswith("(0.10 expected, difference 0.02, tolerance 0.015)")


def test_an_unconfirmed_tax_is_left_to_extraction_unverified() -> None:
    # e.g. "MwSt. 19 % 95,00" and "MwSt. 7 % 7,00" printed and only one of them read as the tax
    doc = invoice(tax=D("95.00"), total=D("845.00"))
    unverified = {"tax": "several labelled amounts, none confirmed by arithmetic"}
    assert run(tax_calculation_error, context(doc, unverified=unverified)) == []
    assert len(run(tax_calculation_error, context(doc))) == 1
