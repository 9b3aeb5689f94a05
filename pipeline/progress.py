"""Progress listeners: told after each file of a batch (the CLI's progress bar).

Kept out of the flows so orchestration stays free of UI code, and out of the flow's
parameters because a callback cannot be serialised as one.
"""

from __future__ import annotations

from collections.abc import Callable

from models.processing import ProcessingResult

ProgressListener = Callable[[ProcessingResult], None]
_listeners: list[ProgressListener] = []


def add_listener(listener: ProgressListener) -> None:
    _listeners.append(listener)


def remove_listener(listener: ProgressListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def notify(result: ProcessingResult) -> None:
    for listener in list(_listeners):
        listener(result)
