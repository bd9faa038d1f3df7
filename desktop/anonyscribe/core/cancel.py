"""Cooperative cancellation shared by the CLI, the batch and the GUI workers."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside long work when the user asked to stop."""


class CancelToken:
    """A flag long-running work polls; ``cancel()`` may be called from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()
