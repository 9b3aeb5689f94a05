"""Every log record of the process with bank accounts and secret values masked.

Libraries log what they are given: at DEBUG a model client logs its request (the prompt
carries the invoice text, bank details included), an HTTP client its headers. Rather than
trust each logger's level, a record factory masks the message (and a traceback) of every
record as it is made, whoever makes it, before any handler (console, file, Prefect's API
handler) sees it. Secret values are those of environment variables named like a key, token,
secret or password (`OPENAI_API_KEY`, `APX_AUDIT_KEY`, …), read when the record is made.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import Any

from models.sensitive import MASK, mask_text

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$", re.IGNORECASE)
_MIN_SECRET = 8
_lock = threading.Lock()
_installed = False
_formatter = logging.Formatter()


def secret_values() -> list[str]:
    """The values of the environment's secrets, longest first (so none is half-masked)."""
    values = {value for name, value in os.environ.items()
              if _SECRET_NAME.search(name) and len(value) >= _MIN_SECRET}
    return sorted(values, key=len, reverse=True)


def redact(text: str) -> str:
    """`text` with bank accounts masked and every secret value cut to its first four."""
    for secret in secret_values():
        if secret in text:
            text = text.replace(secret, f"{secret[:4]}{MASK}")
    return mask_text(text)


def install() -> None:
    """Mask every log record made from now on in this process (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        make_record = logging.getLogRecordFactory()

        def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = make_record(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:  # a malformed record: leave it to logging's own error report
                return record
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
            if record.exc_info and not record.exc_text:
                record.exc_text = redact(_formatter.formatException(record.exc_info))
            return record

        logging.setLogRecordFactory(masked_record)
        _installed = True
