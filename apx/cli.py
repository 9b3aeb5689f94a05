"""The `apx` command: demo, eval, process, show, audit, rules, ui, serve, reviewers, report."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from apx import environment
from apx.settings import Settings
from store.files import private_dir

if TYPE_CHECKING:
    from apx.dataset import Dataset
    from models.processing import ProcessingResult
    from store.repository import Store

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="APX: AP invoice-exception automation (Prefect + pdfplumber + one model).")
audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")
app.add_typer(audit_app, name="audit")
layouts_app = typer.Typer(no_args_is_help=True,
                          help="Vendor layouts learned from confirmed invoices.")
app.add_typer(layouts_app, name="layouts")
policy_app = typer.Typer(no_args_is_help=True, help="The decision policy: try a change first.")
app.add_typer(policy_app, name="policy")
reviewers_app = typer.Typer(no_args_is_help=True,
                            help="Who may decide invoices in review (name, role, personal code).")
app.add_typer(reviewers_app, name="reviewers")
# A pipe or CI log gets a fixed, readable width instead of rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 150)

DataOption = Annotated[Path, typer.Option("--data", help="A folder with erp/ and invoices/.")]
NoModel = Annotated[bool, typer.Option("--no-model", help="Make no model call (fallbacks only).")]


def _settings() -> Settings:
    from pipeline import logredaction

    logredaction.install()  # no log line carries a bank account or an API key in full
    settings = Settings()
    private_dir(settings.home, tighten=False)  # database, originals, key: the owner's only
    environment.configure(settings.home)
    warnings.filterwarnings("ignore")
    logging.getLogger("LiteLLM").setLevel(logging.ERROR)
    return settings


def _open_store(settings: Settings, url: str | None = None) -> Store:
    """The store on `url` (default: the configured database), with the audit key and anchors."""
    from store.repository import Store
    from store.secrets import AuditKeyError

    try:
        key = settings.load_audit_key()
    except (AuditKeyError, OSError) as error:
        _fail(f"the audit key cannot be used: {error}")
    return Store.open(url or settings.resolved_database_url(), key=key,
                      anchor_file=settings.audit_anchor_file)


def _fail(message: str) -> NoReturn:
    console.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(2)


def _run_with_progress(
    settings: Settings, files: list[Path], label: str, *, erp_dir: Path, database_url: str,
    documents_dir: Path, as_of: date, no_model: bool, model_cache_file: Path | None,
    anchored: bool = True,
) -> tuple[list[ProcessingResult], Store]:
    """Run the batch with a progress bar; unreadable ERP data ends the command with its reason."""
    from apx.report import safe
    from apx.runner import run_files
    from erp.csv_master import MasterDataError
    from store.secrets import AuditKeyError

    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("{task.fields[current]}"),
                      console=console, transient=False) as progress:
            task = progress.add_task(label, total=len(files), current="starting Prefect…")

            def advance(outcome: ProcessingResult) -> None:
                progress.update(task, advance=1, current=safe(
                    f"{outcome.file_name}: {outcome.decision or outcome.status}"))

            return run_files(
                files, erp_dir=erp_dir, database_url=database_url, documents_dir=documents_dir,
                policy_file=settings.policy_file, as_of=as_of, parse_limits=settings.parse,
                extraction_mode=settings.extraction_mode,
                use_model=settings.use_model and not no_model,
                model_cache_file=model_cache_file, on_progress=advance,
                audit_anchor_file=settings.audit_anchor_file if anchored else None,
                **_audit_key_source(settings),
            )
    except MasterDataError as error:  # outside the live progress bar, so it prints cleanly
        _fail(f"the ERP data cannot be read: {error}")
    except AuditKeyError as error:
        _fail(f"the audit key cannot be used: {error}")


def _audit_key_source(settings: Settings) -> dict[str, Any]:
    source = settings.audit_key_source()
    file, env = source["audit_key_file"], source["audit_key_env"]
    return {"audit_key_file": Path(file) if file else None, "audit_key_env": env}


def _spec_audit_key(settings: Settings) -> dict[str, Any]:
    """The audit key's source as a run spec carries it (a path or a variable's name)."""
    source = settings.audit_key_source()
    file, env = source["audit_key_file"], source["audit_key_env"]
    return {"audit_key_file": str(Path(file).resolve()) if file else None,
            "audit_key_env": env,
            "audit_anchor_file": str(Path(settings.audit_anchor_file).resolve())}


def _print_anchor(store: Store) -> None:
    anchor = store.newest_anchor()
    if anchor is not None and store.anchors is not None:
        console.print(f"[dim]audit chain anchored at event {anchor.event_id} "
                      f"({anchor.hash[:16]}…) in {escape(str(store.anchors.path))}[/dim]")


@app.command()
def demo(
    data: DataOption = Path("sample_data"),
    no_model: NoModel = False,
    first: Annotated[int, typer.Option(
        help="Only the first N files: the sample set's first 43 show every pattern once, in "
             "a few minutes with the local model; 0 = all (156, with near misses)")] = 43,
) -> None:
    """Process the sample invoices on a fresh database and print what happened to each."""
    from apx.dataset import DatasetError, load_dataset
    from apx.report import outcome_table, totals_line
    from apx.runner import fresh_database

    settings = _settings()
    try:
        dataset = load_dataset(data)
    except DatasetError as error:
        _fail(str(error))
    demo_home = settings.home / "demo"
    files = dataset.invoice_files[:first] if first > 0 else dataset.invoice_files
    console.print(f"APX demo: {len(files)} invoices from {data}/invoices, ERP data from "
                  f"{data}/erp, today = {dataset.as_of}, model: "
                  f"{'none' if no_model else _model_names()}")
    started = time.perf_counter()
    with fresh_database(settings.database_url, keep_dir=demo_home) as url:
        _forget_anchors(settings, url)  # a new database: the old demo's anchors are void
        outcomes, store = _run_with_progress(
            settings, files, "processing", erp_dir=dataset.erp_dir, database_url=url,
            documents_dir=demo_home / "documents", as_of=dataset.as_of, no_model=no_model,
            model_cache_file=settings.model_cache_file,
        )
        console.print(outcome_table(outcomes))
        console.print(totals_line(outcomes))
        _print_anchor(store)
        console.print(f"[dim]{time.perf_counter() - started:.1f} s[/dim]")
        apx, env = _apx_command(), f"APX_DATABASE_URL={url}"
        console.print(
            f"\nDetails: [bold]{env} {apx} show FILE[/bold] prints an invoice's review card "
            f"(findings, evidence, decision, model calls);\n"
            f"[bold]{env} {apx} audit verify[/bold] checks the audit chain, "
            f"[bold]{env} {apx} audit show FILE[/bold] tells an invoice's audit trail; "
            f"[bold]{apx} ui[/bold] opens the Prefect UI with every flow run of this demo."
        )


@app.command("eval")
def evaluate(
    data: DataOption,
    models: Annotated[list[str] | None, typer.Argument(
        help="With --compare: the litellm models to compare.", show_default=False)] = None,
    json_out: Annotated[Path, typer.Option("--json", help="Where to write the report.")] = Path(
        "eval.json"),
    no_model: NoModel = False,
    cache: Annotated[bool, typer.Option(help="Reuse cached model answers.")] = False,
    model_extraction: Annotated[str | None, typer.Option(
        "--model-extraction", help="litellm model for extraction (default: "
        "APX_EXTRACTION_MODEL).")] = None,
    model_classification: Annotated[str | None, typer.Option(
        "--model-classification", help="litellm model for classification (default: "
        "APX_CLASSIFICATION_MODEL).")] = None,
    compare: Annotated[bool, typer.Option(
        "--compare", help="Evaluate each MODEL (for both steps) on the same data and write a "
        "markdown comparison (--out).")] = False,
    out: Annotated[Path, typer.Option(
        "--out", help="The comparison report (with --compare); its chart is written beside it.",
    )] = Path("compare.md"),
) -> None:
    """Run the pipeline on a fresh database over a labelled set and score it against truth.json."""
    from apx.dataset import DatasetError, load_dataset

    settings = _settings()
    try:
        dataset = load_dataset(data, require_truth=True)
    except DatasetError as error:
        _fail(str(error))
    if compare:
        if not models:
            _fail("--compare needs the models to compare: apx eval --data DIR --compare M1 M2")
        _compare_models(settings, dataset, models, json_out, out, cache=cache)
        return
    if models:
        _fail(f"unexpected arguments {' '.join(models)}: models are compared with --compare")
    chosen = {"extraction": model_extraction, "classification": model_classification}
    for model in chosen.values():
        if model and not no_model:
            _check_model(model)
    with _models_for_steps(chosen):
        report = _evaluate_once(settings, dataset, "evaluating", no_model=no_model, cache=cache)
    json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {k: report[k] for k in ("invoices", "pattern_recall", "pattern_precision",
                                      "primary_accuracy", "decision_accuracy",
                                      "high_stakes_auto_approved", "model_calls", "seconds")}
    summary["field_accuracy.overall"] = report["field_accuracy"]["overall"]
    summary["models"] = report["models"]
    console.print_json(json.dumps(summary))
    console.print(f"Report written to {json_out} ({len(report['mistakes'])} mistakes listed).")


def _check_model(model: str) -> None:
    """Refuse a model whose provider is not allowed before any invoice is read."""
    from gateway.config import GatewaySettings, ModelNotAllowed

    try:
        GatewaySettings().check_allowed(model)
    except ModelNotAllowed as error:
        _fail(str(error))


@contextlib.contextmanager
def _models_for_steps(models: dict[str, str | None]) -> Iterator[None]:
    """Point the gateway's per-step model settings at `models` for the duration."""
    names = {"extraction": "APX_EXTRACTION_MODEL", "classification": "APX_CLASSIFICATION_MODEL"}
    saved = {name: os.environ.get(name) for name in names.values()}
    try:
        for step, model in models.items():
            if model:
                os.environ[names[step]] = model
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _evaluate_once(
    settings: Settings, dataset: Dataset, label: str, *, no_model: bool, cache: bool,
) -> dict[str, Any]:
    """One eval run on a fresh database: the score, plus model use per step."""
    from apx.evaluate import RunRecord, score
    from apx.reporting import load_facts
    from apx.runner import fresh_database
    from gateway.config import GatewaySettings
    from metrics.usage import step_usage

    assert dataset.truth is not None
    gateway = GatewaySettings()
    started = time.perf_counter()
    with fresh_database(settings.database_url) as url:
        outcomes, store = _run_with_progress(
            settings, dataset.invoice_files, label, erp_dir=dataset.erp_dir, database_url=url,
            documents_dir=Path(url.removeprefix("sqlite:///")).parent / "documents"
            if url.startswith("sqlite") else settings.home / "eval-documents",
            as_of=dataset.as_of, no_model=no_model,
            model_cache_file=settings.model_cache_file if cache else None, anchored=False,
        )
        records = []
        for outcome in outcomes:
            row = store.invoice(outcome.invoice_id) if outcome.invoice_id else None
            fields = {} if row is None else {
                "vendor_id": row.vendor_id, "invoice_number": row.invoice_number,
                "invoice_date": row.invoice_date, "po_number": row.po_number,
                "currency": row.currency, "subtotal": row.subtotal, "tax": row.tax,
                "total": row.total,
            }
            records.append(RunRecord(
                file=outcome.file_name, fields=fields, patterns=outcome.patterns,
                primary=outcome.primary_pattern, decision=outcome.decision,
                extraction_calls=outcome.extraction_calls,
                classification_calls=outcome.classification_calls,
            ))
        report = score(dataset.truth, records, time.perf_counter() - started)
        usage = step_usage(load_facts(store))
    report["models"] = {"extraction": "none" if no_model else gateway.extraction_model,
                        "classification": "none" if no_model else gateway.classification_model}
    report["model_usage"] = {row.step: row.model_dump(mode="json") for row in usage}
    return report


