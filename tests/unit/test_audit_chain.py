"""The keyed audit chain without a database: signing, anchors, and how each break is named."""

from __future__ import annotations

import hashlib
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.records import AuditEvent
from store.audit import (
    GENESIS,
    AnchorFile,
    AuditAnchor,
    canonical_event,
    canonical_time,
    event_mac,
    verify_chain,
)
from store.secrets import AuditKey, AuditKeyError

KEY = AuditKey.from_text("unit-test-audit-key-0123456789")
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def chain(count: int, key: AuditKey = KEY, start: int = 1) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    prev = GENESIS
    for number in range(start, start + count):
        detail = {"n": number, "amount": f"{number}.00"}
        at = T0 + timedelta(seconds=number)
        digest = event_mac(key, number, prev, "inv-1", "step", "apx", at, detail)
        events.append(AuditEvent(id=number, invoice_id="inv-1", step="step", actor="apx", at=at,
                                 detail=detail, prev_hash=prev, hash=digest))
        prev = digest
    return events


def plain_hash(event: AuditEvent) -> str:
    """What an attacker without the key computes: the right content, hashed without a key."""
    return hashlib.sha256(canonical_event(event.id, event.prev_hash, event.invoice_id,
                                          event.step, event.actor, event.at,
                                          event.detail)).hexdigest()


def forged(event_id: int, prev: str, *, correct_plain_hash: bool = True) -> AuditEvent:
    draft = AuditEvent(id=event_id, invoice_id="inv-1", step="post", actor="erp",
                       at=T0 + timedelta(hours=1), detail={"posted": True}, prev_hash=prev,
                       hash="0" * 64)
    return draft.model_copy(update={"hash": plain_hash(draft) if correct_plain_hash
                                    else "f" * 64})


def anchor(event: AuditEvent) -> AuditAnchor:
    return AuditAnchor(event_id=event.id, hash=event.hash, at=T0, database="db")


def only(problems: list, kind: str, event_id: int | None) -> None:  # type: ignore[type-arg]
    assert [(p.kind, p.event_id) for p in problems][:1] == [(kind, event_id)], problems


def test_an_untouched_chain_verifies_and_another_key_does_not() -> None:
    events = chain(6)
    assert verify_chain(events, KEY, [anchor(events[-1])]) == []
    other = AuditKey.from_text("someone-elses-key-0123456789")
    only(verify_chain(events, other), "altered", 1)


def test_an_edited_event_is_named_as_altered() -> None:
    events = chain(6)
    events[2] = events[2].model_copy(update={"actor": "mallory"})
    only(verify_chain(events, KEY, [anchor(events[-1])]), "altered", 3)


def test_an_edit_with_every_later_event_rehashed_without_the_key_is_caught() -> None:
    events = chain(6)
    head = anchor(events[-1])
    events[2] = events[2].model_copy(update={"detail": {"n": 3, "amount": "9999.00"}})
    for index in range(2, len(events)):
        if index > 2:
            events[index] = events[index].model_copy(update={"prev_hash": events[index - 1].hash})
        events[index] = events[index].model_copy(update={"hash": plain_hash(events[index])})
    problems = verify_chain(events, KEY, [head])
    only(problems, "altered", 3)
    assert ("altered", 6) in [(p.kind, p.event_id) for p in problems]  # the anchor disagrees


def test_a_deleted_middle_event_is_named_as_missing() -> None:
    events = chain(6)
    del events[3]
    only(verify_chain(events, KEY, [anchor(events[-1])]), "missing", 4)


def test_deleted_events_renumbered_to_close_the_gap_are_missing() -> None:
    events = chain(6)
    del events[1]
    events = [e.model_copy(update={"id": e.id - 1}) if e.id > 2 else e for e in events]
    only(verify_chain(events, KEY), "missing", 2)


def test_a_deleted_tail_is_caught_by_the_anchor() -> None:
    events = chain(6)
    head = anchor(events[-1])
    assert verify_chain(events[:4], KEY) == []  # without an anchor nothing can tell
    problems = verify_chain(events[:4], KEY, [head])
    only(problems, "missing", 5)
    assert "5-6" in problems[0].message


def test_deleting_everything_is_caught_by_the_anchor() -> None:
    events = chain(3)
    only(verify_chain([], KEY, [anchor(events[-1])]), "missing", 1)


