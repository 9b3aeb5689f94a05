"""The one error the e-invoice readers raise, worded for the finance user who sees it."""

from __future__ import annotations

_PREFIX = "The embedded e-invoice XML is not valid CII or UBL: "


class InvalidEInvoice(Exception):
    """An XML that claims to be an e-invoice but cannot be trusted as one.

    `reason` is shown to a finance person as is, so it says what is wrong in plain words.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invalid(detail: str) -> InvalidEInvoice:
    """InvalidEInvoice with the common prefix, so every reason reads the same way."""
    return InvalidEInvoice(_PREFIX + detail)
