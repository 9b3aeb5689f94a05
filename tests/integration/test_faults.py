"""Faults injected into the pipeline, on PostgreSQL (issue 14).

The model: timeouts, rate limits, answers that are not JSON or not of the schema, answers
outside the choices, and a hallucinated total — through the real gateway and litellm's
`mock_response`. The database: the connection killed in the middle of each stage (its
backend terminated from another connection between the stage's writes), inside the
Prefect batch flow. A duplicate the check did not see is still not paid twice.

Each fault: the invoice ends in a known state with a reason, none is lost or paid twice,
and a re-run finishes what the fault interrupted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from config.loader import POLICY_FILE
from gateway.client import LiteLLMGateway
from gateway.config import GatewaySettings
from models.processing import ProcessingResult
from pipeline.process import process_file
from pipeline.runtime import RunSpec, Runtime, forget_runtimes, runtime_for
from store.db import drop_database, scratch_database
from store.repository import Store
from store.tables import InvoiceRow
from store.unit_of_work import UnitOfWork
from tests.batch import sha256_of, write_batch
from tests.extractor_pdfs import make_pdf
from tests.fakes import FakeGateway
from tests.integration.conftest import POSTGRES_URL
from tests.workers import ROOT

SAMPLES = ROOT / "sample_data"
MODEL = "openai/gpt-4o-mini"  # any provider: litellm answers from `mock_response`
RETRIES = 2


@pytest.fixture(scope="module")
def litellm() -> ModuleType:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    return litellm


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One PostgreSQL database for the model faults (each case uses its own invoice)."""
    url = scratch_database(POSTGRES_URL, f"apx_faults_{uuid.uuid4().hex[:10]}")
    try:
        yield url, tmp_path_factory.mktemp("faults")
    finally:
        forget_runtimes()
        drop_database(url)


def _runtime(database: tuple[str, Path], gateway: Any, mode: Any = "auto") -> Runtime:
    url, work = database
    spec = RunSpec(erp_dir=str(SAMPLES / "erp"), database_url=url,
                   documents_dir=str(work / "documents"), policy_file=str(POLICY_FILE),
                   as_of="2026-11-20", use_model=False, extraction_mode=mode)
    return dataclasses.replace(runtime_for(spec), gateway=gateway)


Outcome = Any  # a JSON answer (dict or text), "timeout", "rate_limit", or request -> answer


class Script:
    """litellm.completion with `mock_response`, one scripted outcome per attempt (the last
    repeats): no model runs and no network is touched."""

    def __init__(self, litellm: ModuleType, *outcomes: Outcome) -> None:
        self.litellm = litellm
        self.outcomes = list(outcomes)
        self.requests: list[dict[str, Any]] = []

    def __call__(self, **request: Any) -> Any:
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if callable(outcome):
            outcome = outcome(request)
        if outcome == "timeout":  # litellm waits out the request's timeout, then raises
            return self.litellm.completion(**request, mock_response="", mock_timeout=True)
        if outcome == "rate_limit":
            return self.litellm.completion(**request, mock_response="litellm.RateLimitError")
        if isinstance(outcome, dict):
            outcome = json.dumps(outcome)
        return self.litellm.completion(**request, mock_response=outcome)


def _gateway(script: Script, sleeps: list[float]) -> LiteLLMGateway:
    settings = GatewaySettings(extraction_model=MODEL, classification_model=MODEL,
                               allowed_providers=["openai"], retries=RETRIES,
                               timeout_seconds=0.05, budget_usd=Decimal("10"))
    return LiteLLMGateway(settings, completion=script, sleep=sleeps.append)


def _events(store: Store, invoice_id: str, step: str) -> list[dict[str, Any]]:
    return [e.detail for e in store.audit_events(invoice_id) if e.step == step]


def _vouchers(store: Store) -> Counter[str]:
    return Counter(v.invoice_id for v in store.vouchers())


# -- the model ------------------------------------------------------------------------------