def _compare_models(
    settings: Settings, dataset: Dataset, models: list[str], json_out: Path, out: Path, *,
    cache: bool,
) -> None:
    from apx.compare import compare_chart, compare_markdown

    for model in models:
        _check_model(model)
    reports: dict[str, dict[str, Any]] = {}
    for model in models:
        with _models_for_steps({"extraction": model, "classification": model}):
            reports[model] = _evaluate_once(settings, dataset, model, no_model=False,
                                            cache=cache)
    json_out.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    chart = out.with_suffix(".png")
    compare_chart(reports, chart)
    out.write_text(compare_markdown(reports, chart.name, str(dataset.root)), encoding="utf-8")
    for model, report in reports.items():
        console.print(f"{model}: decisions {report['decision_accuracy']}, fields "
                      f"{report['field_accuracy']['overall']}, primary "
                      f"{report['primary_accuracy']}, {report['seconds']} s")
    console.print(f"Comparison written to {out} (chart {chart}); every report in {json_out}.")


@app.command("export-labels")
def export_labels(
    out: Annotated[Path, typer.Option("--out", help="A new folder for the labelled set.")],
    erp: Annotated[Path, typer.Option(help="The ERP export the invoices were matched against.")
                   ] = Path("sample_data/erp"),
) -> None:
    """Export the invoices reviewers decided (with their corrections) as an eval set."""
    from apx.labels import export, labelled_set
    from apx.reporting import load_facts

    settings = _settings()
    store = _open_store(settings)
    rows = {row.id: row for row in store.invoices()}
    labelled = labelled_set(load_facts(store), rows)
    if not labelled:
        _fail("no invoice has a reviewer's decision yet: nothing to export")
    originals = {}
    for item, _label in labelled:
        stored = store.document_path(item.invoice_id)
        if stored is None or not Path(stored).is_file():
            _fail(f"the original of {item.file_name} is not at {stored}")
        originals[item.invoice_id] = Path(stored)
    try:
        truth = export(labelled, originals, erp, out)
    except FileExistsError as error:
        _fail(str(error))
    corrected = sum(1 for _item, label in labelled
                    if any(r.corrections for r in _item.reviews))
    console.print(f"{len(truth.invoices)} labelled invoices ({corrected} with corrections) "
                  f"written to {out}; measure a model on them with "
                  f"[bold]apx eval --data {out}[/bold].")


