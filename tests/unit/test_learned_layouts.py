"""Vendor layouts as pure functions: learn from a confirmed invoice, read the next one with it,
notice when it no longer fits; the vendor found before extraction; completeness of a value
read with a layout."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.context import DocContext
from extractors.extract import extract_invoice
from extractors.learned import fits, learn, read, shape_of
from extractors.pdf import parse_pdf
from models.completeness import FactStatus
from models.documents import ParsedDocument
from models.invoice import Extraction, FieldSource
from models.layouts import Box, FieldRule, LayoutUse, VendorLayout
from models.master import MasterData
from pipeline.layouts import candidate_vendor
from rules.base import RuleContext
from rules.completeness import assess
from rules.matching import match_invoice
from tests.extractor_pdfs import Text, english_invoice, make_pdf
from tests.factories import context, invoice, master, other_vendor, vendor
from tests.fakes import ChoosingGateway, FakeGateway
from tests.layout_pdfs import Invoice, invoices, page, printed_truth

ALL = invoices(per_vendor=3)
_BOX = Box(x0=0.6, top=0.05, x1=0.8, bottom=0.07)


def _of(supplier_key: str, seq: int) -> Invoice:
    return next(i for i in ALL if i.supplier.key == supplier_key and i.seq == seq)


def _doc(tmp_path: Path, items: list[Text], name: str) -> ParsedDocument:
    return parse_pdf(make_pdf(tmp_path / name, [items]), "sha-" + name)


def _confirmed_layout(tmp_path: Path, first: Invoice) -> VendorLayout:
    """What `apx layouts confirm` learns from the vendor's first invoice (the model's picks
    were right, as a person confirms)."""
    doc = _doc(tmp_path, page(first), first.file_name)
    extraction = extract_invoice(doc, ChoosingGateway(printed_truth([first])))
    assert extraction.sources["invoice_number"] == FieldSource.MODEL
    result = learn(doc, extraction.invoice, extraction.locations)
    assert result.unplaced == {}
    return VendorLayout(vendor_id=first.supplier.vendor_id, rules=result.rules, version=1)


# -- shapes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "printed", "fits_too", "does_not_fit"), [
    ("id", "HS-26-00417", ["HS-26-00440", "HS-27-12345"], ["HS-2600440", "RE-26-00417", "2026"]),
    ("id", "CA-0917", ["CA-0931", "CA-10000"], ["CA-91", "PO-2002-01"]),
    ("date", "14.10.2026", ["3.11.2026"], ["2026-10-14", "14/10/2026"]),
    ("date", "9 September 2026", ["27 Oktober 2026"], ["09.09.2026"]),
    ("date", "Oct. 3, 2026", ["November 13, 2026"], ["3 Oct 2026"]),
    ("amount", "1.234,56 €", ["999,00 €", "12.345.678,90€"], ["1,234.56 €", "1.234,56"]),
    ("amount", "£1,624.80", ["£ 98.10"], ["1,624.80", "£1.624,80"]),
    ("name", "Hanse Spedition GmbH", ["HANSE  Spedition GmbH"], ["Hanse Spedition"]),
])
def test_a_shape_fits_the_next_values_and_not_other_kinds(
    kind: str, printed: str, fits_too: list[str], does_not_fit: list[str]
) -> None:
    shape = shape_of(kind, printed)  # type: ignore[arg-type]
    rule = FieldRule(field="invoice_number", page=1, box=_BOX, shape=shape, printed=printed)
    assert fits(rule, printed)
    assert all(fits(rule, text) for text in fits_too), shape
    assert not any(fits(rule, text) for text in does_not_fit), shape


# -- learning -------------------------------------------------------------------------------------


def test_learning_keeps_the_unknown_label_its_direction_and_the_value_shape(
    tmp_path: Path,
) -> None:
    layout = _confirmed_layout(tmp_path, _of("hanse", 0))
    number, issued = layout.rule("invoice_number"), layout.rule("invoice_date")
    assert number is not None and issued is not None
    assert (number.label, number.direction, number.printed) == ("Vorgang", "right", "HS-26-00417")
    assert number.shape == r"HS\-\d{2}\-\d{4,}"
    assert (issued.label, issued.direction) == ("Ausgestellt", "right")
    assert layout.rule("po_number") is not None and layout.rule("total") is not None
    assert 0 < number.box.x0 < number.box.x1 < 1 and 0 < number.box.top < number.box.bottom < 1


def test_a_value_without_any_label_is_learned_by_its_position(tmp_path: Path) -> None:
    layout = _confirmed_layout(tmp_path, _of("tern", 0))
    number, issued = layout.rule("invoice_number"), layout.rule("invoice_date")
    assert number is not None and number.label is None and number.direction is None
    assert issued is not None and issued.label is None
    assert issued.month_first is True  # 09/10/2026 was confirmed as 10 September


def test_a_confirmed_value_that_is_not_printed_is_not_learned(tmp_path: Path) -> None:
    first = _of("hanse", 0)
    doc = _doc(tmp_path, page(first), first.file_name)
    wrong = extract_invoice(doc, None).invoice.model_copy(update={"invoice_number": "HS-99"})
    result = learn(doc, wrong, {})
    assert "invoice_number" in result.unplaced
    assert "invoice_number" not in {rule.field for rule in result.rules}


# -- reading with a layout -----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["hanse", "corvid", "tern"])
def test_the_next_invoices_are_read_with_the_layout_and_no_model_call(
    tmp_path: Path, key: str
) -> None:
    layout = _confirmed_layout(tmp_path, _of(key, 0))
    for seq in (1, 2, 3):
        nxt = _of(key, seq)
        gateway = FakeGateway({"invoice_number": "wrong"})
        result = extract_invoice(_doc(tmp_path, page(nxt), nxt.file_name), gateway,
                                 layout=layout)
        assert gateway.calls == [] and result.model_calls == 0
        assert (result.invoice.invoice_number, result.invoice.invoice_date) == (nxt.number,
                                                                                nxt.issued)
        assert result.sources["invoice_number"] == FieldSource.LEARNED
        assert result.sources["invoice_date"] == FieldSource.LEARNED
        assert result.unverified == {}
        assert result.layout is not None and result.layout.fits
        assert set(result.layout.read) == {"invoice_number", "invoice_date"}
        where = result.locations["invoice_number"]
        assert where.label == layout.rule("invoice_number").label  # type: ignore[union-attr]


def test_a_relabelled_number_is_a_miss_and_the_model_settles_it(tmp_path: Path) -> None:
    layout = _confirmed_layout(tmp_path, _of("hanse", 0))
    nxt = _of("hanse", 1)
    items = [("Auftrag" if item[2] == "Vorgang" else item[2]) for item in page(nxt)]
    relabelled: list[Text] = [(it[0], it[1], text, *it[3:]) for it, text in
                              zip(page(nxt), items, strict=True)]
    gateway = ChoosingGateway(printed_truth([nxt]))
    result = extract_invoice(_doc(tmp_path, relabelled, "relabelled.pdf"), gateway,
                             layout=layout)
    assert result.layout is not None and not result.layout.fits
    assert result.layout.missed == {
        "invoice_number": "the label 'Vorgang' is not on page 1"}
    assert result.layout.read == ("invoice_date",)  # what still fits is still read
    assert len(gateway.calls) == 1
    assert list(gateway.calls[0]["schema"]["properties"]) == ["invoice_number"]
    assert result.invoice.invoice_number == nxt.number
    assert result.sources["invoice_number"] == FieldSource.MODEL


def test_a_value_of_another_shape_at_the_label_is_a_miss(tmp_path: Path) -> None:
    layout = _confirmed_layout(tmp_path, _of("hanse", 0))
    nxt = replace(_of("hanse", 1), number="2026/440")  # the vendor's new numbering
    result = extract_invoice(_doc(tmp_path, page(nxt), "renumbered.pdf"), None, layout=layout)
    assert result.layout is not None
    assert "invoice_number" in result.layout.missed
    assert "nothing of the shape" in result.layout.missed["invoice_number"]
    assert result.invoice.invoice_number is None  # no model here: nothing is guessed


def test_values_read_by_known_labels_are_not_overridden(tmp_path: Path) -> None:
    doc = _doc(tmp_path, english_invoice(), "english.pdf")
    plain = extract_invoice(doc, None)
    elsewhere = FieldRule(field="invoice_number", page=1, box=_BOX, label="Due Date:",
                          direction="right", shape=r"\d{2}/\d{2}/\d{4}", printed="03/12/2026")
    layout = VendorLayout(vendor_id="V1", rules=(elsewhere,), version=1)
    result = extract_invoice(doc, FakeGateway(), layout=layout)
    assert result.invoice.invoice_number == plain.invoice.invoice_number == "INV-2026-0042"
    assert result.sources["invoice_number"] == FieldSource.LABEL
    assert result.layout is not None and result.layout.needed == () and not result.layout.fits


def test_a_position_rule_reads_only_near_its_place(tmp_path: Path) -> None:
    layout = _confirmed_layout(tmp_path, _of("tern", 0))
    rule = layout.rule("invoice_number")
    assert rule is not None
    nxt = _of("tern", 1)
    moved: list[Text] = [(it[0], it[1] + 300 if it[2] == f">{nxt.number}" else it[1],
                          *it[2:]) for it in page(nxt)]
    ctx = DocContext.build(_doc(tmp_path, moved, "moved.pdf"))
    assert isinstance(read(ctx, rule), str)
    ctx = DocContext.build(_doc(tmp_path, page(nxt), "in-place.pdf"))
    found = read(ctx, rule)
    assert not isinstance(found, str) and found.value == nxt.number


# -- which vendor, before extraction --------------------------------------------------------------


def _found(text: str, data: MasterData) -> str | None:
    found = candidate_vendor(text, data)
    return found.vendor_id if found is not None else None


def test_the_vendor_is_found_by_its_tax_id_in_any_spacing() -> None:
    data = master(vendors=[vendor(tax_id="DE287113604", iban=None), other_vendor()])
    assert _found("USt-IdNr. DE 287 113 604 · Hamburg", data) == "V001"
    assert _found("USt-IdNr.: 287.113.604", data) == "V001"  # printed without its country
    assert candidate_vendor("Konto 1287113604 9", data) is None  # inside another number
    assert candidate_vendor("AT287113604", data) is None  # another country's company
    assert candidate_vendor("nothing here", data) is None


def test_two_vendors_printed_is_no_candidate_and_the_iban_is_the_fallback() -> None:
    data = master(vendors=[vendor(), other_vendor()])
    both = "VAT GB123456789, DE811234567"
    assert candidate_vendor(both, data) is None
    assert _found("IBAN DE89 3704 0044 0532 0130 00", data) == "V002"
    assert candidate_vendor("anything", MasterData()) is None


# -- completeness of a learned value --------------------------------------------------------------


def _learned_context(layout_vendor: str, tax_id: str | None = "GB123456789") -> RuleContext:
    inv = invoice(vendor_tax_id=tax_id)
    extraction = Extraction(
        invoice=inv,
        sources={"invoice_number": FieldSource.LEARNED, "invoice_date": FieldSource.LEARNED,
                 "total": FieldSource.LEARNED},
        layout=LayoutUse(vendor_id=layout_vendor, version=1,
                         needed=("invoice_number", "invoice_date"),
                         read=("invoice_number", "invoice_date")),
    )
    ctx = context(inv)
    return ctx.model_copy(update={"extraction": extraction,
                                  "match": match_invoice(inv, ctx.master)})


def test_a_learned_value_of_the_layouts_own_vendor_is_confirmed() -> None:
    completeness = assess(_learned_context("V001"))
    assert completeness.complete, completeness.summary()
    facts = {fact.name: fact for fact in completeness.facts}
    assert "confirmed invoices" in facts["invoice_number"].detail
    assert "arithmetic" in facts["total"].detail


def test_a_learned_value_is_unconfirmed_for_another_or_an_unidentified_vendor() -> None:
    gaps = {f.name: f for f in assess(_learned_context("V002")).gaps}
    assert set(gaps) == {"invoice_number", "invoice_date", "total"}
    assert "layout of vendor V002" in gaps["invoice_number"].detail
    gaps = {f.name: f for f in assess(_learned_context("V001", tax_id=None)).gaps}
    assert gaps["invoice_number"].status is FactStatus.UNCONFIRMED
    assert "not identified by its tax id" in gaps["invoice_number"].detail


def test_a_learned_total_must_add_up() -> None:
    ctx = _learned_context("V001")
    wrong = ctx.invoice.model_copy(update={"total": Decimal("893.50")})
    ctx = ctx.model_copy(update={"extraction": ctx.extraction.model_copy(
        update={"invoice": wrong})})
    gaps = {f.name: f for f in assess(ctx).gaps}
    assert "nothing adds up" in gaps["total"].detail