# (fault, what the script answers, model attempts, backoff sleeps, what the reason names)
CLASSIFICATION_FAULTS = [
    ("timeout", ["timeout"], RETRIES + 1, RETRIES, "Timeout"),
    ("rate limit", ["rate_limit"], RETRIES + 1, RETRIES, "RateLimitError"),
    ("not JSON", ["Sure! The pattern is PRICE_VARIANCE."], 1, 0, "not JSON"),
    ("wrong schema", [{"pattern": 42, "note": "x"}], 1, 0, "schema violation"),
    ("outside the choices", [{"pattern": "DUPLICATE_EXACT", "explanation": "paid"}], 1, 0,
     "schema violation"),
]
# sample invoices with findings (one each, so that the cases share one database)
WITH_FINDINGS = ["011-acme-inv-10244.pdf", "012-nordwind-re-2026-04603.pdf",
                 "013-kestrel-kip-558236.pdf", "019-nordwind-re-2026-04688.pdf",
                 "028-nordwind-re-2026-04790.pdf"]


@pytest.mark.parametrize(("fault", "answers", "attempts", "backoffs", "named"),
                         CLASSIFICATION_FAULTS, ids=[c[0] for c in CLASSIFICATION_FAULTS])
def test_a_classification_fault_falls_back_to_the_deterministic_pattern(
    litellm: ModuleType, database: tuple[str, Path], fault: str, answers: list[Outcome],
    attempts: int, backoffs: int, named: str,
) -> None:
    sleeps: list[float] = []
    script = Script(litellm, *answers)
    runtime = _runtime(database, _gateway(script, sleeps))
    name = WITH_FINDINGS[[c[0] for c in CLASSIFICATION_FAULTS].index(fault)]
    result = process_file(runtime, SAMPLES / "invoices" / name)

    assert len(script.requests) == attempts and len(sleeps) == backoffs
    assert result.status == "decided" and result.decision == "review"
    assert result.primary_pattern == result.patterns[0] and result.decision_reason
    classify = _events(runtime.store, result.invoice_id, "classify")
    assert classify[-1]["source"] == "fallback" and classify[-1]["pattern"] == result.patterns[0]
    failed = _events(runtime.store, result.invoice_id, "model.classification.failed")
    assert len(failed) == 1 and named in failed[0]["reason"], failed
    assert result.invoice_id not in _vouchers(runtime.store)


def test_a_rate_limit_then_an_answer_is_retried_and_the_answer_used(
    litellm: ModuleType, database: tuple[str, Path]
) -> None:
    sleeps: list[float] = []
    answer = {"pattern": "PO_NOT_FOUND", "explanation": "The PO does not exist."}
    script = Script(litellm, "rate_limit", "rate_limit", answer)
    runtime = _runtime(database, _gateway(script, sleeps))
    result = process_file(runtime, SAMPLES / "invoices" / "018-lumen-lit-2026-127.pdf")
    assert len(script.requests) == 3 and sleeps == [0.5, 1.0]
    assert result.primary_pattern == "PO_NOT_FOUND" and result.decision == "review"
    assert _events(runtime.store, result.invoice_id, "classify")[-1]["source"] == "model"
    assert result.classification_calls == 1


# clean sample invoices: the model is asked although code read everything (mode "always")
EXTRACTION_FAULTS = [
    ("timeout", "002-nordwind-re-2026-04417.pdf", ["timeout"], "Timeout"),
    ("rate limit", "004-harbor-hpc-30412.pdf", ["rate_limit"], "RateLimitError"),
    ("not JSON", "008-nordwind-re-2026-04562.pdf", ["{'total': 12"], "not JSON"),
    ("wrong schema", "009-harbor-hpc-30437.pdf", [{"total": 1, "vendor_name": None}],
     "schema violation"),
]


@pytest.mark.parametrize(("fault", "name", "answers", "named"), EXTRACTION_FAULTS,
                         ids=[c[0] for c in EXTRACTION_FAULTS])
