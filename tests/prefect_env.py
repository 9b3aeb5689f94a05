"""Prefect for the integration and e2e tiers: a temporary server on a fresh PostgreSQL database.

As in production (the SQLite server answers concurrent writes with 503s and 2 s client
back-offs), in a private PREFECT_HOME. Prefect reads its settings when it is imported, so
`configure()` runs before anything imports prefect: the conftests of tests/integration and
tests/e2e call it when pytest loads them, which is before it imports that tier's modules.
Once per process, whichever tier comes first; the unit tier never calls it, so a unit run
creates no database. The root conftest calls `tear_down()` at the end of the session.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

POSTGRES_URL = os.environ.get(
    "APX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

_configured = False
_database: str | None = None  # the Prefect server's database, while it exists


class PrefectImportedTooEarly(RuntimeError):
    pass


def configure() -> None:
    """Point Prefect at a private home and a new PostgreSQL database (once per process)."""
    global _configured, _database
    if _configured:
        return
    if "prefect" in sys.modules:
        raise PrefectImportedTooEarly(
            "prefect was imported before the test environment for it was set (a unit test "
            "importing prefect?); it would run against the wrong home and database"
        )
    from sqlalchemy import make_url

    from apx import environment
    from store.db import scratch_database

    home = Path(tempfile.mkdtemp(prefix="apx-test-prefect-"))
    environment.configure(home)
    os.environ["PREFECT_HOME"] = str(home)
    if "PREFECT_API_URL" not in os.environ:
        name = f"apx_test_prefect_{os.getpid()}"
        url = make_url(scratch_database(POSTGRES_URL, name))
        _database = name
        os.environ["PREFECT_API_DATABASE_CONNECTION_URL"] = url.set(
            drivername="postgresql+asyncpg"
        ).render_as_string(hide_password=False)
    _configured = True


def tear_down() -> None:
    """Drop the Prefect server's database, if this process made one."""
    global _database
    if _database is None:
        return
    from store.db import drop_database

    with contextlib.suppress(Exception):
        drop_database(POSTGRES_URL.rsplit("/", 1)[0] + "/" + _database)
    _database = None
