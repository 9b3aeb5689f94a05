"""Learned vendor layouts against the real databases: the store methods, and the round trip
through the pipeline (first batch asks the model, a person confirms, the second batch does
not ask; a layout that stops fitting is dropped), on SQLite and PostgreSQL; and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect
from typer.testing import CliRunner

from config.loader import POLICY_FILE, load_catalog, load_instruction_phrases, load_policy
from erp.csv_master import load_master_data
from models.invoice import Extraction, FieldSource
from models.layouts import Box, FieldRule, LayoutUse, VendorLayout
from models.processing import ProcessingResult
from pipeline import layouts
from pipeline.process import process_file
from pipeline.runtime import RunSpec, Runtime
from store.db import alembic_config, make_engine
from store.repository import Store
from tests.extractor_pdfs import Text, make_pdf
from tests.fakes import ChoosingGateway
from tests.layout_pdfs import AS_OF, Invoice, page, printed_truth, write_dataset

BOX = Box(x0=0.6, top=0.05, x1=0.8, bottom=0.07)


def _rule(field: str = "invoice_number", label: str | None = "Ref.", shape: str = r"R-\d+",
          month_first: bool | None = None) -> FieldRule:
    return FieldRule(field=field, page=1, box=BOX, label=label, direction="right", shape=shape,
                     printed="R-1", month_first=month_first)


def _invoice_id(store: Store, n: int = 1) -> str:
    return store.register_document(f"{n:064d}", f"{n}.pdf", 10, f"/docs/{n}.pdf").invoice_id


# -- the store ------------------------------------------------------------------------------------


def test_a_layout_is_saved_confirmed_again_and_replaced(store: Store) -> None:
    first = _invoice_id(store, 1)
    saved = store.save_layout(VendorLayout(vendor_id="V1", rules=(_rule(),), learned_from=first,
                                           confirmed_by="cli:ana"))
    assert (saved.version, saved.confirmations, saved.active) == (1, 1, True)
    assert store.layout_for("V1") == saved
    assert saved.rules == (_rule(),) and saved.updated_at is not None
    assert store.layout_for("V2") is None

    second = _invoice_id(store, 2)
    again = store.save_layout(VendorLayout(vendor_id="V1", rules=(_rule(),), learned_from=second,
                                           confirmed_by="apx"))
    assert (again.version, again.confirmations, again.learned_from) == (1, 2, second)
    retried = store.save_layout(VendorLayout(vendor_id="V1", rules=(_rule(),),
                                             learned_from=second, confirmed_by="apx"))
    assert retried.confirmations == 2  # the same invoice confirms once

    other = store.save_layout(VendorLayout(vendor_id="V1", rules=(_rule(label="Doc#"),),
                                           learned_from=second, confirmed_by="apx"))
    assert (other.version, other.confirmations) == (2, 1)
    assert [layout.vendor_id for layout in store.layouts()] == ["V1"]


def test_a_date_order_one_invoice_told_is_kept_when_the_next_cannot_tell(store: Store) -> None:
    told = _rule("invoice_date", shape=r"\d{1,2}/\d{1,2}/\d{4}", month_first=True)
    store.save_layout(VendorLayout(vendor_id="V1", rules=(told,), confirmed_by="apx"))
    untold = told.model_copy(update={"month_first": None})
    kept = store.save_layout(VendorLayout(vendor_id="V1", rules=(untold,), confirmed_by="apx"))
    assert kept.version == 1 and kept.rules[0].month_first is True


def test_misses_in_a_row_drop_the_layout_and_a_hit_resets_them(store: Store) -> None:
    layout = store.save_layout(VendorLayout(vendor_id="V1", rules=(_rule(),), confirmed_by="a"))
    hit = LayoutUse(vendor_id="V1", version=1, needed=("invoice_number",),
                    read=("invoice_number",))
    miss = LayoutUse(vendor_id="V1", version=1, needed=("invoice_number",),
                     missed={"invoice_number": "the label 'Ref.' is not on page 1"})
    uses = [(miss, "i1"), (hit, "i2"), (miss, "i3")]
    assert [store.record_layout_use(use, invoice, drop_after=2) for use, invoice in uses] == [
        "miss", "hit", "miss"]
    assert store.record_layout_use(miss, "i3", drop_after=2) == "stale"  # a retried stage
    current = store.layout_for("V1")
    assert current is not None and (current.hits, current.misses) == (1, 1)
    stale = miss.model_copy(update={"version": 0})
    assert store.record_layout_use(stale, "i4", drop_after=2) == "stale"
    assert store.record_layout_use(miss, "i4", drop_after=2) == "dropped"
    assert store.layout_for("V1") is None
    [dropped] = store.layouts()
    assert not dropped.active and "did not fit 2 invoices in a row" in (
        dropped.dropped_reason or "")
    assert "'Ref.' is not on page 1" in (dropped.dropped_reason or "")
    assert store.record_layout_use(hit, "i5", drop_after=2) == "stale"  # dropped: no count

    relearned = store.save_layout(layout)  # a later confirmed invoice teaches it again
    assert (relearned.version, relearned.active, relearned.misses) == (2, True, 0)
    assert store.drop_layout("V1", "by hand") and not store.drop_layout("V1", "again")


def test_the_original_of_an_invoice_is_found_again(store: Store) -> None:
    invoice_id = _invoice_id(store, 7)
    assert store.stored_document(invoice_id) == (f"{7:064d}", "/docs/7.pdf")
    assert store.stored_document("nope") is None


def test_migration_0004_goes_down_and_up(database_url: str) -> None:
    Store.open(database_url).engine.dispose()  # at head
    engine = make_engine(database_url)
    config = alembic_config(database_url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
        assert "vendor_layouts" not in inspect(engine).get_table_names()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        assert "vendor_layouts" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


# -- the pipeline round trip ----------------------------------------------------------------------


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Path, list[Invoice]]:
    root = tmp_path / "data"
    return root, write_dataset(root, per_vendor=3)


@pytest.fixture
def runtime(dataset: tuple[Path, list[Invoice]], database_url: str,
            tmp_path: Path) -> Iterator[Runtime]:
    root, invoices = dataset
    spec = RunSpec(erp_dir=str(root / "erp"), database_url=database_url,
                   documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
                   as_of=AS_OF)
    rt = Runtime(spec=spec, store=Store.open(database_url),
                 master=load_master_data(root / "erp"), policy=load_policy(POLICY_FILE),
                 catalog=load_catalog(), gateway=ChoosingGateway(printed_truth(invoices)),
                 instruction_phrases=load_instruction_phrases())
    yield rt
    rt.store.engine.dispose()


def _run(rt: Runtime, files: list[Path]) -> list[ProcessingResult]:
    return [process_file(rt, path) for path in files]


def _relabelled(root: Path, inv: Invoice, name: str) -> Path:
    """The vendor's invoice after it renamed its number label ("Vorgang" -> "Auftrag")."""
    items: list[Text] = [(it[0], it[1], "Auftrag" if it[2] == "Vorgang" else it[2], *it[3:])
                         for it in page(inv)]
    return make_pdf(root / name, [items])


