"""The `apx` command: demo, eval, process, show, audit, ui, serve, reviewers."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import time
import warnings
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from apx import environment
from apx.settings import Settings

if TYPE_CHECKING:
    from models.processing import ProcessingResult
    from store.repository import Store

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="APX: AP invoice-exception automation (Prefect + pdfplumber + one model).")
audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")
app.add_typer(audit_app, name="audit")
reviewers_app = typer.Typer(no_args_is_help=True,
                            help="Who may decide invoices in review (name, role, personal code).")
app.add_typer(reviewers_app, name="reviewers")
# A pipe or CI log gets a fixed, readable width instead of rich's 80 columns.
console = Console(width=None if sys.stdout.isatty() else 150)

DataOption = Annotated[Path, typer.Option("--data", help="A folder with erp/ and invoices/.")]
NoModel = Annotated[bool, typer.Option("--no-model", help="Make no model call (fallbacks only).")]


def _settings() -> Settings:
    settings = Settings()
    environment.configure(settings.home)
    warnings.filterwarnings("ignore")
    logging.getLogger("LiteLLM").setLevel(logging.ERROR)
    return settings


def _fail(message: str) -> NoReturn:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _run_with_progress(
    settings: Settings, files: list[Path], label: str, *, erp_dir: Path, database_url: str,
    documents_dir: Path, as_of: date, no_model: bool, model_cache_file: Path | None,
) -> tuple[list[ProcessingResult], Store]:
    """Run the batch with a progress bar; unreadable ERP data ends the command with its reason."""
    from apx.runner import run_files
    from erp.csv_master import MasterDataError

    try:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("{task.fields[current]}"),
                      console=console, transient=False) as progress:
            task = progress.add_task(label, total=len(files), current="starting Prefect…")

            def advance(outcome: ProcessingResult) -> None:
                progress.update(task, advance=1, current=(
                    f"{outcome.file_name}: {outcome.decision or outcome.status}"))

            return run_files(
                files, erp_dir=erp_dir, database_url=database_url, documents_dir=documents_dir,
                policy_file=settings.policy_file, as_of=as_of,
                extraction_mode=settings.extraction_mode,
                use_model=settings.use_model and not no_model,
                model_cache_file=model_cache_file, on_progress=advance,
            )
    except MasterDataError as error:  # outside the live progress bar, so it prints cleanly
        _fail(f"the ERP data cannot be read: {error}")


@app.command()
def demo(
    data: DataOption = Path("sample_data"),
    no_model: NoModel = False,
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
    files = dataset.invoice_files
    console.print(f"APX demo: {len(files)} invoices from {data}/invoices, ERP data from "
                  f"{data}/erp, today = {dataset.as_of}, model: "
                  f"{'none' if no_model else _model_names()}")
    started = time.perf_counter()
    with fresh_database(settings.database_url, keep_dir=demo_home) as url:
        outcomes, _store = _run_with_progress(
            settings, files, "processing", erp_dir=dataset.erp_dir, database_url=url,
            documents_dir=demo_home / "documents", as_of=dataset.as_of, no_model=no_model,
            model_cache_file=settings.model_cache_file,
        )
        console.print(outcome_table(outcomes))
        console.print(totals_line(outcomes))
        console.print(f"[dim]{time.perf_counter() - started:.1f} s[/dim]")
        apx, env = _apx_command(), f"APX_DATABASE_URL={url}"
        console.print(
            f"\nDetails: [bold]{env} {apx} show FILE[/bold] prints an invoice's review card "
            f"(findings, evidence, decision, model calls);\n"
            f"[bold]{env} {apx} audit verify[/bold] checks the audit chain; "
            f"[bold]{apx} ui[/bold] opens the Prefect UI with every flow run of this demo."
        )


@app.command("eval")
def evaluate(
    data: DataOption,
    json_out: Annotated[Path, typer.Option("--json", help="Where to write the report.")] = Path(
        "eval.json"),
    no_model: NoModel = False,
    cache: Annotated[bool, typer.Option(help="Reuse cached model answers.")] = False,
) -> None:
    """Run the pipeline on a fresh database over a labelled set and score it against truth.json."""
    from apx.dataset import DatasetError, load_dataset
    from apx.evaluate import RunRecord, score
    from apx.runner import fresh_database

    settings = _settings()
    try:
        dataset = load_dataset(data, require_truth=True)
    except DatasetError as error:
        _fail(str(error))
    assert dataset.truth is not None
    files = dataset.invoice_files
    started = time.perf_counter()
    with fresh_database(settings.database_url) as url:
        outcomes, store = _run_with_progress(
            settings, files, "evaluating", erp_dir=dataset.erp_dir, database_url=url,
            documents_dir=Path(url.removeprefix("sqlite:///")).parent / "documents"
            if url.startswith("sqlite") else settings.home / "eval-documents",
            as_of=dataset.as_of, no_model=no_model,
            model_cache_file=settings.model_cache_file if cache else None,
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
    json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    summary = {k: report[k] for k in ("invoices", "pattern_recall", "pattern_precision",
                                      "primary_accuracy", "decision_accuracy",
                                      "high_stakes_auto_approved", "model_calls", "seconds")}
    summary["field_accuracy.overall"] = report["field_accuracy"]["overall"]
    console.print_json(json.dumps(summary))
    console.print(f"Report written to {json_out} ({len(report['mistakes'])} mistakes listed).")


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
    outcomes, _store = _run_with_progress(
        settings, files, "processing", erp_dir=erp,
        database_url=settings.resolved_database_url(), documents_dir=settings.documents_dir,
        as_of=date.fromisoformat(as_of) if as_of else date.today(), no_model=no_model,
        model_cache_file=settings.model_cache_file,
    )
    console.print(outcome_table(outcomes))
    console.print(totals_line(outcomes))


@app.command()
def show(
    reference: Annotated[str, typer.Argument(help="File name, invoice number or id.")],
    erp: Annotated[Path | None, typer.Option(
        help="ERP export folder: shows the PO and receipt lines beside the invoice lines.")
    ] = None,
) -> None:
    """Print an invoice's review card: header, findings with evidence, decision, model calls."""
    from apx.report import print_card, review_card
    from store.repository import Store

    settings = _settings()
    store = Store.open(settings.resolved_database_url())
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


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit hash chain and say whether any event was altered."""
    from store.repository import Store

    settings = _settings()
    result = Store.open(settings.resolved_database_url()).verify_audit()
    if result.ok:
        console.print(f"[green]audit chain intact[/green]: {result.events} events")
    else:
        console.print(f"[red]audit chain broken[/red] at event {result.first_bad_id}")
        raise typer.Exit(1)


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
        model_cache_file=str(settings.model_cache_file.resolve()),
    )
    options = ServeOptions(inbox=inbox_dir, spec=spec, host=host, port=port, workers=workers,
                           escalation_check_seconds=escalation_check, settle_seconds=settle)

    def ready() -> None:
        from store.repository import Store

        if not Store.open(database_url).reviews.reviewers():
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
    from store.repository import Store
    from store.reviews import ReviewerExists

    settings = _settings()
    known = roles(load_policy(settings.policy_file))
    if role not in known:
        _fail(f"unknown role '{role}'; the policy's roles are: {', '.join(known)}")
    code = new_code()
    try:
        Store.open(settings.resolved_database_url()).reviews.add_reviewer(
            name, role, hash_code(code), replace=reset)
    except (ReviewerExists, ValueError) as error:
        _fail(f"{error} (use --reset to give them a new code)")
    console.print(f"Reviewer [bold]{name.strip()}[/bold] ({role}). Personal code, shown only "
                  f"now:\n\n    [bold]{code}[/bold]\n\nThey enter their name and this code in "
                  f"the review form.", highlight=False)


@reviewers_app.command("list")
def reviewers_list() -> None:
    """The registered reviewers and their roles (codes are never shown)."""
    from store.repository import Store

    settings = _settings()
    for reviewer in Store.open(settings.resolved_database_url()).reviews.reviewers():
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
