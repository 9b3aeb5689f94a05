"""An invoice's life as an explicit state machine: the states and the allowed transitions.

The store refuses any other transition, so no code path can, say, post an invoice that was
never decided or reopen one that was paid. A re-run after a crash restarts the pipeline
from `parsed` (every stage is idempotent), which is why most states may go back there.
"""

from __future__ import annotations

from enum import StrEnum


class InvoiceStatus(StrEnum):
    RECEIVED = "received"
    PARSED = "parsed"
    EXTRACTED = "extracted"
    DECIDED = "decided"
    POSTED = "posted"
    UNREADABLE = "unreadable"
    FAILED = "failed"


_RERUN = {InvoiceStatus.PARSED, InvoiceStatus.UNREADABLE, InvoiceStatus.FAILED}

TRANSITIONS: dict[InvoiceStatus, frozenset[InvoiceStatus]] = {
    InvoiceStatus.RECEIVED: frozenset(_RERUN),
    InvoiceStatus.PARSED: frozenset({*_RERUN, InvoiceStatus.EXTRACTED, InvoiceStatus.DECIDED}),
    InvoiceStatus.EXTRACTED: frozenset({*_RERUN, InvoiceStatus.DECIDED}),
    InvoiceStatus.DECIDED: frozenset({*_RERUN, InvoiceStatus.DECIDED, InvoiceStatus.POSTED}),
    InvoiceStatus.FAILED: frozenset(_RERUN),
    InvoiceStatus.UNREADABLE: frozenset({InvoiceStatus.UNREADABLE}),
    InvoiceStatus.POSTED: frozenset({InvoiceStatus.POSTED}),
}
"""From each state, the states it may move to. `posted` and `unreadable` are final."""

FINAL = frozenset({InvoiceStatus.POSTED, InvoiceStatus.UNREADABLE})


class IllegalTransition(ValueError):
    """A write that would move an invoice along a path its life does not allow."""


def can_move(current: str, new: str) -> bool:
    try:
        return InvoiceStatus(new) in TRANSITIONS[InvoiceStatus(current)]
    except ValueError:
        return False


def check_transition(invoice_id: str, current: str, new: str) -> InvoiceStatus:
    """The new state, or IllegalTransition naming the invoice and both states."""
    try:
        source, target = InvoiceStatus(current), InvoiceStatus(new)
    except ValueError as error:
        raise IllegalTransition(f"invoice {invoice_id}: unknown state ({error})") from None
    if target not in TRANSITIONS[source]:
        raise IllegalTransition(
            f"invoice {invoice_id} cannot go from '{source}' to '{target}'"
        )
    return target
