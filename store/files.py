"""Files only their owner can read: the SQLite database, stored originals, the audit key.

Invoices carry bank accounts and personal data; on a shared machine nobody but the account
APX runs as should read them. Directories APX creates are 0700, files 0600, whatever the
umask; the folders APX owns (the document store) are tightened if an older version left
them open.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create `path` (and missing parents) owner-only; `tighten` an existing one too."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # a concurrent worker made it
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # the umask may have removed bits, never added: be exact
    if tighten and not missing:
        restrict(path)
    return path


def restrict(path: Path) -> None:
    """Remove group and other permissions from a file or folder we own."""
    info = path.stat()
    current = stat.S_IMODE(info.st_mode)
    if current & 0o077 and info.st_uid == os.getuid():
        os.chmod(path, current & ~0o077)


def touch_private(path: Path) -> None:
    """Make sure `path` exists owner-only (empty if new): before SQLite opens it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        restrict(path)
