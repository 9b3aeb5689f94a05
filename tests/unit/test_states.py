"""The invoice state machine: which moves the store accepts and which it refuses."""

from __future__ import annotations

import itertools

import pytest

from models.states import FINAL, TRANSITIONS, IllegalTransition, InvoiceStatus, check_transition


def test_the_happy_path_is_allowed() -> None:
    path = ["received", "parsed", "extracted", "decided", "posted"]
    for current, new in itertools.pairwise(path):
        assert check_transition("inv", current, new) == InvoiceStatus(new)


@pytest.mark.parametrize("current", [s for s in InvoiceStatus if s not in FINAL])
def test_every_open_state_may_restart_and_retry(current: InvoiceStatus) -> None:
    assert check_transition("inv", current, InvoiceStatus.PARSED) is InvoiceStatus.PARSED
    assert current in TRANSITIONS[current]


@pytest.mark.parametrize(("current", "new"), [
    ("posted", "parsed"), ("posted", "decided"), ("unreadable", "parsed"),
    ("received", "posted"), ("extracted", "posted"), ("parsed", "posted"),
    ("received", "extracted"), ("decided", "extracted"),
])
def test_illegal_moves_are_refused_with_both_states_named(current: str, new: str) -> None:
    with pytest.raises(IllegalTransition, match=f"'{current}' to '{new}'"):
        check_transition("inv-42", current, new)


def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(IllegalTransition, match="unknown state"):
        check_transition("inv", "parsed", "paid-by-hand")
