"""The voice print model (CAM++) over analysis windows: one 192-d print per window, from the
filterbank of each stretch of speech computed once per run."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..core.cancel import CancelToken
from ..core.progress import FractionProgress
from . import runtime
from .features import HOP, WIN, KeptFeatures
from .pool import ModelPool
from .settings import SAMPLE_RATE, DiarizeSettings
from .spans import TimeSpan, group_windows


class Printer:
    """The print stage of one diarizer; ``features``: the filterbank kept through a run."""

    def __init__(self, settings: DiarizeSettings, runner: runtime.Runner, pool: ModelPool,
                 features: KeptFeatures) -> None:
        self.settings, self.runner, self.pool, self.features = settings, runner, pool, features

    def embeddings(self, audio: np.ndarray, windows: list[TimeSpan], progress: FractionProgress,
                   cancel: CancelToken | None, which: list[int] | None = None) -> np.ndarray:
        """One 192-d voice print per window (or per window in ``which``, in that order; see
        ``_window_batches``)."""
        count = len(windows) if which is None else len(which)
        out = np.zeros((count, 192), dtype=np.float32)

        def run(items: list[tuple[int, np.ndarray]]) -> tuple[list[int], np.ndarray]:
            return [i for i, _ in items], self.runner.embed(np.stack([x for _, x in items]))

        done = 0
        batches = self._window_batches(audio, windows, which)
        for rows, prints in self.pool.ordered(run, batches, cancel):
            out[rows] = prints
            done += len(rows)
            progress(done / max(1, count))
        return out

    def _window_batches(self, audio: np.ndarray, windows: list[TimeSpan],
                        which: list[int] | None = None
                        ) -> Iterator[list[tuple[int, np.ndarray]]]:
        """Batches of (output row, features) of one length, for all windows or those in
        ``which``. Features are computed once per stretch of overlapping windows (all of
        them, so a window's features never depend on which others are asked for) and sliced
        per window (windows start on the 10 ms frame grid, to within 5 ms), then
        mean-normalised per window as CAM++ was trained."""
        row = {i: i for i in range(len(windows))} if which is None else {
            wi: r for r, wi in enumerate(which)}
        pending: dict[int, list[tuple[int, np.ndarray]]] = {}  # frames -> (row, features)
        for (ga, gb), members in group_windows(windows):
            members = [wi for wi in members if wi in row]
            if not members:
                continue
            a = int(round(ga * SAMPLE_RATE))
            frames = self.features.stretch(audio, (ga, gb))
            for wi in members:
                wa, wb = windows[wi]
                f0 = max(0, min(int(round((wa * SAMPLE_RATE - a) / HOP)), len(frames) - 1))
                n = max(1, 1 + (int(round((wb - wa) * SAMPLE_RATE)) - WIN) // HOP)
                x = frames[f0: f0 + n]
                pending.setdefault(len(x), []).append((row[wi], x - x.mean(axis=0, keepdims=True)))
                if len(pending[len(x)]) >= self.settings.batch_size:
                    yield pending.pop(len(x))
        yield from pending.values()
