"""What the CLI prints from files and invoices is shown as text, never as markup or escapes."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console

from apx.report import outcome_table, safe
from models.processing import ProcessingResult


def _result(**update: object) -> ProcessingResult:
    base = ProcessingResult(
        invoice_id="x", file_name="inv.pdf", status="decided", status_reason=None,
        vendor_id="V1", vendor_name="Acme", invoice_number="INV-1", currency="EUR",
        total=Decimal("10.00"), patterns=[], primary_pattern=None, decision="approve",
        decision_reason=None, extraction_calls=0, classification_calls=0,
    )
    return base.model_copy(update=update)


def test_markup_and_escape_codes_are_printed_literally() -> None:
    hostile = _result(file_name="\x1b[31m[bold]evil[/bold].pdf", vendor_name="Acme [/x] Ltd",
                      invoice_number="[i]1[/i]")
    console = Console(record=True, width=200, color_system=None)
    console.print(outcome_table([hostile]))  # "[/x]" used to raise a MarkupError here
    text = console.export_text()
    assert "[bold]evil[/bold].pdf" in text and "Acme [/x] Ltd" in text
    assert "[i]1[/i]" in text
    assert "\x1b" not in text


def test_safe_replaces_control_characters() -> None:
    assert safe("a\x1b[2Jb\x07") == "a?[2Jb?"


def test_a_file_another_worker_is_processing_is_named_so_and_not_counted_as_failed() -> None:
    from apx.report import totals_line

    elsewhere = _result(status="parsed", decision=None, duplicate_delivery=True,
                        processed_elsewhere=True)
    console = Console(record=True, width=200, color_system=None)
    console.print(outcome_table([elsewhere]))
    assert "another worker is processing it" in console.export_text()
    assert "failed" not in totals_line([elsewhere])
    assert "1 failed" in totals_line([_result(status="failed", decision=None)])