def test_an_extraction_fault_leaves_what_code_read_and_pays_once(
    litellm: ModuleType, database: tuple[str, Path], fault: str, name: str,
    answers: list[Outcome], named: str,
) -> None:
    script = Script(litellm, *answers)
    runtime = _runtime(database, _gateway(script, []), mode="always")
    result = process_file(runtime, SAMPLES / "invoices" / name)
    failed = _events(runtime.store, result.invoice_id, "model.extraction.failed")
    assert len(failed) == 1 and named in failed[0]["reason"], failed
    # every fact was read and confirmed by code: the model's failure costs nothing
    assert result.decision == "approve" and result.status == "posted"
    assert _vouchers(runtime.store)[result.invoice_id] == 1
    assert process_file(runtime, SAMPLES / "invoices" / name).duplicate_delivery  # once


# -- a hallucinated total -------------------------------------------------------------------

ACME_PO_LINES = {  # lines of the sample ERP's POs (sample_data/erp/purchase_orders.csv)
    "PO-2026-0103": [("ACM-PAP-A3", "A3 copier paper", 12, "38.90"),
                     ("ACM-BND-A4", "Lever arch files", 15, "17.40"),
                     ("ACM-STK-76", "Sticky notes", 20, "6.30"),
                     ("ACM-WHB-90", "Whiteboard, magnetic", 2, "72.50")],
    "PO-2026-0105": [("ACM-PAP-A4", "A4 copier paper", 60, "21.50"),
                     ("ACM-STK-76", "Sticky notes", 24, "6.30"),
                     ("ACM-PEN-BLK", "Ballpoint pens black", 12, "8.95")],
    "PO-2026-0106": [("ACM-DSK-LMP", "LED desk lamp, dimmable", 12, "34.75"),
                     ("ACM-WHB-90", "Whiteboard, magnetic", 4, "72.50"),
                     ("ACM-BND-A4", "Lever arch files", 10, "17.40")],
}


def _acme_invoice(path: Path, number: str, po: str, *, total_printed: bool) -> Decimal:
    """An Acme invoice billing `po` in full, its total line printed or left out; the total."""
    items: list[Any] = [
        (50, 60, "Acme Office Supplies Ltd", 18, "Helvetica-Bold"),
        (50, 78, "Unit 4, Riverside Trading Estate, Reading RG2 0QX"),
        (50, 91, "VAT No: GB418290705"), (545, 60, ">INVOICE", 20, "Helvetica-Bold"),
        (380, 110, "Invoice No:"), (460, 110, number),
        (380, 124, "Invoice Date:"), (460, 124, "10 November 2026"),
        (380, 138, "Due Date:"), (460, 138, "10 December 2026"),
        (380, 152, "PO Number:"), (460, 152, po),
        (50, 120, "Bill to:", 10, "Helvetica-Bold"), (50, 134, "APX Demo Holdings Ltd"),
        (50, 147, "10 Finsbury Square"), (50, 160, "London EC2A 1AF"),
        (50, 210, "SKU", 10, "Helvetica-Bold"), (120, 210, "Description", 10, "Helvetica-Bold"),
        (360, 210, ">Qty", 10, "Helvetica-Bold"), (440, 210, ">Unit price", 10, "Helvetica-Bold"),
        (545, 210, ">Amount", 10, "Helvetica-Bold"),
    ]
    y, subtotal = 228.0, Decimal(0)
    for sku, description, quantity, price in ACME_PO_LINES[po]:
        amount = Decimal(price) * quantity
        subtotal += amount
        items += [(50, y, sku), (120, y, description), (360, y, f">{quantity}"),
                  (440, y, f">£{price}"), (545, y, f">£{amount:,.2f}")]
        y += 16
    tax = (subtotal * Decimal("0.20")).quantize(Decimal("0.01"))
    items += [(440, y + 20, ">Subtotal"), (545, y + 20, f">£{subtotal:,.2f}"),
              (440, y + 36, ">VAT 20%"), (545, y + 36, f">£{tax:,.2f}")]
    if total_printed:
        items += [(440, y + 52, ">Total due", 11, "Helvetica-Bold"),
                  (545, y + 52, f">£{subtotal + tax:,.2f}", 11)]
    items += [(50, y + 100, "Payment terms: Net 30"),
              (50, y + 114, "IBAN: GB82 NWBK 6016 1347 2819 35")]
    make_pdf(path, [items])
    return subtotal + tax


