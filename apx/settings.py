"""Runtime settings from the environment (`APX_*`), with defaults that run the demo offline."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from config.loader import POLICY_FILE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APX_", extra="ignore")

    home: Path = Path(".apx")
    """Where APX keeps its SQLite database, stored originals and the model cache."""
    database_url: str | None = None
    """SQLAlchemy URL; default: SQLite in `home`. PostgreSQL: postgresql+psycopg://..."""
    policy_file: Path = POLICY_FILE
    extraction_mode: Literal["auto", "always", "never"] = "auto"
    """auto: call the model only for what code could not settle."""
    use_model: bool = True
    """False: no model calls at all (deterministic fallbacks only)."""
    inbox: Path | None = None
    """`apx serve` watches this folder for invoice files; default: `home`/inbox."""
    prefect_database_url: str | None = None
    """The Prefect server's own database for `apx serve`; default SQLite in `home`/prefect.
    PostgreSQL: postgresql+asyncpg://user@host/db (a psycopg URL is converted)."""

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'apx.db'}"

    @property
    def inbox_dir(self) -> Path:
        return self.inbox if self.inbox is not None else self.home / "inbox"

    @property
    def documents_dir(self) -> Path:
        return self.home / "documents"

    @property
    def model_cache_file(self) -> Path:
        return self.home / "model-cache.sqlite"
