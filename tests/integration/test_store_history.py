"""History the rules see, on SQLite and PostgreSQL: all of it, keyed as numbers and normal
forms, and what each invoice billed per PO line (written by the check stage)."""

from __future__ import annotations

from decimal import Decimal

from alembic import command
from sqlalchemy import text

from models.documents import ParsedDocument, ParsedPage
from models.findings import Decision, Outcome
from models.invoice import Extraction, InvoiceDocument
from models.matching import LineBilling
from pipeline.runtime import RunSpec, Runtime
from pipeline.stages import IntakeResult, check
from store.db import alembic_config, make_engine
from store.repository import Store
from tests.factories import (
    AS_OF,
    CATALOG,
    PHRASES,
    POLICY,
    line,
    master,
    other_po,
    po_line,
    purchase_order,
    receipts,
    render,
    with_lines,
)

D = Decimal


def _invoice(store: Store, n: int, number: str | None, total: str | None,
             po_number: str | None = None, vendor_id: str = "V1") -> str:
    invoice_id = store.register_document(f"{n:064d}", f"{n:03d}.pdf", 10, "/x").invoice_id
    store.set_status(invoice_id, "parsed")
    doc = InvoiceDocument(invoice_number=number, total=D(total) if total else None)
    store.save_extraction(invoice_id, Extraction(invoice=doc), vendor_id=None)
    store.save_match(invoice_id, vendor_id, po_number)
    return invoice_id


def _decide(store: Store, invoice_id: str, outcome: Outcome) -> None:
    store.save_decision(invoice_id, Decision(outcome=outcome, reason="t", policy_version="t"))


def test_duplicates_are_found_in_all_history_with_totals_as_numbers(store: Store) -> None:
    first = _invoice(store, 1, "INV-0042", "1600")
    for n in range(2, 40):
        _invoice(store, n, f"X-{n}", f"{n}.00")
    _invoice(store, 40, "INV-0042", "1600.00", vendor_id="V2")  # another vendor's
    last = _invoice(store, 41, "Y-1", "1.00")
    by_total = store.prior_invoices(last, "V1", "Y-1", D("1600.00"))
    assert [p.invoice_id for p in by_total] == [first]
    assert by_total[0].total == D("1600")
    by_number = store.prior_invoices(last, "V1", "Rechnung Nr. 42", D("7.77"))
    assert [p.invoice_id for p in by_number] == [first]


def test_billed_before_counts_earlier_invoices_not_rejected(store: Store) -> None:
    approved = _invoice(store, 1, "INV-1", "10", "PO-1")
    rejected = _invoice(store, 2, "INV-2", "10", "PO-1")
    pending = _invoice(store, 3, "INV-3", "10", "PO-1")
    other_po_invoice = _invoice(store, 4, "INV-4", "10", "PO-2")
    current = _invoice(store, 5, "INV-5", "10", "PO-1")
    later = _invoice(store, 6, "INV-6", "10", "PO-1")
    for invoice_id in (approved, rejected, pending, other_po_invoice, later):
        po = "PO-2" if invoice_id == other_po_invoice else "PO-1"
        store.save_billed_lines(invoice_id, po, [LineBilling(po_line_no=1, quantity=D("12"),
                                                             amount=D("54.00"))])
    _decide(store, approved, Outcome.APPROVE)
    _decide(store, rejected, Outcome.REJECT)
    # the check stage re-runs for `pending`: what it wrote before is replaced
    store.save_billed_lines(pending, "PO-1", [
        LineBilling(po_line_no=1, quantity=D("0.5"), amount=D("2.25")),
        LineBilling(po_line_no=2, quantity=D("3"), amount=D("180.00")),
    ])
    billed = store.billed_before(current, "PO-1")
    assert [(b.invoice_number, b.po_line_no, b.quantity, b.amount) for b in billed] == [
        ("INV-1", 1, D("12"), D("54.00")),
        ("INV-3", 1, D("0.5"), D("2.25")),
        ("INV-3", 2, D("3"), D("180.00")),
    ]
    assert store.billed_before(approved, "PO-1") == ()
    store.save_billed_lines(pending, None, [])  # now bills no PO line
    assert [b.invoice_number for b in store.billed_before(current, "PO-1")] == ["INV-1"]