@app.command()
def process(
    files: Annotated[list[Path], typer.Argument(help="Invoice files, processed in this order.")],
    erp: Annotated[Path, typer.Option(help="Folder with the ERP export CSVs.")] = Path(
        "sample_data/erp"),
    as_of: Annotated[str | None, typer.Option(help="Today's date (YYYY-MM-DD).")] = None,
    no_model: NoModel = False,
) -> None:
    """Process invoice files into APX's database (APX_DATABASE_URL; SQLite in .apx by default)."""
    from apx.report import outcome_table, totals_line

    settings = _settings()
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    outcomes, store = _run_with_progress(
        settings, files, "processing", erp_dir=erp,
        database_url=settings.resolved_database_url(), documents_dir=settings.documents_dir,
        as_of=date.fromisoformat(as_of) if as_of else date.today(), no_model=no_model,
        model_cache_file=settings.model_cache_file,
    )
    console.print(outcome_table(outcomes))
    console.print(totals_line(outcomes))
    _print_anchor(store)


@app.command()
def show(
    reference: Annotated[str, typer.Argument(help="File name, invoice number or id.")],
    erp: Annotated[Path | None, typer.Option(
        help="ERP export folder: shows the PO and receipt lines beside the invoice lines.")
    ] = None,
) -> None:
    """Print an invoice's review card: header, findings with evidence, decision, model calls."""
    from apx.report import print_card, review_card

    settings = _settings()
    store = _open_store(settings)
    row = store.find_invoice(reference)
    if row is None:
        _fail(f"no invoice matches '{reference}' in {settings.resolved_database_url()}")
    master = None
    if erp is not None:
        from erp.csv_master import MasterDataError, load_master_data

        try:
            master = load_master_data(erp)
        except MasterDataError as error:
            _fail(f"the ERP data cannot be read: {error}")
    print_card(console, review_card(row, store.findings(row.id), store.model_calls(row.id),
                                    master))


