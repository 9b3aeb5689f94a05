"""Engine, schema migration and sessions: the only place that knows the database URL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from store.files import private_dir, touch_private

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK_KEY = 0x41505820  # "APX ": one process at a time brings the schema up to date


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        database = sqlite_file(make_url(url))
        if database is not None:  # owner-only: SQLite gives its -wal and -shm the same mode
            private_dir(database.parent, tighten=False)
            touch_private(database)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL (None: in memory, or not SQLite)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def database_identity(url: URL) -> str:
    """Which database this is, without credentials: what anchors are filed under."""
    file = sqlite_file(url)
    if file is not None:
        return f"sqlite:{file.resolve()}"
    return url.set(query={}).render_as_string(hide_password=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent).

    Workers starting at the same moment on a new database do not race on the schema: the
    migration runs in one transaction under a lock (PostgreSQL: an advisory lock until the
    commit, its DDL is transactional; SQLite: the write lock, taken first), so the second
    process waits and then finds the schema at the newest revision.
    """
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": MIGRATION_LOCK_KEY})
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def scratch_database(base_url: str, name: str) -> str:
    """A new, empty database next to `base_url` (PostgreSQL) and its URL: for eval and tests."""
    url = make_url(base_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("scratch databases are made on PostgreSQL only; use a SQLite file")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url_text: str) -> None:
    url = make_url(url_text)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()