def test_second_batch_is_read_with_the_confirmed_layouts_without_the_model(
    runtime: Runtime, dataset: tuple[Path, list[Invoice]],
) -> None:
    root, invoices = dataset
    folder = root / "invoices"
    first = _run(runtime, [folder / i.file_name for i in invoices if i.batch == 1])
    assert [o.extraction_calls for o in first] == [1, 1, 1]
    assert all(o.decision == "review" and o.patterns == ["EXTRACTION_UNVERIFIED"]
               for o in first)  # the model's picks of number and date are not confirmed
    assert runtime.store.layouts() == []  # nothing was confirmed, nothing learned

    for outcome in first:  # a person confirms what APX read
        done = layouts.confirm(runtime.store, runtime.master, outcome.invoice_id, "cli:ana")
        assert done.unplaced == {} and done.layout.version == 1
    events = runtime.store.audit_events(first[0].invoice_id)
    assert any(e.step == "layout.learned" and e.actor == "cli:ana" for e in events)

    second_batch = [i for i in invoices if i.batch == 2]
    second = _run(runtime, [folder / i.file_name for i in second_batch])
    calls = sum(o.extraction_calls for o in second)
    assert calls / len(second) <= 0.1
    assert calls == 0
    for inv, outcome in zip(second_batch, second, strict=True):
        row = runtime.store.invoice(outcome.invoice_id)
        assert row is not None and row.extraction is not None
        assert (row.invoice_number, row.invoice_date) == (inv.number, inv.issued)
        extraction = Extraction.model_validate(row.extraction)
        assert extraction.sources["invoice_number"] == FieldSource.LEARNED
        assert extraction.layout is not None and extraction.layout.fits
        assert outcome.decision == "approve", outcome.decision_reason  # clean and confirmed
        assert "layout.hit" in {e.step for e in runtime.store.audit_events(outcome.invoice_id)}
    for layout in runtime.store.layouts():  # each clean invoice confirmed its layout again
        assert (layout.version, layout.hits, layout.confirmations, layout.misses) == (1, 3, 4, 0)

    hanse = [i for i in invoices if i.supplier.key == "hanse"][-1]
    changed = _run(runtime, [_relabelled(root, replace(hanse, number=f"HS-26-0{n}"),
                                         f"relabelled-{n}.pdf") for n in (1000, 1001)])
    assert [o.extraction_calls for o in changed] == [1, 1]  # the model settles the number
    steps = [e.step for o in changed for e in runtime.store.audit_events(o.invoice_id)
             if e.step.startswith("layout.")]
    assert steps == ["layout.miss", "layout.dropped"]
    assert runtime.store.layout_for("V2001") is None
    assert runtime.store.layout_for("V2002") is not None
    assert runtime.store.verify_audit().ok