def _pick(fragment: str) -> Callable[[dict[str, Any]], dict[str, str]]:
    """An answer choosing, for each field asked, the offered candidate containing `fragment`
    for the total and the first candidate otherwise."""
    def answer(request: dict[str, Any]) -> dict[str, str]:
        fields = request["response_format"]["json_schema"]["schema"]["properties"]
        return {name: next((c for c in spec["enum"] if fragment in c), spec["enum"][0])
                if name == "total" else spec["enum"][0] for name, spec in fields.items()}
    return answer


def test_a_hallucinated_total_is_never_used(
    litellm: ModuleType, database: tuple[str, Path], tmp_path: Path
) -> None:
    # control: with its total printed, the same invoice is clean and paid
    control = tmp_path / "acme-77001.pdf"
    _acme_invoice(control, "INV-77001", "PO-2026-0103", total_printed=True)
    runtime = _runtime(database, None)
    assert process_file(runtime, control).decision == "approve"

    missing = tmp_path / "acme-77002.pdf"
    real_total = _acme_invoice(missing, "INV-77002", "PO-2026-0105", total_printed=False)
    invented = f"£{real_total:,.2f}"  # the right sum — but printed nowhere in the document
    script = Script(litellm, lambda request: {"total": invented})
    gateway_answer = process_file(_runtime(database, _gateway(script, [])), missing)

    wrong = tmp_path / "acme-77003.pdf"
    _acme_invoice(wrong, "INV-77003", "PO-2026-0106", total_printed=False)
    script = Script(litellm, _pick("881"))  # picks the printed subtotal as the total
    wrong_pick = process_file(_runtime(database, _gateway(script, [])), wrong)

    # a gateway that does not enforce the schema: the answer is still not taken
    unchecked = tmp_path / "acme-77002-again.pdf"
    _acme_invoice(unchecked, "INV-77004", "PO-2026-0105", total_printed=False)
    loose = process_file(_runtime(database, FakeGateway({"total": invented})), unchecked)

    store = runtime.store
    for result, why in ((gateway_answer, "model unavailable"), (loose, "no total found"),
                        (wrong_pick, "picked by the model")):
        assert result.decision == "review" and "EXTRACTION_UNVERIFIED" in result.patterns
        assert result.total != real_total  # never the invented value
        unverified = [f for f in store.findings(result.invoice_id)
                      if f.code == "EXTRACTION_UNVERIFIED"]
        assert "total" in unverified[0].message.lower(), unverified[0].message
        rules = _events(store, result.invoice_id, "rules")[-1]
        assert why in rules["unconfirmed"]["total"], rules["unconfirmed"]
        assert result.invoice_id not in _vouchers(store)
    assert gateway_answer.total is None and loose.total is None
    assert wrong_pick.total == Decimal("881.00")


# -- the database connection lost mid-stage -------------------------------------------------

AUDIT_STEPS = ("intake", "parse", "extract", "rules", "classify", "decide", "post")


