"""The tamper-evident audit chain: keyed, anchored outside the database, and verified.

Each event's `hash` is an HMAC-SHA256, under a key kept outside the database, of its id, the
previous event's hash and its content. Without the key nobody can append an event that
verifies, nor re-hash the chain after an edit. The head of the chain (last id and hash) is
written at the end of every batch to an append-only file outside the database, so cutting
events off the end is caught too: every anchored event must still be there, unchanged.

`verify_chain` names the first event that does not hold, and how:
- missing: ids jump and the next event does not link to the one before the gap (deleted),
  or an anchored event is gone (the tail was cut off);
- altered: an event's keyed hash does not match its content (or its link was edited);
- inserted: an event that no key signed, past the last anchor, with nothing vouching for it
  (no later event links to it; an event changed after the last anchor reads the same).
A gap in ids whose next event links to the event before it is harmless (PostgreSQL skips a
sequence value when a transaction rolls back); the keyed hash covers the id, so renumbering
rows to close a gap does not verify.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from models.records import AuditEvent, Voucher
from store.files import FILE_MODE, private_dir, restrict
from store.secrets import AuditKey

GENESIS = "0" * 64

ProblemKind = Literal["missing", "altered", "inserted", "decision", "voucher", "anchor"]


def canonical_time(at: datetime) -> str:
    """One spelling of an instant, whatever the database gives back (SQLite drops the zone)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def canonical_event(
    event_id: int, prev_hash: str, invoice_id: str | None, step: str, actor: str,
    at: datetime, detail: dict[str, Any],
) -> bytes:
    """The bytes an event's hash covers: its position, its link and its content."""
    return json.dumps(
        {"id": event_id, "prev": prev_hash, "invoice": invoice_id, "step": step,
         "actor": actor, "at": canonical_time(at), "detail": detail},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).encode("utf-8")


def event_mac(
    key: AuditKey, event_id: int, prev_hash: str, invoice_id: str | None, step: str,
    actor: str, at: datetime, detail: dict[str, Any],
) -> str:
    return key.chain_mac(canonical_event(event_id, prev_hash, invoice_id, step, actor, at,
                                         detail))


def _mac_of(key: AuditKey, event: AuditEvent) -> str:
    return event_mac(key, event.id, event.prev_hash, event.invoice_id, event.step, event.actor,
                     event.at, event.detail)


def voucher_detail(voucher: Voucher | None) -> dict[str, Any] | None:
    """What a `post` event records of the voucher, so verification can check the voucher."""
    return None if voucher is None else voucher.model_dump(
        mode="json", include={"vendor_id", "invoice_number", "currency", "amount", "po_number",
                              "posted_at"})


