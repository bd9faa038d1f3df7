"""What one call of each speaker model costs on ONNX Runtime, and what int8 does to its outputs.

The speaker stage is the two models (``docs/measurements.md``, session 15: segmentation 12.3,
voice prints 23.2, clustering 0.4 CPU-s per 10 minutes). This measures each model call alone,
on real speech (the dev clips in shared/data/speech), in CPU milliseconds (every thread):

* voice prints (CAM++, 1.5 s windows as the diarizer cuts them): the app's session options,
  then each option changed alone (graph rewrites "extended", the memory arena on, 2 threads a
  call), at 1, 8 and 32 windows a call;
* the voice print model in int8 (ONNX Runtime's dynamic quantization, made here from the
  cached export; ``--static`` adds static quantization calibrated on half the windows):
  CPU per window and the cosine of each print to the float print (the diarizer compares
  prints by angle; near voices differ by a cosine of about 0.97);
* the segmentation model after its shared first layer (``runtime.SincFront``) at 1-8 chunks a
  call, and with its LSTM and linear weights in int8: CPU per chunk and how far its class
  probabilities move.

Nothing is downloaded; the exports are the app's cache (made on first use of the diarizer).

    python bench/speaker_models.py [--windows 48] [--chunks 12] [--repeat 3] [--static]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))
SHARED = HERE.parents[1] / "shared" / "data" / "speech"
CLIPS = ["pyannote_sample", "ami_ES2003a_0-30s", "ami_EN2006b_0-30s", "ami_EN2009b_0-30s"]
WINDOW, SHIFT = 148, 75  # the diarizer's 1.5 s windows, 0.75 s apart, in filterbank frames


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row by row cosine of two sets of prints."""
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def cpu_ms(call: Callable[[], object], items: int, repeat: int) -> float:
    """Least CPU milliseconds per item over ``repeat`` runs of ``call`` (a busy machine adds
    to CPU time too, so the least is the best estimate)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
    return 1000 * best / items


def batched(run: Callable[[np.ndarray], np.ndarray], x: np.ndarray, size: int) -> np.ndarray:
    return np.concatenate([run(x[i: i + size]) for i in range(0, len(x), size)])


def session(ort, data: bytes | str, arena: bool = False, threads: int = 1,  # noqa: ANN001
            level: str = "ORT_ENABLE_ALL") -> Callable[[np.ndarray], np.ndarray]:
    """A session as ``runtime._open`` makes it, with one option changed."""
    options = ort.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, level)
    options.enable_cpu_mem_arena = arena
    s = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    name = s.get_inputs()[0].name
    return lambda x: s.run(None, {name: np.ascontiguousarray(x, np.float32)})[0]


def speech() -> np.ndarray:
    from anonyscribe.media import decode

    return np.concatenate([decode(SHARED / f"{c}.wav") for c in CLIPS])


def windows(audio: np.ndarray, count: int) -> np.ndarray:
    """The diarizer's print inputs: filterbank windows, mean-normalised per window."""
    from anonyscribe.speakers.features import fbank

    frames = fbank(audio)
    starts = range(0, len(frames) - WINDOW, SHIFT)
    out = np.stack([frames[i: i + WINDOW] - frames[i: i + WINDOW].mean(axis=0) for i in starts])
    return out[:count]


def quantized(path: Path, folder: Path, **options) -> bytes:  # noqa: ANN003
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = folder / f"{path.stem}-int8.onnx"
    quantize_dynamic(path, target, weight_type=QuantType.QInt8, **options)
    return target.read_bytes()


def static_quantized(path: Path, folder: Path, calibration: np.ndarray) -> bytes:
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.batches = iter([{"x": calibration[i: i + 8]}
                                 for i in range(0, len(calibration), 8)])

        def get_next(self) -> dict | None:
            return next(self.batches, None)

    target = folder / f"{path.stem}-static.onnx"
    quantize_static(path, target, Reader(), quant_format=QuantFormat.QOperator,
                    per_channel=True, weight_type=QuantType.QInt8,
                    activation_type=QuantType.QUInt8)
    return target.read_bytes()