def _day(text: str | None, option: str, *, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD option as the start of that day in UTC (the next day's for an end)."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} takes a date as YYYY-MM-DD, not '{text}'")
    return datetime.combine(day + timedelta(days=1 if end else 0), datetime.min.time(), UTC)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="The HTML page to write.")] = Path(
        "apx-report.html"),
    since: Annotated[str | None, typer.Option(
        help="First day received (YYYY-MM-DD); default: --days before --until.")] = None,
    until: Annotated[str | None, typer.Option(
        help="Last day received, inclusive (YYYY-MM-DD); default: the newest invoice's day.",
    )] = None,
    days: Annotated[int, typer.Option(help="Length of the default period.")] = 30,
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Also write every figure as JSON.")] = None,
) -> None:
    """Write the controller's report (one self-contained HTML page) over a period."""
    from apx.report_html import duration, money, pct, render_html
    from apx.reporting import build_report, load_facts
    from config.loader import load_policy

    settings = _settings()
    url = settings.resolved_database_url()
    store = _open_store(settings, url)
    figures = build_report(load_facts(store), load_policy(settings.policy_file),
                           since=_day(since, "--since"), until=_day(until, "--until", end=True),
                           days=days)
    out.write_text(render_html(figures, generated_at=datetime.now(UTC),
                               source=_redacted(url)), encoding="utf-8")
    if json_out is not None:
        json_out.write_text(figures.model_dump_json(indent=2) + "\n", encoding="utf-8")
    costs = figures.costs
    to_approval = figures.mean_days_to_approval
    console.print(
        f"{figures.invoices} invoices received {figures.since:%Y-%m-%d} to "
        f"{figures.until - timedelta(days=1):%Y-%m-%d}: "
        f"touchless {pct(figures.touchless_rate)}, exceptions {pct(figures.exception_rate)}, "
        f"review {pct(figures.review_rate)}, hold {pct(figures.hold_rate)}, "
        f"reject {pct(figures.reject_rate)}; cost per invoice "
        f"{money(costs.per_invoice, costs.currency)}; mean to approval "
        f"{duration(to_approval * 24) if to_approval is not None else '-'}; "
        f"{figures.waiting_reviews} waiting for review.")
    console.print(f"Report written to {out}" + (f" and {json_out}" if json_out else "") + ".")


