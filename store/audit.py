"""The tamper-evident audit chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_time(at: datetime) -> str:
    """One spelling of an instant, whatever the database gives back (SQLite drops the zone)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def event_hash(
    prev_hash: str, invoice_id: str | None, step: str, actor: str, at: datetime,
    detail: dict[str, Any],
) -> str:
    payload = json.dumps(
        {"prev": prev_hash, "invoice": invoice_id, "step": step, "actor": actor,
         "at": canonical_time(at), "detail": detail},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
