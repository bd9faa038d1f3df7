"""The diarizer's model calls on worker threads, one model thread each, results in order."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ..core.cancel import CancelToken
from . import runtime

_In = TypeVar("_In")
_Out = TypeVar("_Out")


class ModelPool:
    """``workers`` threads for one diarizer's model calls, opened per run (``session``);
    ``on_close`` runs when a session ends (the run's kept features let go)."""

    def __init__(self, workers: int, runner: runtime.Runner,
                 blas_limits: Callable[[int], contextlib.AbstractContextManager],
                 on_close: Callable[[], None]) -> None:
        self.workers, self.runner, self.blas_limits = workers, runner, blas_limits
        self.on_close = on_close
        self._pool: ThreadPoolExecutor | None = None  # during a session

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Model calls run on ``workers`` threads with one torch (or ONNX Runtime) thread
        each, and the clustering's linear algebra on one BLAS thread. torch's own threads
        meet at a barrier after every operation, and on a busy machine (the recogniser, other
        programs) a thread waiting there spins: on 2 shared cores, 2 torch threads cost 3-6x
        the CPU time of one for the same voice prints, and took longer; 2 BLAS threads cost 4x
        the CPU of one for the same clustering of 265 windows. Whole batches on separate
        threads never wait for each other. torch's setting is touched only where torch runs
        a model (ONNX Runtime sessions are opened with one thread each)."""
        torch = self.runner.torch.torch if self.runner.torch is not None else None
        before = torch.get_num_threads() if torch is not None else 0
        if torch is not None:
            torch.set_num_threads(1)
        try:
            with (self.blas_limits(1),
                  ThreadPoolExecutor(self.workers, thread_name_prefix="diarize") as pool):
                self._pool = pool
                yield
        finally:
            self._pool = None
            self.on_close()
            if torch is not None:
                torch.set_num_threads(before)

    def ordered(self, fn: Callable[[_In], _Out], items: Iterable[_In],
                cancel: CancelToken | None) -> Iterator[_Out]:
        """``fn`` over ``items`` on the worker threads, results in order, a few calls ahead
        (memory stays bounded on a 2-hour file). On cancel the calls under way finish before
        the error leaves, so the models are free when the lock is released."""
        if self._pool is None:  # a stage called on its own (bench, tests): workers for it
            with self.session():
                yield from self.ordered(fn, items, cancel)
            return
        pending: deque[Future[_Out]] = deque()
        try:
            for item in items:
                if cancel is not None:
                    cancel.check()
                pending.append(self._pool.submit(fn, item))
                if len(pending) > self.workers:
                    yield pending.popleft().result()
            while pending:
                if cancel is not None:
                    cancel.check()
                yield pending.popleft().result()
        finally:
            for f in pending:
                f.cancel()
            for f in pending:
                if not f.cancelled():
                    f.exception()  # waits for it; its error (if any) is not ours to raise
