"""The audit trail against tampering, on SQLite and PostgreSQL.

Two sample invoices go through every stage (one approved and posted, one held for review),
the chain is anchored, and then the database is tampered with as an attacker with write access
to the database, but not to the key or the anchor file, would: each case must be caught by a
fresh `Store` (as `apx audit verify` opens it), naming the first bad event and what happened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from config.loader import POLICY_FILE
from models.records import AuditEvent
from pipeline import stages
from pipeline.process import process_file
from pipeline.runtime import RunSpec, Runtime, forget_runtimes, runtime_for
from store.audit import canonical_event, event_mac
from store.repository import Store
from store.secrets import AuditKey

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
APPROVED = "001-acme-inv-10231.pdf"
IN_REVIEW = "011-acme-inv-10244.pdf"


@dataclass
class Trail:
    runtime: Runtime
    key_file: Path
    anchor_file: Path
    events: list[AuditEvent]
    approved_id: str

    def verifier(self) -> Store:
        """A new store on the same database, key and anchors: what `apx audit verify` opens."""
        return Store.open(self.runtime.spec.database_url,
                          key=AuditKey.from_file(self.key_file), anchor_file=self.anchor_file)

    def sql(self, statement: str, **params: object) -> None:
        with self.runtime.store.engine.begin() as connection:
            connection.execute(text(statement), params)

    def run(self, change: Callable[[Connection], None]) -> None:
        with self.runtime.store.engine.begin() as connection:
            change(connection)

    def event(self, step: str, invoice_id: str | None = None) -> AuditEvent:
        return next(e for e in self.events if e.step == step
                    and (invoice_id is None or e.invoice_id == invoice_id))


@pytest.fixture
def trail(database_url: str, tmp_path: Path) -> Iterator[Trail]:
    spec = RunSpec(
        erp_dir=str(SAMPLES / "erp"), database_url=database_url,
        documents_dir=str(tmp_path / "documents"), policy_file=str(POLICY_FILE),
        as_of="2026-11-20", use_model=False, audit_key_file=str(tmp_path / "home" / "audit.key"),
        audit_anchor_file=str(tmp_path / "home" / "audit-anchors.jsonl"),
    )
    runtime = runtime_for(spec)
    approved = process_file(runtime, SAMPLES / "invoices" / APPROVED)
    review = process_file(runtime, SAMPLES / "invoices" / IN_REVIEW)
    assert (approved.status, review.decision) == ("posted", "review")
    assert stages.anchor_audit(runtime) is not None
    events = runtime.store.audit_events()
    yield Trail(runtime, tmp_path / "home" / "audit.key",
                tmp_path / "home" / "audit-anchors.jsonl", events, approved.invoice_id)
    forget_runtimes()


def caught(trail: Trail, kind: str, event_id: int | None) -> str:
    check = trail.verifier().verify_audit()
    assert not check.ok
    assert (check.problems[0].kind, check.first_bad_id) == (kind, event_id), check.problems
    return check.problems[0].message


def plain_row(connection: Connection, event_id: int, prev: str, step: str = "post") -> None:
    """Insert an event whose hash is correctly computed, as the old unkeyed chain did."""
    detail = '{"posted": true}'
    at = "2026-11-21 10:00:00"
    digest = hashlib.sha256(canonical_event(event_id, prev, None, step, "erp",
                                            datetime.fromisoformat(at), {"posted": True})
                            ).hexdigest()
    connection.execute(text(
        "INSERT INTO audit_events (id, invoice_id, step, actor, at, detail, prev_hash, hash) "
        "VALUES (:id, NULL, :step, 'erp', :at, :detail, :prev, :hash)"),
        {"id": event_id, "step": step, "at": at, "detail": detail, "prev": prev,
         "hash": digest})


def test_an_untouched_trail_verifies_with_its_anchor(trail: Trail) -> None:
    check = trail.verifier().verify_audit()
    assert check.ok and check.events == len(trail.events) and check.problems == ()
    assert check.anchor is not None and check.anchor.event_id == trail.events[-1].id
    assert check.anchors_checked == 1 and check.notes == ()
    without_key = Store.open(trail.runtime.spec.database_url).verify_audit()
    assert not without_key.ok and without_key.first_bad_id == trail.events[0].id


def test_an_altered_event_is_caught(trail: Trail) -> None:
    target = trail.event("extract")
    trail.sql("UPDATE audit_events SET actor = 'mallory' WHERE id = :id", id=target.id)
    assert "altered" in caught(trail, "altered", target.id)


def test_an_altered_decision_event_is_caught(trail: Trail) -> None:
    target = trail.event("decide", trail.approved_id)
    detail = target.detail | {"outcome": "reject"}
    trail.sql("UPDATE audit_events SET detail = :detail WHERE id = :id",
              detail=json.dumps(detail), id=target.id)
    caught(trail, "altered", target.id)


def test_a_deleted_middle_event_is_caught(trail: Trail) -> None:
    target = trail.events[len(trail.events) // 2]
    trail.sql("DELETE FROM audit_events WHERE id = :id", id=target.id)
    caught(trail, "missing", target.id)


def test_a_deleted_tail_is_caught(trail: Trail) -> None:
    first_gone = trail.events[-3].id
    trail.sql("DELETE FROM audit_events WHERE id >= :id", id=first_gone)
    message = caught(trail, "missing", first_gone)
    assert "end of the log" in message


def test_a_deleted_tail_hidden_by_new_events_is_caught(trail: Trail) -> None:
    trail.sql("DELETE FROM audit_events WHERE id >= :id", id=trail.events[-3].id)
    store = trail.verifier()
    for _ in range(4):  # APX appends again: SQLite re-uses the freed ids, PostgreSQL does not
        store.audit(None, "later", "apx", {})
    check = store.verify_audit()
    assert not check.ok and check.first_bad_id is not None
    assert check.first_bad_id <= trail.events[-1].id


@pytest.mark.parametrize("plain_hash", [True, False], ids=["plain-hash", "garbage-hash"])
def test_a_forged_append_is_caught(trail: Trail, plain_hash: bool) -> None:
    last = trail.events[-1]
    if plain_hash:
        trail.run(lambda c: plain_row(c, last.id + 1, last.hash))
    else:
        trail.sql("INSERT INTO audit_events (id, invoice_id, step, actor, at, detail, prev_hash, "
                  "hash) VALUES (:id, NULL, 'post', 'erp', '2026-11-21 10:00:00', '{}', :prev, "
                  ":hash)", id=last.id + 1, prev="e" * 64, hash="f" * 64)
    caught(trail, "inserted", last.id + 1)


def test_an_event_inserted_in_the_middle_is_caught(trail: Trail) -> None:
    at = trail.events[4]

    def insert(connection: Connection) -> None:
        for event in reversed(trail.events[4:]):  # make room: renumber the later events
            connection.execute(text("UPDATE audit_events SET id = :new WHERE id = :old"),
                               {"new": event.id + 1, "old": event.id})
        plain_row(connection, at.id, trail.events[3].hash)

    trail.run(insert)
    caught(trail, "inserted", at.id)


def test_an_edit_with_every_later_event_rehashed_is_caught(trail: Trail) -> None:
    """Without the key: re-hashed with SHA-256, and with an HMAC under the attacker's own key."""
    target = trail.event("rules")
    for attacker in (None, AuditKey.from_text("the-attackers-own-key-0123456789")):

        def rehash(connection: Connection, attacker: AuditKey | None = attacker) -> None:
            prev = None
            for event in trail.events:
                if event.id < target.id:
                    continue
                actor = "mallory" if event.id == target.id else event.actor
                prev = event.prev_hash if prev is None else prev
                message = canonical_event(event.id, prev, event.invoice_id, event.step, actor,
                                          event.at, event.detail)
                digest = (hashlib.sha256(message).hexdigest() if attacker is None else
                          event_mac(attacker, event.id, prev, event.invoice_id, event.step,
                                    actor, event.at, event.detail))
                connection.execute(text(
                    "UPDATE audit_events SET actor = :actor, prev_hash = :prev, hash = :hash "
                    "WHERE id = :id"), {"actor": actor, "prev": prev, "hash": digest,
                                        "id": event.id})
                prev = digest

        trail.run(rehash)
        caught(trail, "altered", target.id)