@policy_app.command("replay")
def policy_replay(
    policy: Annotated[Path, typer.Option("--policy", help="The policy file to try.")],
    since: Annotated[str | None, typer.Option(help="First day received (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(
        help="Last day received, inclusive (YYYY-MM-DD).")] = None,
    show: Annotated[int, typer.Option(help="List at most this many changed invoices.")] = 40,
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Also write the replay as JSON.")] = None,
) -> None:
    """Re-decide the stored invoices under another policy and list what would change."""
    from rich.table import Table

    from apx.report import amount_text
    from apx.reporting import load_facts
    from config.loader import ConfigFileError, load_catalog, load_policy
    from metrics.facts import in_period
    from pipeline.replay import replay

    settings = _settings()
    try:
        candidate = load_policy(policy)
    except ConfigFileError as error:
        _fail(str(error))
    facts = load_facts(_open_store(settings))
    start, end = _day(since, "--since"), _day(until, "--until", end=True)
    if start is not None or end is not None:
        facts = in_period(facts, start or datetime.min.replace(tzinfo=UTC),
                          end or datetime.max.replace(tzinfo=UTC))
    result = replay(facts, candidate, load_catalog(),
                    current=load_policy(settings.policy_file))
    if json_out is not None:
        json_out.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(
        f"Policy {', '.join(result.policy_before) or '-'} → {result.policy_after}: "
        f"{result.replayed} invoices re-decided, [bold]{len(result.changes)} would change[/], "
        f"{result.unchanged} unchanged" + (f", {result.skipped} skipped (no decision)"
                                           if result.skipped else "") + ".")
    if result.transitions:
        totals = Table(header_style="bold", pad_edge=False, title="Changes by kind")
        for name in ("change", "invoices", "totals"):
            totals.add_column(name, justify="right" if name == "invoices" else "left")
        for row in result.transitions:
            totals.add_row(row.transition, str(row.invoices), ", ".join(
                amount_text(amount, currency) for currency, amount in row.totals.items()))
        console.print(totals)
        listed = Table(header_style="bold", pad_edge=False,
                       title=f"Invoices whose decision would change"
                             f"{f' (first {show})' if len(result.changes) > show else ''}")
        for name in ("invoice", "vendor", "total", "now", "would be", "reason"):
            listed.add_column(name, justify="right" if name == "total" else "left",
                              overflow="fold")
        for change in result.changes[:show]:
            ref = change.invoice
            listed.add_row(ref.label, ref.vendor or "-", amount_text(ref.total, ref.currency),
                           f"{change.before} {change.approver_before or ''}".strip(),
                           f"{change.after} {change.approver_after or ''}".strip(),
                           change.reason_after)
        console.print(listed)
    outcomes = sorted(set(result.outcomes_before) | set(result.outcomes_after))
    console.print("Outcomes now → under the new policy: " + ", ".join(
        f"{o} {result.outcomes_before.get(o, 0)} → {result.outcomes_after.get(o, 0)}"
        for o in outcomes))
    if result.not_replayed_keys:
        console.print(f"[yellow]Not replayed[/]: {', '.join(result.not_replayed_keys)} changed; "
                      "rules read these keys, so their effect shows only when invoices are "
                      "processed again.")


