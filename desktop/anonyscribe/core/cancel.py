"""Cooperative cancellation shared by the CLI, the batch and the GUI workers."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

T = TypeVar("T")


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


CANCEL_POLL_S = 0.05  # how often a waiting caller looks at its token: Stop answers within this
_END = object()


def stream_cancellable(make: Callable[[threading.Event], Iterator[T]],
                       cancel: CancelToken | None, *, poll_s: float = CANCEL_POLL_S,
                       lock: AbstractContextManager[Any] | None = None,
                       name: str = "anonyscribe-work") -> Iterator[T]:
    """Yield what ``make(stop)`` yields, computed in a helper thread, so cancel lands at once.

    Why: native calls (a 30 s window of speech recognition, detection over a long transcript,
    speaker separation) run for seconds without looking at the token, yet Stop must answer
    within a second. The caller raises ``Cancelled`` within ``poll_s``; the helper sees
    ``stop`` at its next step (if it looks) and ends, its results dropped, never saved. It is
    not a daemon: quitting right after a cancel waits for the native call to end instead of
    killing it mid-call (which aborts the process). ``lock`` is held by the helper while it
    works (one model run at a time, an abandoned one finishing first).
    """
    if cancel is not None:
        cancel.check()
    items: queue.Queue[Any] = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        with lock if lock is not None else contextlib.nullcontext():
            try:
                if not stop.is_set():
                    for item in make(stop):
                        items.put(item)
                        if stop.is_set():
                            break
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                items.put(_Raised(exc))
            finally:
                items.put(_END)

    threading.Thread(target=work, name=name, daemon=False).start()
    try:
        while True:
            try:
                item = items.get(timeout=poll_s)
            except queue.Empty:
                if cancel is not None:
                    cancel.check()
                continue
            if item is _END:
                return
            if isinstance(item, _Raised):
                raise item.error
            if cancel is not None:
                cancel.check()  # a Stop that arrived as the work finished still wins
            yield item
    finally:
        stop.set()  # cancelled, failed or finished: the helper stops at its next step


def wait_cancellable(work: Callable[[], T], cancel: CancelToken, *,
                     poll_s: float = CANCEL_POLL_S, name: str = "anonyscribe-stage") -> T:
    """``work()`` run in a helper thread (see ``stream_cancellable``); ``Cancelled`` the
    moment cancel is pressed, even though ``work`` never looks at the token."""
    (value,) = stream_cancellable(lambda stop: iter((work(),)), cancel, poll_s=poll_s,
                                  name=name)
    return value


class _Raised:
    """An error of the helper thread, carried to the caller (an item may itself be one)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
