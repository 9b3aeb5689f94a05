"""E-invoices through the pipeline: read from their XML with no model call, the printed page
cross-checked, a bare XML file accepted, a contradicting page a fraud-risk finding."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from config.loader import POLICY_FILE
from extractors.einvoice import einvoice_from_pdf
from extractors.einvoice.attachment import xml_attachment
from models.gateway import ModelUnavailable
from models.invoice import FieldSource
from pipeline.process import process_file
from pipeline.runtime import RunSpec, Runtime, forget_runtimes, runtime_for
from tests.extractor_pdfs import make_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"


class NoExtractionModel:
    """Fails the test if extraction asks a model; classification falls back to code."""

    def complete_json(self, step: str, *args: Any, **kwargs: Any) -> Any:
        if step == "extraction":
            raise AssertionError("an e-invoice must not need an extraction model call")
        raise ModelUnavailable("no model in this test")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    spec = RunSpec(
        erp_dir=str(FIXTURES / "erp"), database_url=f"sqlite:///{tmp_path / 'apx.db'}",
        documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
        as_of="2020-12-06", use_model=False,
    )
    rt = runtime_for(spec)
    yield replace(rt, gateway=NoExtractionModel())
    forget_runtimes()


def _extraction(rt: Runtime, invoice_id: str) -> dict[str, Any]:
    record = rt.store.invoice(invoice_id)
    assert record is not None and record.extraction is not None
    return record.extraction


def test_a_factur_x_pdf_is_read_from_its_xml_without_a_model(runtime: Runtime) -> None:
    result = process_file(runtime, FIXTURES / "058-xmlrechnung.pdf")
    assert result.extraction_calls == 0
    assert (result.invoice_number, result.total, result.currency) == (
        "471102", Decimal("197.65"), "EUR")
    extraction = _extraction(runtime, result.invoice_id)
    assert extraction["sources"]["total"] == FieldSource.XML.value
    assert extraction["discrepancies"] == {}
    assert "SUSPICIOUS_CONTENT" not in result.patterns
    steps = [(e.step, e.actor) for e in runtime.store.audit_events(result.invoice_id)]
    assert ("extract", "einvoice-xml") in steps


def test_a_bare_xml_e_invoice_is_accepted(runtime: Runtime, tmp_path: Path) -> None:
    dropped = tmp_path / "invoice.xml"
    shutil.copy(FIXTURES / "ubl-invoice.xml", dropped)
    result = process_file(runtime, dropped)
    assert result.status != "unreadable" and result.invoice_number is not None
    assert result.total is not None and result.extraction_calls == 0


def test_a_hostile_xml_file_is_unreadable_with_a_reason(runtime: Runtime, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>')
    result = process_file(runtime, bomb)
    assert result.status == "unreadable" and result.patterns == ["UNREADABLE_DOCUMENT"]
    assert result.status_reason and "e-invoice" in result.status_reason.lower()


def test_a_page_that_contradicts_its_xml_is_suspicious(runtime: Runtime, tmp_path: Path) -> None:
    """The XML of a real e-invoice embedded in a page that shows another total."""
    from facturx import generate_from_binary

    found = xml_attachment((FIXTURES / "058-xmlrechnung.pdf").read_bytes())
    assert found is not None
    page = make_pdf(tmp_path / "page.pdf", [[
        (50, 60, "Lieferant GmbH", 16, "Helvetica-Bold"),
        (50, 100, "Rechnung 471102 vom 05.06.2018"),
        (50, 120, "Gesamtbetrag 1.197,65 EUR"),
    ]])
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(generate_from_binary(page.read_bytes(), found[1], check_xsd=False))
    einvoice = einvoice_from_pdf(forged)
    assert einvoice is not None and einvoice.invoice.total == Decimal("197.65")
    result = process_file(runtime, forged)
    assert "SUSPICIOUS_CONTENT" in result.patterns and result.decision == "review"
    assert "total" in _extraction(runtime, result.invoice_id)["discrepancies"]