@pytest.mark.parametrize("correct_plain_hash", [True, False])
def test_a_forged_append_is_named_as_inserted(correct_plain_hash: bool) -> None:
    events = chain(5)
    head = anchor(events[-1])
    events.append(forged(6, events[-1].hash, correct_plain_hash=correct_plain_hash))
    only(verify_chain(events, KEY, [head]), "inserted", 6)
    only(verify_chain(events, KEY), "inserted", 6)  # last event, nothing vouches for it


def test_a_forged_append_that_does_not_link_is_inserted() -> None:
    events = chain(5)
    head = anchor(events[-1])
    events.append(forged(6, "a" * 64))
    only(verify_chain(events, KEY, [head]), "inserted", 6)


def test_an_event_inserted_in_the_middle_is_named_as_inserted() -> None:
    events = chain(6)
    head = anchor(events[-1])
    shifted = [e.model_copy(update={"id": e.id + 1}) if e.id > 3 else e for e in events]
    shifted.insert(3, forged(4, events[2].hash))
    only(verify_chain(shifted, KEY, [head]), "inserted", 4)


def test_a_gap_left_by_a_rolled_back_append_is_harmless() -> None:
    events = chain(3)
    prev = events[-1].hash
    at = T0 + timedelta(minutes=5)
    later = AuditEvent(id=7, invoice_id=None, step="x", actor="apx", at=at, detail={},
                       prev_hash=prev, hash=event_mac(KEY, 7, prev, None, "x", "apx", at, {}))
    assert verify_chain([*events, later], KEY, [anchor(later)]) == []


def test_a_truncated_tail_that_later_appends_reuse_is_caught() -> None:
    """SQLite reuses the ids of deleted rows: the anchored event is back with another hash."""
    events = chain(6)
    head = anchor(events[-1])
    key_chain = chain(4)
    prev = key_chain[-1].hash
    for number in (5, 6):
        at = T0 + timedelta(days=1, seconds=number)
        digest = event_mac(KEY, number, prev, None, "new", "apx", at, {})
        key_chain.append(AuditEvent(id=number, invoice_id=None, step="new", actor="apx", at=at,
                                    detail={}, prev_hash=prev, hash=digest))
        prev = digest
    problems = verify_chain(key_chain, KEY, [head])
    only(problems, "altered", 6)


def test_time_is_canonical_with_or_without_a_zone() -> None:
    assert canonical_time(T0) == canonical_time(T0.replace(tzinfo=None))


def test_anchor_file_is_owner_only_append_only_and_per_database(tmp_path: Path) -> None:
    anchors = AnchorFile(tmp_path / "home" / "audit-anchors.jsonl")
    first, second = chain(2)
    anchors.append(AuditAnchor(first.id, first.hash, T0, "db-a"))
    anchors.append(AuditAnchor(second.id, second.hash, T0, "db-b"))
    anchors.append(AuditAnchor(second.id, second.hash, T0, "db-a"))
    assert stat.S_IMODE(anchors.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(anchors.path.parent.stat().st_mode) == 0o700
    found, unreadable = anchors.read("db-a")
    assert [a.event_id for a in found] == [1, 2] and unreadable == []
    anchors.reset("db-a", T0)
    assert anchors.read("db-a")[0] == [] and len(anchors.read("db-b")[0]) == 1
    with anchors.path.open("a") as handle:
        handle.write("not json\n")
    assert anchors.read("db-b")[1] == ["line 5"]


def test_key_file_is_created_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "apx-home" / "audit.key"
    key = AuditKey.from_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = AuditKey.from_file(path)
    assert key.chain_mac(b"x") == again.chain_mac(b"x")
    assert path.read_text().strip() not in repr(key)


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    path.write_text("k" * 40)
    path.chmod(0o644)
    with pytest.raises(AuditKeyError, match="chmod 600"):
        AuditKey.from_file(path)
    with pytest.raises(AuditKeyError):
        AuditKey.from_text("short")


def test_anchor_round_trips() -> None:
    head = AuditAnchor(12, "ab" * 32, T0, "sqlite:/x/apx.db")
    assert AuditAnchor.from_json(head.to_json()) == head
    assert json.loads(head.to_json())["event_id"] == 12
