"""Which paths intake may read from the inbox: regular files inside it, never links out.

`safe_inbox_file` decides from metadata only (lstat, resolving parent folders) and reads
nothing of the file. Between this check and the read, someone with write access to the
inbox could still swap the file for a link; `read_inbox_file` closes that gap by opening
with O_NOFOLLOW and checking the opened file itself, and bounds how much it reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class RefusedFile(Exception):
    """Intake will not read this path; `reason` says why, for the operator and the audit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def safe_inbox_file(path: Path, inbox: Path) -> Path:
    """The file's real path, if `path` is a regular file directly or deeper inside `inbox`.

    Refused: a path that does not exist (any more), a symbolic link (wherever it points),
    a folder, pipe, socket or device, and a path that leaves the inbox ("..", or a parent
    folder that is a link elsewhere). A relative `path` is taken relative to the inbox.
    """
    try:
        root = inbox.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise RefusedFile(f"The inbox folder {inbox} does not exist or cannot be read.") from exc
    candidate = path if path.is_absolute() else inbox / path
    try:
        info = candidate.lstat()
    except FileNotFoundError as exc:
        raise RefusedFile(
            "The file is no longer in the inbox (moved or deleted before APX read it)."
        ) from exc
    except OSError as exc:
        raise RefusedFile(f"The file cannot be examined ({exc.strerror}).") from exc
    if stat.S_ISLNK(info.st_mode):
        raise RefusedFile(
            "The file is a symbolic link; APX reads only files placed in the inbox itself."
        )
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile("This is not a regular file (a folder, pipe, socket or device).")
    try:
        real = candidate.parent.resolve(strict=True) / candidate.name
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on Python < 3.13
        raise RefusedFile("The file's folder cannot be resolved.") from exc
    if real == root or not real.is_relative_to(root):
        raise RefusedFile("The file is outside the inbox folder.")
    return real


def read_inbox_file(path: Path, inbox: Path, max_bytes: int) -> bytes:
    """The bytes of a file `safe_inbox_file` accepts, read without following a link swapped
    in since the check, and refused (unread) above `max_bytes`."""
    real = safe_inbox_file(path, inbox)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise RefusedFile(
            "The file is no longer in the inbox (moved or deleted before APX read it)."
        ) from exc
    except OSError as exc:  # ELOOP: it became a symbolic link after the check
        raise RefusedFile(f"The file could not be opened safely ({exc.strerror}).") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile("This is not a regular file (a folder, pipe, socket or device).")
        if info.st_size > max_bytes:
            raise RefusedFile(
                f"The file is {info.st_size / 1024 / 1024:.1f} MB; the inbox takes files up to "
                f"{max_bytes / 1024 / 1024:.1f} MB."
            )
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1024 * 1024, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > max_bytes:  # it grew while we read
        raise RefusedFile(
            f"The file grew beyond {max_bytes / 1024 / 1024:.1f} MB while it was read."
        )
    return b"".join(chunks)
