"""Runtime settings from the environment (`APX_*`), with defaults that run the demo offline."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from config.loader import POLICY_FILE
from extractors.limits import ParseLimits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APX_", env_nested_delimiter="__",
                                      extra="ignore")

    home: Path = Path(".apx")
    """Where APX keeps its SQLite database, stored originals and the model cache."""
    database_url: str | None = None
    """SQLAlchemy URL; default: SQLite in `home`. PostgreSQL: postgresql+psycopg://..."""
    policy_file: Path = POLICY_FILE
    extraction_mode: Literal["auto", "always", "never"] = "auto"
    """auto: call the model only for what code could not settle."""
    parse: ParseLimits = ParseLimits()
    """Limits per file: APX_PARSE__MAX_PAGES, APX_PARSE__MAX_SECONDS, APX_PARSE__MAX_MEMORY_MB…"""
    use_model: bool = True
    """False: no model calls at all (deterministic fallbacks only)."""

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'apx.db'}"

    @property
    def documents_dir(self) -> Path:
        return self.home / "documents"

    @property
    def model_cache_file(self) -> Path:
        return self.home / "model-cache.sqlite"
