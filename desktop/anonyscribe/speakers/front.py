"""The segmentation model over the whole audio: where speech is, where two voices overlap and
where one voice hands over to another (``Front``), from 10 s chunks blended along the audio."""

from __future__ import annotations

import numpy as np

from ..core.cancel import CancelToken
from ..core.progress import FractionProgress
from . import runtime
from .pool import ModelPool
from .settings import SAMPLE_RATE, DiarizeSettings
from .spans import TimeSpan, runs_of


def local_changes(probs: np.ndarray, reach: int) -> np.ndarray:
    """Per chunk and frame: 1 where the segmentation model's dominant local voice differs
    from the last one heard in the same chunk (pauses and overlaps in between allowed),
    widened by ``reach`` frames so that neighbouring chunks agree on roughly where.

    ``probs``: powerset probabilities (chunks x frames x 7); classes 1-3 are one local
    speaker alone. Local speaker numbers mean nothing across chunks, so only changes
    within a chunk count."""
    single = probs[:, :, 1:4]
    alone = single.max(axis=2) > 0.5
    who = np.where(alone, single.argmax(axis=2), -1)
    out = np.zeros(who.shape, dtype=np.float32)
    for c in range(who.shape[0]):
        heard = np.flatnonzero(who[c] >= 0)
        if len(heard) < 2:
            continue
        flips = heard[1:][who[c, heard[1:]] != who[c, heard[:-1]]]
        prev = heard[:-1][who[c, heard[1:]] != who[c, heard[:-1]]]
        for a, b in zip(prev, flips, strict=True):
            mid = (a + b) // 2
            out[c, max(0, mid - reach): mid + reach + 1] = 1.0
    return out



