"""The integration tier: the adapters against the real thing, no model.

The store on SQLite and the machine's PostgreSQL, the pipeline through Prefect flows and the
runner, the SQLite model cache, and the model gateway through the real litellm (mock
responses; importing litellm alone takes seconds, which the unit tier cannot afford).
"""
# ruff: noqa: E402  (Prefect's environment is set before anything else is imported)

from __future__ import annotations

from tests import prefect_env

prefect_env.configure()  # before any test module of this tier imports prefect

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import drop_database, scratch_database
from store.repository import Store

POSTGRES_URL = prefect_env.POSTGRES_URL


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
