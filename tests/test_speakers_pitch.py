"""Pitch as a second voice cue (speakers/pitch.py, asking.by_questions): voices whose prints
are alike but whose pitch differs, against one voice asking and answering."""

from __future__ import annotations

import numpy as np

from anonyscribe.speakers import assign_speakers
from anonyscribe.speakers.asking import (
    SWITCH_COST,
    _once_each,
    agreement,
    by_questions,
    text_scores,
    unit_prints,
    units_of,
    voice_follows,
)
from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.diarize import Diarization
from anonyscribe.speakers.pitch import SAMPLE_RATE, frame_pitch, stretch_pitch
from anonyscribe.speakers.timeline import viterbi
from anonyscribe.speakers.turns import Turn
from test_speakers_asking import _interview, _prints

SR = SAMPLE_RATE


def _voiced(f0: np.ndarray) -> np.ndarray:
    """A buzz with five harmonics following the pitch track ``f0`` (Hz per sample)."""
    phase = 2 * np.pi * np.cumsum(f0) / SR
    return sum(0.3 / k * np.sin(k * phase) for k in range(1, 6)).astype(np.float32)


def _audio(truth: list[Turn], hz: dict[str, float], rise: float = 1.0, seed: int = 2
           ) -> np.ndarray:
    """Each sentence of ``truth`` voiced at its speaker's pitch (each sentence 2 % up or
    down at random), its last 40 % gliding up by ``rise`` when it is a question (the
    asker's)."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int((truth[-1].end + 1) * SR), np.float32)
    for t in truth:
        a, b = int(t.start * SR), int(t.end * SR)
        f0 = np.full(b - a, hz[t.speaker] * (1 + rng.uniform(-0.02, 0.02)))
        if t.speaker == "asker":
            tail = int(0.6 * len(f0))
            f0[tail:] *= np.linspace(1.0, rise, len(f0) - tail)
        out[a:b] = _voiced(f0)
    return out


def test_pitch_of_a_buzz_and_none_in_noise() -> None:
    buzz = _voiced(np.full(SR, 120.0))
    f0 = frame_pitch(buzz)
    assert abs(np.exp(np.nanmedian(f0)) - 120.0) < 3.0 and np.mean(np.isnan(f0)) < 0.1
    noise = np.random.default_rng(0).normal(size=SR).astype(np.float32) * 0.1
    assert np.mean(np.isnan(frame_pitch(noise))) > 0.9


def test_the_short_transform_finds_every_lag_a_full_autocorrelation_finds() -> None:
    """``frame_pitch`` correlates each frame by an FFT just long enough for the lags it reads
    (up to the lowest pitch, 60 Hz): the same pitch and voicing per frame as the frame's
    autocorrelation worked out in full, from the lowest pitch to the highest."""
    from anonyscribe.speakers import pitch

    rng = np.random.default_rng(5)
    track = np.repeat(rng.uniform(pitch.LOW_HZ + 1, pitch.HIGH_HZ - 10, 12), SR // 4)
    audio = _voiced(track) + rng.normal(size=len(track)).astype(np.float32) * 0.05
    n, hop = int(pitch.FRAME_S * SR), int(pitch.HOP_S * SR)
    lo, hi = int(SR / pitch.HIGH_HZ), int(SR / pitch.LOW_HZ)
    frames = [audio[i * hop: i * hop + n].astype(np.float64) * np.hanning(n)
              for i in range((len(audio) - n) // hop)]
    full = np.array([np.correlate(f, f, "full")[n - 1: n - 1 + hi] for f in frames])
    full /= full[:, :1]
    lag = lo + np.argmax(full[:, lo:hi], axis=1)
    want = np.where(full[np.arange(len(lag)), lag] > pitch.VOICED_PEAK, np.log(SR / lag), np.nan)
    got = frame_pitch(audio)
    assert np.mean(np.isnan(got)) < 0.2
    heard = ~np.isnan(got)
    np.testing.assert_array_equal(got[heard], want[heard])


def test_a_question_rise_at_its_end_is_not_its_pitch() -> None:
    f0 = np.full(2 * SR, 110.0)
    f0[int(1.2 * SR):] = 180.0
    got = stretch_pitch(_voiced(f0), [(0.0, 2.0), (0.0, 0.1)])
    assert abs(np.exp(got[0]) - 110.0) < 3.0 and np.isnan(got[1])


def _low_voice(seconds: float, harmonics: list[float], hz: float = 75.0) -> np.ndarray:
    """A low voice's buzz with the given harmonic strengths (a vowel's formants)."""
    phase = 2 * np.pi * hz * np.arange(int(seconds * SR)) / SR
    return (0.3 * sum(a * np.sin((k + 1) * phase) for k, a in enumerate(harmonics))
            ).astype(np.float32)


def test_a_sentence_read_an_octave_or_two_high_is_brought_back() -> None:
    """A low voice whose vowels ring on the second or fourth harmonic reads 150 or 300 Hz
    frame by frame (on a dev clip, whole sentences of a 75 Hz voice read 310 Hz, and the
    pitch no longer told two near voices apart): each sentence's pitch is that voice's."""
    plain = [1.0, 0.5, 0.33, 0.25, 0.2]
    sentences = [plain, [0.1, 0.3, 0.3, 1.0, 0.3], plain, [0.2, 1.0, 0.3, 0.6, 0.2], plain]
    audio = np.concatenate([np.concatenate([_low_voice(1.5, h), np.zeros(SR // 2, np.float32)])
                            for h in sentences])
    assert np.exp(np.nanmedian(frame_pitch(audio[2 * SR: int(3.5 * SR)]))) > 250  # the error
    got = np.exp(stretch_pitch(audio, [(2.0 * i, 2.0 * i + 1.5) for i in range(5)]))
    assert np.all(np.abs(got - 75.0) < 3.0), got


def _alike(truth: list[Turn]) -> Diarization:
    """All speech on one voice; prints whose voice leans the words' way only a little."""
    windows, prints = _prints(truth, voice=0.25)
    return Diarization([Turn(t.start, t.end, "S1") for t in truth], alike=True,
                       windows=windows, prints=prints)