def _redacted(url: str) -> str:
    """The database for the page's header, without a password."""
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the keyed audit chain, its anchors, and every decision and voucher against it."""
    settings = _settings()
    result = _open_store(settings).verify_audit()
    anchor = (f"anchored at event {result.anchor.event_id} "
              f"({result.anchors_checked} anchor{'s' if result.anchors_checked != 1 else ''} "
              f"checked)" if result.anchor else "not anchored")
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {escape(note)}")
    if result.ok:
        console.print(f"[green]audit log intact[/green]: {result.events} events, {anchor}; "
                      f"every decision and voucher agrees with its event")
        return
    where = (f" at event {result.first_bad_id}" if result.first_bad_id is not None else "")
    console.print(f"[red]audit log broken{where}[/red] ({result.events} events, {anchor}):")
    for problem in result.problems:
        console.print(f"  [red]{problem.kind}[/red]: {escape(problem.message)}")
    raise typer.Exit(1)


@audit_app.command("show")
def audit_show(
    reference: Annotated[str, typer.Argument(help="File name, invoice number or id.")],
    raw: Annotated[bool, typer.Option("--json", help="The raw audit events as JSON.")] = False,
) -> None:
    """Tell an invoice's audit trail as a story: received, read, extracted, checked, decided."""
    from apx.audit_story import plain, story

    settings = _settings()
    store = _open_store(settings)
    row = store.find_invoice(reference)
    if row is None:
        _fail(f"no invoice matches '{reference}' in {settings.resolved_database_url()}")
    events = store.audit_events(row.id)
    if raw:
        print(json.dumps([event.model_dump(mode="json") for event in events], indent=2,
                         ensure_ascii=False))
        return
    console.print(f"Audit trail of {plain(row.file_name)} (invoice {row.id[:12]}…, "
                  f"status {row.status}), {len(events)} events:", markup=False, highlight=False,
                  soft_wrap=True)
    for line in story(events):  # one line per event, wrapped by the terminal (greppable)
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@layouts_app.command("confirm")
def layouts_confirm(
    reference: Annotated[str, typer.Argument(help="File name, invoice number or id.")],
    erp: Annotated[Path, typer.Option(help="Folder with the ERP export CSVs.")] = Path(
        "sample_data/erp"),
    by: Annotated[str | None, typer.Option(help="Who confirms (default: your user name).")] = None,
    corrected: Annotated[list[str] | None, typer.Option(
        "--set", help="FIELD=VALUE: a value APX read wrong, as it should be (repeatable).")] = None,
) -> None:
    """Confirm an invoice's extraction as a person: its vendor's layout is learned from it, and
    the vendor's next invoices are read with it first (the invoice's decision is unchanged)."""
    import getpass

    from apx.layouts import CorrectionError, corrections
    from erp.csv_master import MasterDataError, load_master_data
    from pipeline.layouts import LayoutError, confirm

    settings = _settings()
    store = _open_store(settings)
    row = store.find_invoice(reference)
    if row is None:
        _fail(f"no invoice matches '{reference}' in {settings.resolved_database_url()}")
    try:
        master = load_master_data(erp)
        fixed = corrections(corrected or [])
        done = confirm(store, master, row.id, f"cli:{by or getpass.getuser()}", fixed)
    except (MasterDataError, CorrectionError, LayoutError) as error:
        _fail(str(error))
    except ValueError as error:  # a corrected value of the wrong type
        _fail(f"a corrected value is not valid: {error}")
    layout = done.layout
    console.print(f"Layout of {layout.vendor_id} v{layout.version} learned from {row.file_name} "
                  f"(confirmed {layout.confirmations}x):")
    for rule in layout.rules:
        console.print(f"  {escape(rule.describe())}")
    for name, why in done.unplaced.items():
        console.print(f"  [yellow]{name} not learned[/yellow]: {escape(why)}")