def test_a_decision_edited_in_the_invoice_table_is_caught(trail: Trail) -> None:
    review = next(e for e in trail.events if e.step == "decide"
                  and e.invoice_id != trail.approved_id)
    trail.sql("UPDATE invoices SET decision = 'approve' WHERE id = :id", id=review.invoice_id)
    check = trail.verifier().verify_audit()
    assert not check.ok and check.first_bad_id is None  # the chain itself is intact
    [problem] = check.problems
    assert problem.kind == "decision" and problem.invoice_id == review.invoice_id
    assert "'approve'" in problem.message and "'review'" in problem.message


def test_a_policy_version_edited_in_the_invoice_table_is_caught(trail: Trail) -> None:
    trail.sql("UPDATE invoices SET policy_version = 'v0-lenient' WHERE id = :id",
              id=trail.approved_id)
    check = trail.verifier().verify_audit()
    assert [p.kind for p in check.problems] == ["decision"]


def test_a_deleted_post_event_and_an_edited_voucher_are_caught(trail: Trail) -> None:
    post = trail.event("post", trail.approved_id)
    trail.sql("DELETE FROM audit_events WHERE id = :id", id=post.id)
    check = trail.verifier().verify_audit()
    kinds = [(p.kind, p.event_id) for p in check.problems]
    assert kinds[0] == ("missing", post.id) and ("voucher", None) in kinds


def test_a_voucher_amount_edited_is_caught(trail: Trail) -> None:
    trail.sql("UPDATE vouchers SET amount = amount + 1000 WHERE invoice_id = :id",
              id=trail.approved_id)
    check = trail.verifier().verify_audit()
    assert [p.kind for p in check.problems] == ["voucher"]
    assert check.problems[0].invoice_id == trail.approved_id


def test_a_sequence_gap_from_a_rolled_back_append_is_not_tampering(postgres_url: str) -> None:
    store = Store.open(postgres_url, key=AuditKey.from_text("k" * 32))
    store.audit(None, "first", "apx", {})
    with store.engine.begin() as connection:  # a transaction that appended, then rolled back
        connection.execute(text("SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))"))
    store.audit(None, "second", "apx", {})
    ids = [e.id for e in store.audit_events()]
    assert ids[1] - ids[0] == 2 and store.verify_audit().ok
    store.engine.dispose()