# -- anchors -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditAnchor:
    """The chain's head at one moment, kept outside the database."""

    event_id: int
    hash: str
    at: datetime
    database: str

    def to_json(self) -> str:
        return json.dumps({"event_id": self.event_id, "hash": self.hash,
                           "at": self.at.isoformat(), "database": self.database},
                          sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> AuditAnchor:
        data = json.loads(line)
        return cls(event_id=int(data["event_id"]), hash=str(data["hash"]),
                   at=datetime.fromisoformat(data["at"]), database=str(data["database"]))


class AnchorFile:
    """An append-only JSON-lines file of anchors, owner-only; one line per batch."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, anchor: AuditAnchor) -> None:
        self._write(anchor.to_json())

    def reset(self, database: str, at: datetime) -> None:
        """A new, empty database under a known name (the demo's): earlier anchors of that
        name belong to a chain that no longer exists."""
        self._write(json.dumps({"database": database, "reset": at.isoformat()}, sort_keys=True))

    def _write(self, line: str) -> None:
        private_dir(self.path.parent, tighten=False)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")  # one write: concurrent appenders interleave whole lines
            handle.flush()
            os.fsync(handle.fileno())
        restrict(self.path)

    def read(self, database: str) -> tuple[list[AuditAnchor], list[str]]:
        """The anchors of `database`, oldest first, and the lines that could not be read."""
        if not self.path.exists():
            return [], []
        anchors: list[AuditAnchor] = []
        unreadable: list[str] = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if "reset" in data:
                    if data["database"] == database:
                        anchors = []
                    continue
                anchor = AuditAnchor.from_json(line)
            except (ValueError, KeyError, TypeError, AttributeError):
                unreadable.append(f"line {number}")
                continue
            if anchor.database == database:
                anchors.append(anchor)
        return anchors, unreadable


# -- verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditProblem:
    kind: ProblemKind
    message: str
    event_id: int | None = None
    invoice_id: str | None = None


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    events: int
    first_bad_id: int | None = None
    """The first event (by id) that is missing, altered or inserted."""
    problems: tuple[AuditProblem, ...] = ()
    anchor: AuditAnchor | None = None
    """The newest anchor the chain was checked against (None: never anchored)."""
    anchors_checked: int = 0
    key_source: str = ""
    notes: tuple[str, ...] = field(default=())


def verify_chain(
    events: Sequence[AuditEvent], key: AuditKey, anchors: Iterable[AuditAnchor] = (),
) -> list[AuditProblem]:
    """The chain's problems: its first break, and every anchor that no longer holds."""
    anchors = list(anchors)
    head_anchored = max((a.event_id for a in anchors), default=0)
    problems: list[AuditProblem] = []
    prev: AuditEvent | None = None
    for index, event in enumerate(events):
        expected_prev = prev.hash if prev is not None else GENESIS
        expected_id = prev.id + 1 if prev is not None else 1
        signed = _mac_of(key, event) == event.hash
        links = event.prev_hash == expected_prev
        if signed and links:
            prev = event  # a gap before it is harmless: it was signed linking across it
            continue
        following = events[index + 1] if index + 1 < len(events) else None
        problems.append(_first_break(key, event, following, expected_id, head_anchored))
        break
    present = {event.id: event for event in events}
    present = {event.id: event for event in events}
    last_id = events[-1].id if events else 0
    for anchor in anchors:
        found = present.get(anchor.event_id)
        if found is None and anchor.event_id > last_id:
            problems.append(AuditProblem(
                "missing",
                f"{_events(last_id + 1, anchor.event_id)} deleted from the end of the log: "
                f"event {anchor.event_id} was anchored on {anchor.at:%Y-%m-%d %H:%M} UTC",
                last_id + 1))
        elif found is None:
            problems.append(AuditProblem(
                "missing", f"event {anchor.event_id} (anchored on {anchor.at:%Y-%m-%d %H:%M} UTC) "
                           f"is gone", anchor.event_id))
        elif found.hash != anchor.hash:
            problems.append(AuditProblem(
                "altered",
                f"event {anchor.event_id} is not the event anchored on "
                f"{anchor.at:%Y-%m-%d %H:%M} UTC (its hash differs)", anchor.event_id,
                found.invoice_id))
    return _first_per_event(problems)


def _first_break(
    key: AuditKey, event: AuditEvent, following: AuditEvent | None, expected_id: int,
    head_anchored: int,
) -> AuditProblem:
    """Why the chain breaks at `event`: events missing before it, or it altered or inserted."""
    what = f"event {event.id} ({event.step} by {event.actor})"
    original = _original_id(key, event)
    if event.id > expected_id:
        return AuditProblem(
            "missing", f"{_events(expected_id, event.id - 1)} deleted: {what} links to an "
                       f"event that is no longer in the log", expected_id)
    if original is not None and original > event.id:
        return AuditProblem(
            "missing", f"{_events(event.id, original - 1)} deleted and the later events "
                       f"renumbered to hide it: {what} was written as event {original}",
            event.id, event.invoice_id)
    following_original = _original_id(key, following) if following is not None else None
    if following is not None and following_original is not None and (
            following_original < following.id or following.prev_hash == event.prev_hash):
        return AuditProblem(
            "inserted", f"{what} was inserted: it was not written by APX, and the event after "
                        f"it links to the event before it", event.id, event.invoice_id)
    vouched = (following is not None and following.prev_hash == event.hash
               and following_original == following.id)
    unanchored = event.id > head_anchored and (head_anchored > 0 or following is None)
    if not vouched and unanchored:
        return AuditProblem(
            "inserted", f"{what} was not written by APX: its keyed hash does not verify, and "
                        f"neither a later event nor an anchor vouches for it (appended after the "
                        f"last anchored event {head_anchored})", event.id, event.invoice_id)
    part = "its link to the event before it" if original == event.id else "its content"
    return AuditProblem("altered", f"{what} was altered: {part} does not match its keyed hash",
                        event.id, event.invoice_id)


def _original_id(key: AuditKey, event: AuditEvent, reach: int = 1000) -> int | None:
    """The id `event` was signed with, when its content is genuine (None: it is not)."""
    for shift in range(reach + 1):
        for candidate in {event.id + shift, event.id - shift}:
            if candidate > 0 and key.chain_mac(canonical_event(
                    candidate, event.prev_hash, event.invoice_id, event.step, event.actor,
                    event.at, event.detail)) == event.hash:
                return candidate
    return None


def _first_per_event(problems: list[AuditProblem]) -> list[AuditProblem]:
    seen: set[tuple[str, int | None]] = set()
    unique = []
    for problem in problems:
        if (problem.kind, problem.event_id) not in seen:
            seen.add((problem.kind, problem.event_id))
            unique.append(problem)
    return unique


def _events(first: int, last: int) -> str:
    return f"event {first}" if first >= last else f"events {first}-{last}"