@layouts_app.command("list")
def layouts_list(
    erp: Annotated[Path, typer.Option(help="Folder with the ERP export CSVs (vendor names).")] = (
        Path("sample_data/erp")),
) -> None:
    """Every vendor's learned layout: its rules, how often it fitted, dropped ones too."""
    from apx.layouts import layouts_table
    from erp.csv_master import MasterDataError, load_vendors

    settings = _settings()
    store = _open_store(settings)
    layouts = store.layouts()
    if not layouts:
        console.print("No vendor layout learned yet (`apx layouts confirm INVOICE` teaches one).")
        return
    try:
        names = {v.vendor_id: v.name for v in load_vendors(erp / "vendors.csv").values()}
    except (MasterDataError, OSError):
        names = {}
    files = {row.id: row.file_name for row in store.invoices()}
    console.print(layouts_table(layouts, names, files))


@app.command("rules")
def rules_command(
    pattern: Annotated[str | None, typer.Argument(
        help="A pattern id (any case): print that rule's full doc.")] = None,
) -> None:
    """List the rules (pattern, severity, fraud risk, summary), or print one rule's full doc."""
    from apx.rulebook import print_rule, rules_table
    from config.loader import ConfigFileError, load_catalog, load_policy
    from rules.docs import RuleDocError, rule_docs

    try:
        catalog = load_catalog()
        docs = {doc.pattern: doc for doc in rule_docs()}
        policy = load_policy(Settings().policy_file)
    except (ConfigFileError, RuleDocError) as error:
        _fail(str(error))
    if pattern is None:
        console.print(rules_table(catalog, docs))
        console.print(f"{len(docs)} rules, {len(catalog.patterns)} catalog patterns in priority "
                      f"order. [bold]apx rules PATTERN[/bold] prints a rule's full doc.")
        return
    wanted = pattern.strip().upper()
    if wanted not in catalog.ids:
        _fail(f"{pattern} is not in the exception pattern catalog; `apx rules` lists them")
    print_rule(console, catalog, wanted, docs.get(wanted), policy)


