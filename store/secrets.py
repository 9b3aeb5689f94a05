"""The audit key, and bank accounts stored only as a masked form plus a keyed hash.

The key lives outside the database (a file created owner-only on first use, or a value the
caller takes from the environment): whoever can write the database but not read the key can
neither extend nor re-hash the audit chain, nor test guesses against an account's hash.
Two sub-keys are derived from it, one per purpose, so a fingerprint is never a chain MAC.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from models.sensitive import (
    compact_account,
    fingerprint_key,
    is_account_key,
    is_account_value,
    is_masked,
    mask_account,
    mask_text,
)
from store.files import private_dir

KEY_BYTES = 32
MIN_KEY_CHARS = 16


class AuditKeyError(ValueError):
    """The audit key cannot be used: too short, unreadable, or readable by others."""


class AuditKey:
    """The secret behind the audit chain's HMAC and the fingerprints of bank accounts."""

    def __init__(self, secret: bytes, *, source: str = "given") -> None:
        if len(secret) < MIN_KEY_CHARS:
            raise AuditKeyError(f"the audit key must have at least {MIN_KEY_CHARS} characters")
        self._chain = hmac.new(secret, b"apx audit chain v1", hashlib.sha256).digest()
        self._fingerprint = hmac.new(secret, b"apx account fingerprint v1",
                                     hashlib.sha256).digest()
        self.source = source
        """Where the key came from (a file path, an environment variable): never the key."""

    def __repr__(self) -> str:
        return f"AuditKey(source={self.source!r})"

    @classmethod
    def from_text(cls, text: str, *, source: str = "given") -> AuditKey:
        return cls(text.strip().encode("utf-8"), source=source)

    @classmethod
    def ephemeral(cls) -> AuditKey:
        """A random key held in memory only: for a store nobody configured a key for (tests)."""
        return cls(secrets.token_bytes(KEY_BYTES), source="ephemeral")

    @classmethod
    def from_file(cls, path: Path) -> AuditKey:
        """The key in `path`, created (owner-only, 0600) with a random key on first use."""
        if not path.exists():
            _create_key_file(path)
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise AuditKeyError(
                f"the audit key file {path} is readable by others (mode {mode:o}); "
                f"run: chmod 600 {path}")
        text = path.read_text(encoding="utf-8").strip()
        if not text:
            raise AuditKeyError(f"the audit key file {path} is empty")
        return cls.from_text(text, source=str(path))

    def chain_mac(self, message: bytes) -> str:
        return hmac.new(self._chain, message, hashlib.sha256).hexdigest()

    def fingerprint(self, account: str) -> str:
        """A keyed hash of an account number (spaces and case ignored): equal in, equal out."""
        digest = hmac.new(self._fingerprint, compact_account(account).encode("utf-8"),
                          hashlib.sha256)
        return digest.hexdigest()[:32]

    def protect(self, value: Any) -> Any:
        """`value` with every bank account masked; each account field gains `<field>_hmac`.

        Idempotent: an already masked value is left as it is (it cannot be hashed again).
        """
        if isinstance(value, dict):
            protected: dict[str, Any] = {}
            for key, item in value.items():
                if isinstance(item, str) and is_account_key(str(key)) and \
                        is_account_value(item):
                    protected[key] = mask_account(item)
                    if not is_masked(item):
                        protected[fingerprint_key(str(key))] = self.fingerprint(item)
                    elif fingerprint_key(str(key)) in value:
                        protected[fingerprint_key(str(key))] = value[fingerprint_key(str(key))]
                elif str(key) not in protected:
                    protected[key] = self.protect(item)
            return protected
        if isinstance(value, list | tuple):
            return [self.protect(item) for item in value]
        if isinstance(value, str):
            return mask_text(value)
        return value


def _create_key_file(path: Path) -> None:
    """Write a new random key owner-only; a concurrent creator's key wins if it was first."""
    private_dir(path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(partial, path)  # atomic, and never replaces an existing key
    finally:
        partial.unlink(missing_ok=True)