def test_alike_prints_and_apart_pitch_split_an_interview_by_who_asks() -> None:
    tr, truth = _interview()
    found = _alike(truth)
    units = units_of(tr)
    roles, _ = viterbi(text_scores(units), np.full(len(units), SWITCH_COST))
    up = unit_prints(units, found.windows, found.prints)
    lean = agreement(*_once_each(units, roles, up, np.linalg.norm(up, axis=1) > 0))
    assert 1.0 <= lean < 3.0  # the prints alone would not be believed
    assert by_questions(tr, found) is None  # no audio, no pitch: as before
    two = _audio(truth, {"asker": 100.0, "answerer": 108.0})
    turns = by_questions(tr, found, two)
    assert turns is not None
    labelled = assign_speakers(tr, turns)
    hyp = [Turn(s.start, s.end, s.speaker) for s in labelled.segments]
    assert diarization_error(truth, hyp).der <= 0.02
    # one voice asking (its questions rising at the end) and answering: not split
    one = _audio(truth, {"asker": 100.0, "answerer": 100.0}, rise=1.3)
    assert by_questions(tr, found, one) is None


def _der(tr, turns: list[Turn], truth: list[Turn]) -> float:  # noqa: ANN001
    labelled = assign_speakers(tr, turns)
    return diarization_error(truth, [Turn(s.start, s.end, s.speaker)
                                     for s in labelled.segments]).der


def _question_openings(truth: list[Turn], size: float
                       ) -> tuple[list[tuple[float, float]], np.ndarray]:
    """One voice's prints (``_prints`` with no voice offset) in which what is said leans
    the questions' way: the first window of every question (its "how", "what", "could you")
    moved ``size`` along one shared direction. Sentence means lean apart; the windows, one
    per question, do not."""
    windows, prints = _prints(truth, voice=0.0)
    lean = np.random.default_rng(7).normal(size=prints.shape[1])
    lean *= size / np.linalg.norm(lean)
    for t in truth:
        if t.speaker == "asker":
            prints[next(i for i, (a, _) in enumerate(windows) if a >= t.start - 1e-9)] += lean
    return windows, prints / np.linalg.norm(prints, axis=1, keepdims=True)


def test_prints_that_follow_what_is_said_need_the_pitch_to_agree() -> None:
    """One voice asking and answering whose prints lean the words' way beyond chance (its
    questions and answers differ in what is said: 4.2 on a dev voice) is not split when
    its pitch does not differ between the roles; two voices at two pitches are."""
    tr, truth = _interview()
    windows, prints = _question_openings(truth, size=0.3)
    found = Diarization([Turn(t.start, t.end, "S1") for t in truth], alike=True,
                        windows=windows, prints=prints)
    units = units_of(tr)
    roles, _ = viterbi(text_scores(units), np.full(len(units), SWITCH_COST))
    up = unit_prints(units, windows, prints)
    lean = agreement(*_once_each(units, roles, up, np.linalg.norm(up, axis=1) > 0))
    assert 3.0 <= lean < 10.0  # enough by the prints alone, before the pitch was asked
    assert not voice_follows(units, roles, windows, prints)  # sentence-deep, not voice-deep
    one = _audio(truth, {"asker": 100.0, "answerer": 100.0}, rise=1.3)
    assert by_questions(tr, found, one) is None
    two = _audio(truth, {"asker": 100.0, "answerer": 108.0})
    turns = by_questions(tr, found, two)
    assert turns is not None and _der(tr, turns, truth) <= 0.02


def _long_answers_missed(truth: list[Turn], missed: int) -> Diarization:
    """A weak diarizer's split (5.3 apart) that gives every sentence its right voice but
    the ``missed`` longest answers, which it gives to the asker's."""
    windows, prints = _prints(truth, voice=0.5)
    answers = sorted((t for t in truth if t.speaker == "answerer"),
                     key=lambda t: t.start - t.end)[:missed]
    turns = [Turn(t.start, t.end, "S1" if t.speaker == "asker" or t in answers else "S2")
             for t in truth]
    return Diarization(turns, windows=windows, prints=prints, separation=5.3)


def test_a_split_that_misses_long_answers_gives_way_to_pitch_backed_words() -> None:
    """The diarizer's split is kept where it gives the sentences the words' roles, as a
    share of their *time*: before, of their number, and on a dev voice at two pitches a
    split right on 89 % of the sentences but wrong on two long answers (15 s of 87) was
    kept, 23.9 % DER against 1.6 % for the words."""
    tr, truth = _interview()
    two = _audio(truth, {"asker": 100.0, "answerer": 108.0})
    weak = _long_answers_missed(truth, missed=4)
    assert (len(truth) - 4) / len(truth) >= 0.85  # right on as many sentences as kept it
    assert _der(tr, weak.turns, truth) > 0.15
    turns = by_questions(tr, weak, two)
    assert turns is not None and _der(tr, turns, truth) <= 0.02
    # one missed answer: right on 97 % of the sentences and most of their time, the split
    # is kept sentence by sentence, and the pitch gives the missed answer back (5 % -> 0)
    one = _long_answers_missed(truth, missed=1)
    assert _der(tr, one.turns, truth) > 0.04
    turns = by_questions(tr, one, two)
    assert turns is not None and _der(tr, turns, truth) <= 0.01