@app.command()
def ui(port: int = 4200) -> None:
    """Start the Prefect server and UI on the database the demo and `process` wrote to."""
    _settings()
    console.print(f"Prefect UI on http://127.0.0.1:{port} "
                  f"(PREFECT_HOME={os.environ['PREFECT_HOME']}); Ctrl-C stops it.")
    prefect = Path(sys.executable).with_name("prefect")
    with contextlib.suppress(KeyboardInterrupt):
        # The UI's browser code calls the API at PREFECT_UI_API_URL; without it, 4200.
        env = {**os.environ, "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}
        subprocess.run([str(prefect), "server", "start", "--host", "127.0.0.1",
                        "--port", str(port)], check=False, env=env)


def _forget_anchors(settings: Settings, url: str) -> None:
    from sqlalchemy import make_url

    from store.audit import AnchorFile
    from store.db import database_identity
    from store.unit_of_work import now

    AnchorFile(settings.audit_anchor_file).reset(database_identity(make_url(url)), now())


@app.command()
def serve(
    inbox: Annotated[Path | None, typer.Option(
        help="Folder to watch for invoice files (default: APX_INBOX or .apx/inbox).")] = None,
    erp: Annotated[Path, typer.Option(help="Folder with the ERP export CSVs.")] = Path(
        "sample_data/erp"),
    host: str = "127.0.0.1",
    port: int = 4200,
    as_of: Annotated[str | None, typer.Option(help="Today's date (YYYY-MM-DD).")] = None,
    workers: Annotated[int, typer.Option(help="Invoices processed at once.")] = 2,
    escalation_check: Annotated[int, typer.Option(
        help="Seconds between checks for unanswered reviews.")] = 300,
    settle: Annotated[float, typer.Option(
        help="Seconds a file's size and time must stay unchanged before it is read.")] = 0.5,
    no_model: NoModel = False,
) -> None:
    """Run APX as a service: Prefect server and UI, the APX deployments, an inbox watcher."""
    from apx.serve import ServeOptions, run_service
    from pipeline.runtime import RunSpec

    settings = _settings()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apx").setLevel(logging.INFO)
    if settings.prefect_database_url:  # the Prefect server's own database
        url = settings.prefect_database_url.replace("postgresql+psycopg:", "postgresql+asyncpg:")
        os.environ["PREFECT_API_DATABASE_CONNECTION_URL"] = url
    database_url = settings.resolved_database_url()
    if database_url.startswith("sqlite:///") and not database_url.startswith("sqlite:////"):
        database_url = f"sqlite:///{Path(database_url.removeprefix('sqlite:///')).resolve()}"
    inbox_dir = (inbox or settings.inbox_dir).resolve()
    spec = RunSpec(
        erp_dir=str(erp.resolve()), database_url=database_url,
        documents_dir=str(settings.documents_dir.resolve()),
        policy_file=str(settings.policy_file.resolve()),
        as_of=date.fromisoformat(as_of) if as_of else date.today(),
        extraction_mode=settings.extraction_mode, use_model=settings.use_model and not no_model,
        model_cache_file=str(settings.model_cache_file.resolve()), parse_limits=settings.parse,
        **_spec_audit_key(settings),
    )
    options = ServeOptions(inbox=inbox_dir, spec=spec, host=host, port=port, workers=workers,
                           escalation_check_seconds=escalation_check, settle_seconds=settle)

    def ready() -> None:

        if not _open_store(settings, database_url).reviews.reviewers():
            console.print("[yellow]No reviewers yet:[/yellow] `apx reviewers add NAME --role "
                          "ap_clerk` gives someone a personal code for the review form.",
                          highlight=False)
        console.print(f"APX is serving.\n  Prefect UI: [bold]{options.ui_url}[/bold]  "
                      f"(reviews wait under Runs, state Suspended; queue under Artifacts)\n"
                      f"  Inbox:      [bold]{inbox_dir}[/bold]  (drop invoice files here)\n"
                      f"  Ctrl-C stops it; nothing in flight is lost.", highlight=False)

    run_service(options, home=settings.home.resolve(), on_ready=ready)


@reviewers_app.command("add")
def reviewers_add(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as they will type it.")],
    role: Annotated[str, typer.Option(help="A role of the policy's approval matrix.")],
    reset: Annotated[bool, typer.Option(help="Give an existing reviewer a new code.")] = False,
) -> None:
    """Register a reviewer and print their personal code (shown once, stored hashed)."""
    from config.loader import load_policy
    from rules.review import hash_code, new_code, roles
    from store.reviews import ReviewerExists

    settings = _settings()
    known = roles(load_policy(settings.policy_file))
    if role not in known:
        _fail(f"unknown role '{role}'; the policy's roles are: {', '.join(known)}")
    code = new_code()
    try:
        _open_store(settings).reviews.add_reviewer(
            name, role, hash_code(code), replace=reset)
    except (ReviewerExists, ValueError) as error:
        _fail(f"{error} (use --reset to give them a new code)")
    console.print(f"Reviewer [bold]{name.strip()}[/bold] ({role}). Personal code, shown only "
                  f"now:\n\n    [bold]{code}[/bold]\n\nThey enter their name and this code in "
                  f"the review form.", highlight=False)


@reviewers_app.command("list")
def reviewers_list() -> None:
    """The registered reviewers and their roles (codes are never shown)."""

    settings = _settings()
    for reviewer in _open_store(settings).reviews.reviewers():
        console.print(f"{reviewer.name:<30} {reviewer.role}"
                      + ("" if reviewer.active else "  (inactive)"), highlight=False)


def _apx_command() -> str:
    """How the user can call apx again: `.venv/bin/apx` after `make demo`, else `apx`."""
    script = Path(sys.argv[0])
    try:
        return str(script.resolve().relative_to(Path.cwd()))
    except ValueError:
        return script.name or "apx"


def _model_names() -> str:
    from gateway.config import GatewaySettings

    models = GatewaySettings()
    return f"extraction={models.extraction_model}, classification={models.classification_model}"


if __name__ == "__main__":
    app()