def prints_section(ort, files, x: np.ndarray, repeat: int, static: bool,  # noqa: ANN001
                   folder: Path) -> None:
    from anonyscribe.speakers.runtime import Part

    path = files.models[Part.VOICEPRINTS]
    data = path.read_bytes()
    print(f"voice prints: {len(x)} windows of {WINDOW} frames, CPU ms per window "
          "(least of the runs)")
    variants = {"app's options": {}, "rewrites 'extended'": {"level": "ORT_ENABLE_EXTENDED"},
                "memory arena on": {"arena": True}, "2 threads a call": {"threads": 2}}
    for label, options in variants.items():
        run = session(ort, data, **options)
        cells = [f"{size:2d}/call "
                 f"{cpu_ms(lambda r=run, s=size: batched(r, x, s), len(x), repeat):5.1f}"
                 for size in (1, 8, 32)]
        print(f"  {label:22s} " + "  ".join(cells))
    want = batched(session(ort, data), x, 8)
    kinds = {"int8 dynamic": quantized(path, folder)}
    if static:
        kinds["int8 static"] = static_quantized(path, folder, x[1::2])
    for label, q in kinds.items():
        run = session(ort, q)
        got = batched(run, x, 8)
        cos = cosines(want, got)
        print(f"  {label:22s}  8/call {cpu_ms(lambda r=run: batched(r, x, 8), len(x), repeat):5.1f}"
              f"   cosine to float: least {cos.min():.3f}, mean {cos.mean():.3f}")


def segmentation_section(ort, files, audio: np.ndarray, count: int, repeat: int,  # noqa: ANN001
                         folder: Path) -> None:
    from anonyscribe.speakers.runtime import FrontParts

    parts = FrontParts.load(files.front)
    if parts is None:
        print("segmentation: this export could not be split here; not measured")
        return
    front = parts.opened(ort)
    width = 160000
    starts = range(0, len(audio) - width, width // 4)
    x = np.empty((min(count, len(starts)), len(front.sums), front.frames(width)), np.float32)
    for i, st in enumerate(list(starts)[: len(x)]):
        chunk = audio[st: st + width]
        front.normalise([front.filter(chunk)], chunk, x[i])
    tail = folder / "tail.onnx"
    tail.write_bytes(parts.tail)
    print(f"segmentation after the shared first layer: {len(x)} chunks of 10 s, CPU ms per "
          "chunk")
    run = session(ort, parts.tail)
    print("  float                  " + "  ".join(
        f"{size}/call {cpu_ms(lambda s=size: batched(run, x, s), len(x), repeat):5.1f}"
        for size in (1, 2, 4, 8)))
    int8 = session(ort, quantized(tail, folder, op_types_to_quantize=["LSTM", "MatMul"]))
    off = np.abs(np.exp(batched(run, x, 4)) - np.exp(batched(int8, x, 4)))
    took = cpu_ms(lambda: batched(int8, x, 4), len(x), repeat)
    print(f"  int8 LSTM + MatMul     4/call {took:5.1f}   class probabilities off by at "
          f"most {off.max():.3f}, mean {off.mean():.5f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=48)
    parser.add_argument("--chunks", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--static", action="store_true",
                        help="also static int8 for the voice prints (a minute or two more)")
    args = parser.parse_args()
    import onnxruntime as ort

    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models, _runner

    _runner("onnx")  # exports the models into the app's cache where it lacks them
    files = runtime._Files.of(runtime.cache_root() / "speakers", _load_models().weights)
    audio = speech()
    with tempfile.TemporaryDirectory() as tmp:
        prints_section(ort, files, windows(audio, args.windows), args.repeat, args.static,
                       Path(tmp))
        segmentation_section(ort, files, audio, args.chunks, args.repeat, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
