"""The model answer cache, keyed by (cache key, step, model, prompt version).

The cache key is the caller's identity of the input (for an invoice: its document hash), so
the same document, step, model and prompt version never pays for a second call.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import NamedTuple, Protocol

from models.gateway import ModelAnswer


class CacheKey(NamedTuple):
    cache_key: str
    step: str
    model: str
    prompt_version: str


class ModelCache(Protocol):
    def get(self, key: CacheKey) -> ModelAnswer | None: ...

    def put(self, key: CacheKey, answer: ModelAnswer) -> None: ...


class InMemoryModelCache:
    """Per-process cache (tests, one-off runs)."""

    def __init__(self) -> None:
        self._answers: dict[CacheKey, str] = {}
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> ModelAnswer | None:
        with self._lock:
            stored = self._answers.get(key)
        return None if stored is None else ModelAnswer.model_validate_json(stored)

    def put(self, key: CacheKey, answer: ModelAnswer) -> None:
        with self._lock:
            self._answers[key] = answer.model_dump_json()

    def __len__(self) -> int:
        return len(self._answers)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS model_cache (
    cache_key TEXT NOT NULL,
    step TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (cache_key, step, model, prompt_version)
)
"""


class SqliteModelCache:
    """A cache in one SQLite file (stdlib sqlite3); safe to share between threads and processes."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, key: CacheKey) -> ModelAnswer | None:
        with closing(self._connect()) as db:
            row = db.execute(
                "SELECT answer FROM model_cache"
                " WHERE cache_key = ? AND step = ? AND model = ? AND prompt_version = ?",
                tuple(key),
            ).fetchone()
        return None if row is None else ModelAnswer.model_validate_json(row[0])

    def put(self, key: CacheKey, answer: ModelAnswer) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO model_cache"
                " (cache_key, step, model, prompt_version, answer) VALUES (?, ?, ?, ?, ?)",
                (*key, answer.model_dump_json()),
            )
