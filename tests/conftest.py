"""Shared fixtures: databases (SQLite and the machine's PostgreSQL) and the sample set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import drop_database, scratch_database
from store.repository import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"
POSTGRES_URL = os.environ.get(
    "APX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


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
