"""Shared fixtures: databases (SQLite and the machine's PostgreSQL) and the sample set."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from apx import environment
from store.db import drop_database, scratch_database
from store.repository import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
POSTGRES_URL = os.environ.get(
    "APX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

# Prefect for the tests: a temporary server whose database is a fresh PostgreSQL database
# (as in production; the SQLite server answers concurrent writes with 503s and 2 s client
# back-offs), in a private PREFECT_HOME. Set before anything imports prefect.
_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="apx-test-prefect-"))
_PREFECT_DB = f"apx_test_prefect_{os.getpid()}"
environment.configure(_PREFECT_HOME)
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
if "PREFECT_API_URL" not in os.environ:
    _prefect_url = make_url(scratch_database(POSTGRES_URL, _PREFECT_DB))
    os.environ["PREFECT_API_DATABASE_CONNECTION_URL"] = _prefect_url.set(
        drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if "PREFECT_API_DATABASE_CONNECTION_URL" in os.environ:
        with contextlib.suppress(Exception):
            drop_database(POSTGRES_URL.rsplit("/", 1)[0] + "/" + _PREFECT_DB)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database; the test fails (never skips) when the server is down."""
    url = scratch_database(POSTGRES_URL, f"apx_test_{uuid.uuid4().hex[:10]}")
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'apx.db'}"
        return
    url = scratch_database(POSTGRES_URL, f"apx_test_{uuid.uuid4().hex[:10]}")
    try:
        yield url
    finally:
        from pipeline.runtime import forget_runtimes

        forget_runtimes()
        drop_database(url)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.engine.dispose()
