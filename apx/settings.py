"""Runtime settings from the environment (`APX_*`), with defaults that run the demo offline."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.loader import POLICY_FILE
from extractors.limits import ParseLimits
from store.secrets import AuditKey

AUDIT_KEY_ENV = "APX_AUDIT_KEY"


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
    audit_key: SecretStr | None = None
    """The key that signs the audit chain (APX_AUDIT_KEY); default: `audit_key_file`."""
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

    @property
    def audit_key_file(self) -> Path:
        """The audit key outside the database, created owner-only on first use."""
        return self.home / "audit.key"

    @property
    def audit_anchor_file(self) -> Path:
        """Append-only: the audit chain's head after every batch, per database."""
        return self.home / "audit-anchors.jsonl"

    def load_audit_key(self) -> AuditKey:
        if self.audit_key is not None:
            return AuditKey.from_text(self.audit_key.get_secret_value(),
                                      source=f"${AUDIT_KEY_ENV}")
        return AuditKey.from_file(self.audit_key_file)

    def audit_key_source(self) -> dict[str, str | None]:
        """Where a run finds the key (a file, or the variable's name): never the key itself."""
        return {"audit_key_file": str(self.audit_key_file),
                "audit_key_env": AUDIT_KEY_ENV if self.audit_key is not None else None}