def test_migration_0002_backfills_number_and_amount_keys(database_url: str) -> None:
    engine = make_engine(database_url)
    config = alembic_config(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(text(
            "INSERT INTO documents VALUES ('a', 'a.pdf', 1, '/a', '2026-01-01 00:00:00+00')"))
        connection.execute(text(
            "INSERT INTO invoices (id, document_sha256, seq, file_name, status, vendor_id, "
            "invoice_number, invoice_number_key, total, four_eyes, created_at, updated_at) "
            "VALUES ('a', 'a', 1, 'a.pdf', 'decided', 'V1', 'INV-0042', 'INV0042', 1600, "
            ":no, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')"), {"no": False})
    engine.dispose()
    store = Store.open(database_url)  # migrates to head
    try:
        later = _invoice(store, 2, "X", "1")
        [found] = store.prior_invoices(later, "V1", "42", D("1600.00"))
        assert found.invoice_id == "a" and found.total == D("1600")
        with store.engine.connect() as connection:
            keys = connection.execute(text(
                "SELECT invoice_number_key, total_minor FROM invoices WHERE id = 'a'")).one()
        assert tuple(keys) == ("42", 160000)
    finally:
        store.engine.dispose()


def _runtime(store: Store) -> Runtime:
    po = purchase_order(lines=(po_line(1, quantity=D("20")), po_line(2)))
    spec = RunSpec(erp_dir="-", database_url="-", documents_dir="-", policy_file="-",
                   as_of=AS_OF, use_model=False)
    return Runtime(spec=spec, store=store, catalog=CATALOG, policy=POLICY, gateway=None,
                   instruction_phrases=PHRASES,
                   master=master(pos=[po, other_po()], goods_receipts=receipts(l1="12")))


def _check(rt: Runtime, n: int, number: str, quantity: str) -> tuple[str, list[str]]:
    doc = with_lines([line("A4 copy paper 80g", quantity, "4.50", sku="PAP-A4")],
                     invoice_number=number)
    sha = f"{n:064d}"
    record = rt.store.register_document(sha, f"{n}.pdf", 10, "/x")
    item = IntakeResult(invoice_id=record.invoice_id, sha256=sha, file_name=f"{n}.pdf",
                        stored_path="/x", new=True, status="received", finished=False)
    extraction = Extraction(invoice=doc)
    rt.store.set_status(item.invoice_id, "parsed")
    rt.store.save_extraction(item.invoice_id, extraction, vendor_id=None)
    parsed = ParsedDocument(sha256=sha, file_name=item.file_name, pages=[
        ParsedPage(number=1, width=595, height=842, text=render(doc), words=[])])
    result = check(rt, item, parsed, extraction, None)
    return item.invoice_id, [f.code for f in result.findings]


def test_the_check_stage_accumulates_what_a_po_line_was_billed(store: Store) -> None:
    rt = _runtime(store)
    first, codes = _check(rt, 1, "INV-1", "12")
    assert codes == []
    _decide(store, first, Outcome.APPROVE)
    second, codes = _check(rt, 2, "INV-2", "8")
    assert codes == ["QTY_OVER_RECEIVED"]
    [billed] = store.billed_before(second, "PO-1001")
    assert (billed.invoice_number, billed.po_line_no, billed.quantity) == ("INV-1", 1, D("12"))
    _decide(store, first, Outcome.REJECT)  # the first will never be paid: 8 of 12 is fine
    _, codes = _check(rt, 2, "INV-2", "8")
    assert codes == []
