"""Intake reads only regular files inside the inbox: no links, no escapes, no pipes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.inbox_guard import RefusedFile, read_inbox_file, safe_inbox_file


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (folder / "sub" / "b.pdf").write_bytes(b"%PDF-1.7 b")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.7 secret")
    return folder


def test_regular_files_inside_are_accepted(inbox: Path) -> None:
    assert safe_inbox_file(inbox / "a.pdf", inbox) == (inbox / "a.pdf").resolve()
    assert safe_inbox_file(Path("sub/b.pdf"), inbox) == (inbox / "sub" / "b.pdf").resolve()
    odd = inbox / "inv-\x1b[31mRED\x1b[0m-[bold]x.pdf"
    odd.write_bytes(b"%PDF-")
    assert safe_inbox_file(odd, inbox).name == odd.name  # an odd name is not a reason


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda inbox: (inbox / "x.pdf").symlink_to("/etc/passwd"), "symbolic link"),
        (lambda inbox: (inbox / "x.pdf").symlink_to(inbox / "a.pdf"), "symbolic link"),
        (lambda inbox: (inbox / "x.pdf").symlink_to(inbox / "missing"), "symbolic link"),
        (lambda inbox: (inbox / "x.pdf").mkdir(), "not a regular file"),
        (lambda inbox: os.mkfifo(inbox / "x.pdf"), "not a regular file"),
        (lambda inbox: None, "no longer in the inbox"),
    ],
    ids=["link-out", "link-in", "dangling-link", "folder", "fifo", "vanished"],
)
def test_refused(inbox: Path, make, reason: str) -> None:
    make(inbox)
    with pytest.raises(RefusedFile) as refused:
        safe_inbox_file(inbox / "x.pdf", inbox)
    assert reason in refused.value.reason


def test_paths_leaving_the_inbox_are_refused(inbox: Path, tmp_path: Path) -> None:
    (inbox / "escape").symlink_to(tmp_path)  # a linked folder inside the inbox
    for path in (inbox / ".." / "outside.pdf", tmp_path / "outside.pdf",
                 inbox / "escape" / "outside.pdf", Path("../outside.pdf")):
        with pytest.raises(RefusedFile, match="outside the inbox"):
            safe_inbox_file(path, inbox)


def test_missing_inbox_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RefusedFile, match="inbox folder"):
        safe_inbox_file(tmp_path / "nope" / "a.pdf", tmp_path / "nope")


def test_read_is_bounded_and_does_not_follow_links(inbox: Path) -> None:
    assert read_inbox_file(inbox / "a.pdf", inbox, max_bytes=100) == b"%PDF-1.7 a"
    with pytest.raises(RefusedFile, match="up to"):
        read_inbox_file(inbox / "a.pdf", inbox, max_bytes=5)
    (inbox / "x.pdf").symlink_to("/etc/passwd")
    with pytest.raises(RefusedFile, match="symbolic link"):
        read_inbox_file(inbox / "x.pdf", inbox, max_bytes=100)


def test_a_link_swapped_in_after_the_check_is_not_followed(
    inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.inbox_guard as guard

    def check_then_swap(path: Path, root: Path) -> Path:
        real = safe_inbox_file(path, root)
        real.unlink()
        real.symlink_to("/etc/passwd")  # the race: replaced between check and open
        return real

    monkeypatch.setattr(guard, "safe_inbox_file", check_then_swap)
    with pytest.raises(RefusedFile, match="opened safely"):
        read_inbox_file(inbox / "a.pdf", inbox, max_bytes=100)