def test_the_cli_confirms_an_invoice_and_lists_the_layouts(
    runtime: Runtime, dataset: tuple[Path, list[Invoice]], database_url: str, tmp_path: Path,
) -> None:
    from apx.cli import app

    root, invoices = dataset
    [outcome] = _run(runtime, [root / "invoices" / invoices[0].file_name])
    env = {"APX_DATABASE_URL": database_url, "APX_HOME": str(tmp_path / ".apx")}
    cli = CliRunner()
    done = cli.invoke(app, ["layouts", "confirm", outcome.file_name, "--erp", str(root / "erp"),
                            "--by", "ana", "--set", "po_number=PO-2001-01"], env=env)
    assert done.exit_code == 0, done.output
    assert "Layout of V2001 v1 learned from batch1-hanse-00.pdf" in done.output
    assert "'Vorgang' (right)" in done.output
    listed = cli.invoke(app, ["layouts", "list", "--erp", str(root / "erp")], env=env)
    assert listed.exit_code == 0, listed.output
    assert "Hanse Spedition GmbH" in listed.output and "v1 active" in listed.output
    assert "cli:ana" in listed.output

    wrong = cli.invoke(app, ["layouts", "confirm", outcome.file_name, "--erp",
                             str(root / "erp"), "--set", "invoice_number"], env=env)
    assert wrong.exit_code == 2 and "FIELD=VALUE" in wrong.output
    missing = cli.invoke(app, ["layouts", "confirm", "nope.pdf"], env=env)
    assert missing.exit_code == 2 and "no invoice matches" in missing.output


def test_only_an_invoice_without_findings_confirms_itself(
    runtime: Runtime, dataset: tuple[Path, list[Invoice]],
) -> None:
    from models.findings import Finding, Severity
    from pipeline import stages

    root, invoices = dataset
    [first] = _run(runtime, [root / "invoices" / invoices[0].file_name])
    layouts.confirm(runtime.store, runtime.master, first.invoice_id, "cli:ana")
    item = stages.intake(runtime, root / "invoices" / invoices[1].file_name)
    parsed = stages.parse(runtime, item)
    assert parsed.document is not None
    extraction = stages.extract(runtime, item, parsed)
    checked = stages.check(runtime, item, parsed.document, extraction, None)
    assert checked.findings == [] and checked.completeness.complete
    learned = runtime.store.layout_for("V2001")
    assert learned is not None and learned.confirmations == 2  # the check stage confirmed it

    credit = Finding(code="CREDIT_NOTE", severity=Severity.HIGH, message="negative total")
    assert layouts.learn_if_confirmed(runtime, item.invoice_id, parsed.document, extraction,
                                      checked.match, checked.completeness, [credit]) is None
    unmatched = checked.match.model_copy(update={"po": None})
    assert layouts.learn_if_confirmed(runtime, item.invoice_id, parsed.document, extraction,
                                      unmatched, checked.completeness, []) is None
    again = layouts.learn_if_confirmed(runtime, item.invoice_id, parsed.document, extraction,
                                       checked.match, checked.completeness, [])
    assert again is not None and again.confirmations == 2  # a retried check counts once
    stages.extract(runtime, item, parsed)  # a retried extract stage counts its use once
    counted = runtime.store.layout_for("V2001")
    assert counted is not None and counted.hits == 1