def test_the_database_connection_lost_in_any_stage_leaves_nothing_half_written(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backend of the stage's own connection is terminated from another connection
    after the stage's result is written, before its audit event and commit: one invoice
    per stage. The batch goes on; each such invoice is `failed` with the reason, holds none
    of that stage's writes, and the re-run finishes all of them, each paid once."""
    from apx.runner import run_files

    batch = write_batch(tmp_path / "batch", len(AUDIT_STEPS) + 2)
    victims = {sha256_of(path): step
               for path, step in zip(batch.files, AUDIT_STEPS, strict=False)}
    admin = create_engine(postgres_url, poolclass=NullPool)
    struck: list[tuple[str, str]] = []
    audit = UnitOfWork.audit

    def audit_or_lose_connection(uow: UnitOfWork, invoice_id: str | None, step: str,
                                 actor: str, detail: dict[str, Any]) -> str:
        if invoice_id is not None and victims.get(invoice_id) == step \
                and (invoice_id, step) not in struck:
            struck.append((invoice_id, step))
            backend = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with admin.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        return audit(uow, invoice_id, step, actor, detail)

    monkeypatch.setattr(UnitOfWork, "audit", audit_or_lose_connection)

    def run() -> tuple[list[ProcessingResult], Store]:
        return run_files(batch.files, erp_dir=batch.erp_dir, database_url=postgres_url,
                         documents_dir=tmp_path / "documents", policy_file=POLICY_FILE,
                         as_of=batch.as_of, use_model=False)

    try:
        outcomes, store = run()
        assert len(struck) == len(AUDIT_STEPS)
        for outcome, path in zip(outcomes, batch.files, strict=True):
            step = victims.get(sha256_of(path))
            if step is None:  # the rest of the batch went on
                assert outcome.status == "posted", outcome
                continue
            assert outcome.status == "failed" and "run it again" in (outcome.status_reason or "")
            _assert_stage_not_written(store, sha256_of(path), step)

        monkeypatch.setattr(UnitOfWork, "audit", audit)
        again, store = run()
        assert [o.status for o in again] == ["posted"] * len(batch.files), again
        vouchers = _vouchers(store)
        assert set(vouchers) == {sha256_of(p) for p in batch.files}
        assert set(vouchers.values()) == {1}
        assert store.verify_audit().ok
    finally:
        admin.dispose()


def _assert_stage_not_written(store: Store, invoice_id: str, step: str) -> None:
    """None of the interrupted stage's writes was committed (nor its audit event)."""
    with store.session() as session:
        row = session.scalars(select(InvoiceRow).where(InvoiceRow.id == invoice_id)).first()
    if step == "intake":
        assert row is None  # not even registered: the re-run registers it
        return
    assert row is not None and row.status == "failed", (step, row and row.status)
    assert _events(store, invoice_id, step) == [], step
    written = {
        "parse": True,  # the status is all parse writes
        "extract": row.extraction is None and row.invoice_number is None,
        "rules": row.checked_seq is None and store.findings(invoice_id) == [],
        "classify": row.primary_pattern is None and row.classification_source is None,
        "decide": row.decision is None,
        "post": invoice_id not in _vouchers(store),
    }
    assert written[step], step


# -- a duplicate the check did not see ------------------------------------------------------

def test_a_copy_the_check_missed_is_refused_at_posting(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """History hidden from the check (as a race without the check lock would): the second
    copy is approved, and its voucher collides with the first one's — it goes to review."""
    batch = write_batch(tmp_path / "batch", 1)
    copy = tmp_path / "resent.pdf"
    copy.write_bytes(batch.files[0].read_bytes() + b"\n% re-sent\n")
    monkeypatch.setattr(UnitOfWork, "prior_invoices", lambda *args, **kwargs: ())
    spec = RunSpec(erp_dir=str(batch.erp_dir), database_url=database_url,
                   documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
                   as_of=batch.as_of, use_model=False)
    runtime = runtime_for(spec)
    first = process_file(runtime, batch.files[0])
    second = process_file(runtime, copy)
    assert first.status == "posted"
    assert second.decision == "review" and "another copy" in (second.decision_reason or "")
    assert list(_vouchers(runtime.store)) == [first.invoice_id]
    refused = _events(runtime.store, second.invoice_id, "post")
    assert refused[-1]["posted"] is False and "refused" in refused[-1]
    assert runtime.store.verify_audit().ok
