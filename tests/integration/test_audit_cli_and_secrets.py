"""`apx audit show` and `apx audit verify`, secrets in every output of a full run, file modes.

The full run is the real CLI in this process (typer's runner): `apx process` on three sample
invoices through the Prefect flows, with a scripted model whose draft explanation repeats a
bank account (as a model may), API keys and the audit key in the environment. Then `show`,
`audit show` (story and --json) and `audit verify` for each, and every place the run wrote
to is searched for the planted values: the APX database (every table, audit payloads
included), the Prefect server's database (flow and task runs, logs, artifacts), every log
record, all CLI output, and the files in APX's home (anchors, the model cache).

Not searched for accounts: the stored originals (they are the invoices), and the model
cache (it replays the model's raw answers; it sits in the owner-only home). No reviewer codes
exist on this branch yet.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from sqlalchemy import MetaData, create_engine, make_url, select, text
from typer.testing import CliRunner

from apx.cli import app
from config.loader import POLICY_FILE
from gateway.cache import SqliteModelCache
from gateway.client import LiteLLMGateway
from gateway.config import GatewaySettings
from pipeline import runtime as runtime_module
from pipeline.process import process_file
from pipeline.runtime import RunSpec, forget_runtimes, runtime_for
from tests.pipeline_helpers import answer_from_schema

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
FILES = ("001-acme-inv-10231.pdf", "003-kestrel-kip-558201.pdf", "025-lumen-lit-2026-131.pdf")
NEW_IBAN = "NL84BUNQ2061479025"  # printed on 025: the changed bank details
US_ACCOUNT = "359681204417"  # printed on 003: "ABA routing ... · Account 359681204417"
OPENAI_KEY = "sk-test-PLANTED0openai0key0do0not0leak0123456789"
ANTHROPIC_KEY = "sk-ant-test-PLANTED0anthropic0key0987654321"
AUDIT_KEY = "PLANTED-audit-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def master_ibans() -> list[str]:
    rows = (SAMPLES / "erp" / "vendors.csv").read_text().splitlines()[1:]
    return [row.split(",")[4] for row in rows if row.split(",")[4]]


def grouped(account: str) -> str:
    return " ".join(account[i:i + 4] for i in range(0, len(account), 4))


def echoing_gateway(spec: RunSpec) -> LiteLLMGateway:
    """The real gateway (litellm, mocked answers); the classification draft quotes accounts."""
    import litellm

    def completion(**kwargs: Any) -> Any:
        schema = kwargs["response_format"]["json_schema"]["schema"]
        answer = answer_from_schema(schema)
        if "explanation" in answer:
            answer["explanation"] = (f"The invoice asks for payment to {grouped(NEW_IBAN)} "
                                     f"instead of {master_ibans()[0]}; remit Account "
                                     f"{US_ACCOUNT}.")
        return litellm.completion(**kwargs, mock_response=json.dumps(answer))

    cache = SqliteModelCache(spec.model_cache_file) if spec.model_cache_file else None
    return LiteLLMGateway(GatewaySettings(), completion=completion, cache=cache)


@pytest.fixture
def cli_env(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "apx-home"
    for name, value in {"APX_HOME": str(home), "APX_DATABASE_URL": database_url,
                        "APX_AUDIT_KEY": AUDIT_KEY, "OPENAI_API_KEY": OPENAI_KEY,
                        "ANTHROPIC_API_KEY": ANTHROPIC_KEY}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(runtime_module, "build_gateway", echoing_gateway)
    yield home
    forget_runtimes()


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def dump_database(url: str) -> str:
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    parts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            parts += [repr(tuple(row)) for row in connection.execute(select(table))]
    engine.dispose()
    return "\n".join(parts)


def dump_prefect_database() -> str:
    """Every row of every table of the Prefect server the tests run against, as text."""
    configured = os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL")
    if not configured:
        return ""
    engine = create_engine(make_url(configured).set(drivername="postgresql+psycopg"))
    parts: list[str] = []
    with engine.connect() as connection:
        tables = connection.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE'")).scalars().all()
        for table in tables:
            parts += connection.execute(text(f'SELECT t::text FROM "{table}" t')).scalars().all()
    engine.dispose()
    return "\n".join(parts)


def test_a_full_run_shows_bank_accounts_and_keys_only_masked(
    cli_env: Path, database_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    text_025 = pdfplumber.open(SAMPLES / "invoices" / FILES[2]).pages[0].extract_text()
    text_003 = pdfplumber.open(SAMPLES / "invoices" / FILES[1]).pages[0].extract_text()
    assert grouped(NEW_IBAN) in text_025 and US_ACCOUNT in text_003  # they are really planted
    caplog.set_level(logging.DEBUG)  # everything, SQL with its parameters included
    for chatty in ("pdfminer", "markdown_it"):  # a DEBUG record per token: minutes, not seconds
        caplog.set_level(logging.INFO, logger=chatty)
    for name in ("prefect", "LiteLLM", "apx", "httpx"):
        logging.getLogger(name).addHandler(caplog.handler)
    try:
        outputs = [invoke("process", *(str(SAMPLES / "invoices" / f) for f in FILES),
                          "--erp", str(SAMPLES / "erp"), "--as-of", "2026-11-20")]
        for name in FILES:
            outputs += [invoke("show", name), invoke("audit", "show", name),
                        invoke("audit", "show", name, "--json")]
        outputs.append(invoke("audit", "verify"))
    finally:
        for name in ("prefect", "LiteLLM", "apx", "httpx"):
            logging.getLogger(name).removeHandler(caplog.handler)

    cli = "\n".join(outputs)
    assert "BANK_DETAILS_CHANGED" in cli and "NL84…9025" in cli  # masked, but there
    assert "audit log intact" in cli
    database = dump_database(database_url)
    assert "_hmac" in database and "NL84…9025" in database
    home_files = "\n".join(
        path.read_text(errors="replace") for path in cli_env.rglob("*")
        if path.is_file() and "documents" not in path.parts and path.suffix != ".sqlite")
    cache = "\n".join(path.read_bytes().decode(errors="replace")
                      for path in cli_env.rglob("*.sqlite"))
    logs = caplog.text + "\n".join(str(record.__dict__) for record in caplog.records)
    prefect = dump_prefect_database()  # empty when the tests use an outside server
    assert not prefect or ("process-batch" in prefect and "audit-anchor" in prefect)

    accounts = [NEW_IBAN, grouped(NEW_IBAN), US_ACCOUNT, *master_ibans(),
                *map(grouped, master_ibans())]
    keys = [OPENAI_KEY, ANTHROPIC_KEY, AUDIT_KEY]
    places = {"cli output": cli, "APX database": database, "log records": logs,
              "Prefect database": prefect, "APX home": home_files}
    leaks = [(secret, place, content[max(0, content.index(secret) - 300):
                                     content.index(secret) + 100])
             for place, content in places.items()
             for secret in accounts + keys if secret in content]
    leaks += [(secret, "model cache", "") for secret in keys if secret in cache]
    assert leaks == []


def test_audit_show_tells_the_story_and_verify_names_the_break(cli_env: Path) -> None:
    invoke("process", str(SAMPLES / "invoices" / FILES[0]), str(SAMPLES / "invoices" / FILES[2]),
           "--erp", str(SAMPLES / "erp"), "--as-of", "2026-11-20")
    story = invoke("audit", "show", FILES[0])
    for expected in ("Received 001-acme-inv-10231.pdf", "Read by pdfplumber: 1 page",
                     "Extracted by code, without a model: invoice INV-10231",
                     "next to its label", "Matched vendor V1001 by its tax id",
                     "checked by the rules of policy", "Decision: approve, by policy "
                     "(policy version", "Posted to the ERP (erp): voucher for"):
        assert expected in story, (expected, story)
    assert "{" not in story and "UTC" in story
    flagged = invoke("audit", "show", FILES[2])
    assert "findings BANK_DETAILS_CHANGED" in flagged and "Remit-to account NL84…9025" in flagged
    assert "Pattern BANK_DETAILS_CHANGED, chosen by the model local/" in flagged
    raw = json.loads(invoke("audit", "show", FILES[0], "--json"))
    assert [event["step"] for event in raw][:3] == ["intake", "parse", "extract"]

    url = os.environ["APX_DATABASE_URL"]
    engine = create_engine(url)
    with engine.begin() as connection:
        middle = connection.execute(text("SELECT min(id) + 5 FROM audit_events")).scalar_one()
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": middle})
    engine.dispose()
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit log broken at event {middle}" in result.output
    assert "missing" in result.output and "deleted" in result.output


def test_database_originals_key_and_anchors_are_owner_only(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # the usual umask: files would be world-readable
    try:
        spec = RunSpec(
            erp_dir=str(SAMPLES / "erp"), database_url=f"sqlite:///{tmp_path / 'home' / 'apx.db'}",
            documents_dir=str(tmp_path / "home" / "documents"), policy_file=str(POLICY_FILE),
            as_of="2026-11-20", use_model=False,
            audit_key_file=str(tmp_path / "home" / "audit.key"),
            audit_anchor_file=str(tmp_path / "home" / "audit-anchors.jsonl"),
        )
        runtime = runtime_for(spec)
        process_file(runtime, SAMPLES / "invoices" / FILES[0])
        runtime.store.anchor_audit()
        home = tmp_path / "home"
        files = [p for p in home.rglob("*") if p.is_file()]
        folders = [home, *(p for p in home.rglob("*") if p.is_dir())]
        names = {p.name for p in files}
        assert {"apx.db", "apx.db-wal", "apx.db-shm", "audit.key",
                "audit-anchors.jsonl"} <= names
        assert any(p.suffix == ".pdf" for p in files)
        modes = {str(p.relative_to(home)): stat.S_IMODE(p.stat().st_mode)
                 for p in files + folders}
        assert {p: m for p, m in modes.items() if m & 0o077} == {}
    finally:
        os.umask(previous)
        forget_runtimes()