class Front:
    """The segmentation stage of one diarizer; model inputs per run go into ``calls``
    ("segmentation": (run, dense count))."""

    def __init__(self, settings: DiarizeSettings, runner: runtime.Runner, pool: ModelPool,
                 calls: dict[str, tuple[int, int]]) -> None:
        self.settings, self.runner, self.pool, self.calls = settings, runner, pool, calls

    def segmentation(self, audio: np.ndarray, progress: FractionProgress,
                     cancel: CancelToken | None) -> np.ndarray:
        """Per model frame: probability of speech, of two voices at once, and that the voice
        changes here (frames x 3).

        The model sees 10 s chunks every ``seg_hop_s``; chunks overlap and are blended with a
        Hamming weight so that the edges of a chunk (where it knows least) count least.
        ``sparse_chunks``: every other chunk first (each moment still heard by two), then a chunk in
        between only where those hear a second voice or a voice change anywhere in it: one
        voice talking on needs no more opinions.
        """
        s = self.settings
        step = self.runner.frame_step
        width = int(s.seg_chunk_s * SAMPLE_RATE)
        hop = int(s.seg_hop_s * SAMPLE_RATE)
        n = len(audio)
        starts = list(range(0, max(1, n - width + 1), hop))
        if starts[-1] + width < n:
            starts.append(n - width)
        frames = int(n / SAMPLE_RATE / step) + 2
        acc = np.zeros((frames, 3), dtype=np.float64)
        weight = np.zeros(frames, dtype=np.float64)
        if not s.sparse_chunks or len(starts) < 3:
            self._blend(audio, starts, acc, weight, lambda f: progress(min(1.0, f)), cancel)
            self.calls["segmentation"] = (len(starts), len(starts))
            return acc / np.maximum(weight, 1e-9)[:, None]
        first = starts[::2] if (len(starts) - 1) % 2 == 0 else [*starts[::2], starts[-1]]
        taken = set(first)
        self._blend(audio, first, acc, weight, lambda f: progress(0.5 * f), cancel)
        coarse = acc / np.maximum(weight, 1e-9)[:, None]
        doubt = (coarse[:, 1] > s.doubt_overlap) | (coarse[:, 2] > s.doubt_change)
        edge = int(round(s.doubt_edge_s / step))
        span = int(round(s.seg_chunk_s / step))
        then = [st for st in starts if st not in taken and doubt[
            int(round(st / SAMPLE_RATE / step)) + edge:
            int(round(st / SAMPLE_RATE / step)) + span - edge].any()]
        self._blend(audio, then, acc, weight, lambda f: progress(0.5 + 0.5 * f), cancel)
        self.calls["segmentation"] = (len(first) + len(then), len(starts))
        return acc / np.maximum(weight, 1e-9)[:, None]

    def _blend(self, audio: np.ndarray, starts: list[int], acc: np.ndarray, weight: np.ndarray,
               progress: FractionProgress, cancel: CancelToken | None) -> None:
        """Run the segmentation model on the chunks at ``starts`` (samples) and add their
        Hamming-weighted outputs into ``acc`` and ``weight`` (per model frame)."""
        s = self.settings
        step = self.runner.frame_step
        width = int(s.seg_chunk_s * SAMPLE_RATE)
        frames = len(weight)
        per_call = max(1, s.seg_batch // self.pool.workers)  # the same memory on any core count
        groups = [starts[b: b + per_call] for b in range(0, len(starts), per_call)]
        front = self.runner.front if s.share_front else None

        def chunk_of(st: int) -> np.ndarray:
            piece = audio[st: st + width]
            return piece if len(piece) == width else np.pad(piece, (0, width - len(piece)))

        def run(item: tuple[list[int], list[list[np.ndarray]]]) -> np.ndarray:
            group, filtered = item
            if front is None:
                probs = self.runner.segment(np.stack([chunk_of(st) for st in group])[:, None])
            else:
                first = np.empty((len(group), len(front.sums), front.frames(width)), np.float32)
                for i, st in enumerate(group):
                    front.normalise(filtered[i], chunk_of(st), first[i])
                probs = front.tail(first)
            # powerset classes: 0 silence, 1-3 one local speaker, 4-6 two at once
            return np.stack([1.0 - probs[:, :, 0], probs[:, :, 4:].sum(axis=2),
                             local_changes(probs, s.change_reach)], axis=2)

        shared = SharedFilter(front, audio, hop=int(s.seg_hop_s * SAMPLE_RATE), width=width)
        items = ((g, [shared.pieces(st) for st in g] if front else []) for g in groups)
        done = 0
        for group, found in zip(groups, self.pool.ordered(run, items, cancel), strict=True):
            ham = np.hamming(found.shape[1])
            for i, st in enumerate(group):
                f0 = int(round(st / SAMPLE_RATE / step))
                k = min(found.shape[1], frames - f0)
                acc[f0: f0 + k] += found[i, :k] * ham[:k, None]
                weight[f0: f0 + k] += ham[:k]
            done += len(group)
            progress(done / max(1, len(starts)))

    def regions(self, probs: np.ndarray, duration: float
                ) -> tuple[list[TimeSpan], list[TimeSpan], list[float]]:
        """Speech regions, overlapped-speech regions and points (seconds) inside speech where
        the segmentation model hears one voice hand over to another without a pause."""
        s = self.settings
        step = self.runner.frame_step
        offset = self.runner.frame_duration / 2 - step / 2
        speech = runs_of(probs[:, 0] > s.speech_threshold, step, offset,
                         s.min_speech_s, s.min_silence_s)
        overlap = runs_of(probs[:, 1] > s.overlap_threshold, step, offset, 0.1, 0.1)
        changes = [(a + b) / 2 for a, b in
                   runs_of(probs[:, 2] > s.change_threshold, step, offset)]
        clip = [(max(0.0, a), min(duration, b)) for a, b in speech]
        overlap = [(max(0.0, a), min(duration, b)) for a, b in overlap]
        return ([(a, b) for a, b in clip if b > a], [(a, b) for a, b in overlap if b > a],
                [t for t in changes if 0.0 < t < duration])

    def doubts(self, probs: np.ndarray, duration: float) -> list[TimeSpan]:
        """Where the segmentation model suspects a second voice or a voice change (below the
        thresholds that cut the speech): voice prints there are never skipped
        (``SparsePrints.prints``)."""
        s = self.settings
        step = self.runner.frame_step
        offset = self.runner.frame_duration / 2 - step / 2
        doubt = (probs[:, 1] > s.doubt_overlap) | (probs[:, 2] > s.doubt_change)
        return [(max(0.0, a), min(duration, b)) for a, b in runs_of(doubt, step, offset)]


class SharedFilter:
    """The segmentation model's first-layer filters over the audio (``runtime.SincFront``),
    one ``hop``-long block at a time, each block filtered once and handed to every chunk that
    hears it: a chunk every 2.5 s of 10 s is 4 blocks, so the filters run over each sample
    once instead of 4 times. Blocks before the chunk asked for are let go (chunks are asked
    for in order); a chunk off the blocks' grid (the last one, or audio shorter than a chunk)
    is filtered on its own."""

    def __init__(self, front: runtime.SincFront | None, audio: np.ndarray, hop: int,
                 width: int) -> None:
        self.front, self.audio, self.hop, self.width = front, audio, hop, width
        self.blocks: dict[int, np.ndarray] = {}

    def pieces(self, start: int) -> list[np.ndarray]:
        """The filters' raw outputs over the chunk at ``start`` (samples), in pieces."""
        front = self.front
        assert front is not None
        hop, width, n = self.hop, self.width, len(self.audio)
        if hop % front.stride or start % hop or start + width > n:
            piece = self.audio[start: start + width]
            return [front.filter(np.pad(piece, (0, width - len(piece))))]
        first = start // hop
        for b in [b for b in self.blocks if b < first]:
            del self.blocks[b]
        need, out, b = front.frames(width), [], first
        while need > 0:
            if b not in self.blocks:
                a = b * hop
                self.blocks[b] = front.filter(self.audio[a: a + hop + front.kernel - front.stride])
            if not self.blocks[b].shape[1]:  # cannot happen inside the audio; kept safe
                return [front.filter(self.audio[start: start + width])]
            out.append(self.blocks[b][:, :need])
            need -= out[-1].shape[1]
            b += 1
        return out

