"""The inbox watcher without Prefect: a file is announced once it is completely written, once
per content; temporary names are ignored; an announcement that started nothing is repeated."""

from __future__ import annotations

import os
from pathlib import Path

from apx.serve import InboxWatcher, ReceiptWatcher


def watcher(inbox: Path, **kwargs) -> tuple[InboxWatcher, list[tuple[str, str, int]]]:
    heard: list[tuple[str, str, int]] = []
    kwargs.setdefault("settle_seconds", 0.5)
    return InboxWatcher(inbox, lambda path, sha, size: heard.append((path.name, sha, size)),
                        **kwargs), heard


def touch(path: Path, data: bytes, mtime_ns: int) -> None:
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_a_file_is_announced_once_its_size_and_time_stop_changing(tmp_path: Path) -> None:
    w, heard = watcher(tmp_path)
    target = tmp_path / "a.pdf"
    touch(target, b"%PDF-1.4 half", 1_000)
    assert w.poll(now=0.0) == []
    touch(target, b"%PDF-1.4 half and more", 2_000)  # still being written
    assert w.poll(now=0.4) == [] and w.poll(now=0.8) == []  # changed at 0.4: not settled
    assert w.poll(now=1.3) == [target]
    assert heard[0][0] == "a.pdf" and heard[0][2] == len(b"%PDF-1.4 half and more")
    assert w.poll(now=5.0) == []  # once


def test_the_same_content_under_another_name_is_not_announced_again(tmp_path: Path) -> None:
    w, heard = watcher(tmp_path)
    touch(tmp_path / "a.pdf", b"same bytes", 1)
    w.poll(now=0.0)
    w.poll(now=1.0)
    touch(tmp_path / "copy of a.pdf", b"same bytes", 1)
    w.poll(now=2.0)
    assert w.poll(now=3.0) == [] and len(heard) == 1


def test_content_apx_finished_before_a_restart_is_not_announced(tmp_path: Path) -> None:
    w, heard = watcher(tmp_path, known=lambda sha: True)
    touch(tmp_path / "old.pdf", b"done before", 1)
    w.poll(now=0.0)
    assert w.poll(now=1.0) == [] and heard == []


def test_temporary_and_hidden_names_are_ignored_until_renamed(tmp_path: Path) -> None:
    w, _heard = watcher(tmp_path)
    for name in (".a.pdf.part", "b.pdf.part", "~lock.pdf", "c.pdf.crdownload"):
        touch(tmp_path / name, b"x" + name.encode(), 1)
    (tmp_path / "folder").mkdir()
    w.poll(now=0.0)
    assert w.poll(now=1.0) == []
    (tmp_path / "b.pdf.part").rename(tmp_path / "b.pdf")
    w.poll(now=2.0)
    assert w.poll(now=3.0) == [tmp_path / "b.pdf"]


def test_an_announcement_that_started_nothing_is_repeated(tmp_path: Path) -> None:
    started: set[str] = set()
    queued = {"yes": False}
    w, heard = watcher(tmp_path, taken_in=lambda sha: sha in started,
                       in_flight=lambda path: queued["yes"], confirm_seconds=10)
    touch(tmp_path / "a.pdf", b"bytes", 1)
    w.poll(now=0.0)
    w.poll(now=1.0)
    assert len(heard) == 1
    assert w.confirm(now=5.0) == []  # too early to tell
    queued["yes"] = True
    assert w.confirm(now=12.0) == []  # a run is waiting for a slot: nothing to repeat
    queued["yes"] = False
    assert w.confirm(now=23.0) == [tmp_path / "a.pdf"] and len(heard) == 2
    started.add(heard[0][1])
    assert w.confirm(now=40.0) == [] and len(heard) == 2


def test_new_goods_receipts_are_announced_once(tmp_path: Path) -> None:
    receipts = tmp_path / "goods_receipts.csv"
    receipts.write_text("receipt_id,po_number,line_no,quantity_received,received_date\n"
                        "GR-1,PO-1,1,5,2026-11-01\n")
    heard: list[dict[str, object]] = []
    w = ReceiptWatcher(receipts, heard.append)
    w.prime()
    assert w.poll() == []
    with receipts.open("a") as handle:
        handle.write("GR-2,PO-2,1,3,2026-11-19\n")
    os.utime(receipts, ns=(10**18, 10**18))
    assert [r["receipt_id"] for r in w.poll()] == ["GR-2"]
    assert heard[0]["po_number"] == "PO-2" and w.poll() == []


def test_a_file_whose_run_is_already_queued_is_not_announced_twice(tmp_path: Path) -> None:
    w, heard = watcher(tmp_path, in_flight=lambda path: True, taken_in=lambda sha: False)
    touch(tmp_path / "a.pdf", b"queued before the restart", 1)
    w.poll(now=0.0)
    assert w.poll(now=1.0) == [] and heard == []
    assert w.confirm(now=30.0) == [] and heard == []  # still queued: nothing to repeat
