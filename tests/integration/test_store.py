"""The repository on SQLite and PostgreSQL: identity, idempotence, exact money, audit chain."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from models.findings import Decision, Outcome
from models.invoice import Extraction, InvoiceDocument
from models.keys import invoice_number_key
from store.repository import Store


def _register(store: Store, sha: str = "a" * 64) -> str:
    """A registered and parsed invoice, ready for the extract stage's writes."""
    invoice_id = store.register_document(sha, "inv.pdf", 10, "/tmp/inv.pdf").invoice_id
    store.set_status(invoice_id, "parsed")
    return invoice_id


def test_same_bytes_are_one_invoice(store: Store) -> None:
    first = store.register_document("b" * 64, "one.pdf", 10, "/x")
    second = store.register_document("b" * 64, "copy-of-one.pdf", 10, "/x")
    assert first.created and not second.created
    assert first.invoice_id == second.invoice_id
    assert len(store.invoices()) == 1


def test_money_round_trips_exactly(store: Store) -> None:
    invoice_id = _register(store)
    doc = InvoiceDocument(invoice_number="INV-1", subtotal=Decimal("0.10"),
                          tax=Decimal("0.20"), total=Decimal("1234567.89"))
    store.save_extraction(invoice_id, Extraction(invoice=doc), vendor_id="V1")
    row = store.invoice(invoice_id)
    assert row is not None
    assert row.subtotal is not None and row.tax is not None
    assert row.subtotal + row.tax == Decimal("0.30")
    assert row.total == Decimal("1234567.89")


def test_voucher_is_posted_exactly_once(store: Store) -> None:
    invoice_id = _register(store)
    doc = InvoiceDocument(invoice_number="INV-1", currency="EUR", total=Decimal("10.00"))
    store.save_extraction(invoice_id, Extraction(invoice=doc), vendor_id=None)
    store.save_match(invoice_id, "V1", None)
    store.save_decision(invoice_id, Decision(outcome=Outcome.APPROVE, reason="ok",
                                             policy_version="t"))
    assert store.post_voucher(invoice_id) is True
    assert store.post_voucher(invoice_id) is False
    vouchers = store.vouchers()
    assert len(vouchers) == 1 and vouchers[0].amount == Decimal("10.00")
    row = store.invoice(invoice_id)
    assert row is not None and row.status == "posted"


def test_unapproved_invoice_is_never_posted(store: Store) -> None:
    invoice_id = _register(store)
    store.save_decision(invoice_id, Decision(outcome=Outcome.REVIEW, reason="x",
                                             policy_version="t"))
    try:
        store.post_voucher(invoice_id)
    except ValueError as error:
        assert "not approved" in str(error)
    else:
        raise AssertionError("posting an invoice in review must fail")
    assert store.vouchers() == []


def test_prior_invoices_by_number_or_total(store: Store) -> None:
    ids = []
    for index, (number, total) in enumerate([("INV-1", "100.00"), ("X-9", "55.00"),
                                             ("inv 1", "70.00")]):
        invoice_id = _register(store, sha=str(index) * 64)
        doc = InvoiceDocument(invoice_number=number, total=Decimal(total))
        store.save_extraction(invoice_id, Extraction(invoice=doc), vendor_id=None)
        store.save_match(invoice_id, "V1", None)
        ids.append(invoice_id)
    priors = store.prior_invoices(ids[2], "V1", "inv 1", Decimal("55.00"))
    assert [p.invoice_number for p in priors] == ["INV-1", "X-9"]
    assert store.prior_invoices(ids[0], "V1", "INV-1", Decimal("100.00")) == ()
    assert invoice_number_key("inv-0042 ") == "42"


def test_audit_chain_detects_tampering(store: Store) -> None:
    invoice_id = _register(store)  # registering appends the intake event itself
    for step in ("parse", "extract", "decide"):
        store.audit(invoice_id, step, "apx", {"step": step, "amount": "1.00"})
    check = store.verify_audit()
    assert check.ok and check.events == 4
    with store.engine.begin() as connection:
        rows = connection.execute(text("SELECT id FROM audit_events ORDER BY id")).all()
        connection.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :id"),
                           {"id": rows[1][0]})
    broken = store.verify_audit()
    assert not broken.ok and broken.first_bad_id == rows[1][0]
