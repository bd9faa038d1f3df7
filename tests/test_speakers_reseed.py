"""The question/answer roles as a start of the timeline search (speakers/reseed.py) and the
parts it is built from (timeline.change_costs, timeline.refine_along, diarize.timed_turns):
an interview with words, windows and voice prints built here, numpy only."""

from __future__ import annotations

import numpy as np

from anonyscribe.speakers.asking import CLEAR_SEPARATION, roles_of, units_of
from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.diarize import Diarization, Search, timed_turns
from anonyscribe.speakers.geometry import unit
from anonyscribe.speakers.reseed import reseeded, role_windows
from anonyscribe.speakers.settings import DiarizeSettings
from anonyscribe.speakers.timeline import change_costs, mostly_one, refine_along, viterbi
from anonyscribe.speakers.turns import Turn
from test_speakers_asking import _interview

TOPIC = 0.08


def _windows(truth: list[Turn]) -> tuple[list[tuple[float, float]], list[str], list[int]]:
    """1.5 s windows every 0.75 s over each sentence (one stretch of speech each), who says
    each window's sentence and which sentence it is."""
    windows, who, sentence = [], [], []
    for k, t in enumerate(truth):
        a = t.start
        while True:
            b = min(a + 1.5, t.end)
            windows.append((a, b))
            who.append(t.speaker)
            sentence.append(k)
            if b >= t.end:
                break
            a += 0.75
    return windows, who, sentence


def _near_prints(who: list[str], sentence: list[int], voice: float, seed: int = 7
                 ) -> np.ndarray:
    """A print per window: a shared voice, ``voice`` times a small per-speaker offset, what
    is said (a direction per sentence, and more that is new in every window: together
    larger than the offset, so the prints' main directions are content, as for a
    near-pitch pair), and noise."""
    rng = np.random.default_rng(seed)
    dim = 64
    base = rng.normal(size=dim)
    base *= 4 / np.linalg.norm(base)
    offset = {w: rng.normal(size=dim) * 0.06 for w in ("asker", "answerer")}
    topic = rng.normal(size=(max(sentence) + 1, dim)) * TOPIC
    rows = [base + voice * offset[w] + topic[k] + rng.normal(size=dim) * 0.12
            for w, k in zip(who, sentence, strict=True)]
    return unit(np.array(rows))


def _weak(truth: list[Turn], voice: float) -> Diarization:
    """What the diarizer keeps for two told voices it found alike: all speech on one voice
    but a window, and what it chose from."""
    windows, who, sentence = _windows(truth)
    x = _near_prints(who, sentence, voice)
    labels = mostly_one(x, (np.arange(len(x)) % 2).astype(np.int64))
    speech = [(t.start, t.end) for t in truth]
    found = Search(windows, x, np.ones(len(x), dtype=bool), labels, speech, [])
    return timed_turns(DiarizeSettings(), found, 2, True)


def test_a_change_costs_more_inside_a_stretch_than_across_a_pause() -> None:
    s = DiarizeSettings()
    cost = change_costs(s, [(0.0, 1.5), (0.75, 2.25), (3.0, 4.5)])
    assert cost.tolist() == [s.hmm_switch_in, s.hmm_switch_gap]


def test_refining_along_voice_directions_mends_a_start_near_the_voices() -> None:
    rng = np.random.default_rng(1)
    truth = np.repeat([0, 1, 0, 1], 25)
    z = np.column_stack([truth * 3.0, rng.normal(size=100)]) + rng.normal(size=(100, 2)) * 0.5
    start = truth.copy()
    start[rng.choice(100, 12, replace=False)] ^= 1  # 12 % of windows on the wrong voice
    labels = refine_along(z, start, np.full(99, 0.5))
    assert np.array_equal(labels, truth)
    # where nothing sets the windows apart a voice would vanish: the last split with both
    flat = np.zeros((100, 2))
    assert len(np.unique(refine_along(flat, start, np.full(99, 0.5)))) == 2


def test_windows_take_the_role_of_the_sentence_they_are_in() -> None:
    tr, truth = _interview(rounds=2)
    units = units_of(tr)
    roles = np.array([0, 1, 1, 0, 1, 1])
    windows = [(truth[0].start, truth[0].start + 1.5), (truth[1].start, truth[1].start + 1.5),
               (truth[2].end + 0.01, truth[2].end + 0.2)]  # the last in a pause
    assert len(units) == 6
    assert role_windows(units, roles, windows).tolist() == [0, 1, -1]


def test_near_voices_the_search_missed_are_found_from_the_roles() -> None:
    tr, truth = _interview()
    found = _weak(truth, voice=1.0)
    again = reseeded(tr, found)
    assert again is not None and len(again.speakers) == 2 and not again.alike
    e = diarization_error(truth, again.turns)
    assert e.der <= 0.05, e
    assert again.search is not None and again.prints is not None


def test_one_voice_asking_and_answering_is_not_split_from_its_roles() -> None:
    tr, truth = _interview()
    assert reseeded(tr, _weak(truth, voice=0.0)) is None


def test_a_clear_split_or_a_diarization_without_its_search_is_left_alone() -> None:
    tr, truth = _interview()
    found = _weak(truth, voice=1.0)
    clear = Diarization(found.turns, alike=False, windows=found.windows, prints=found.prints,
                        separation=CLEAR_SEPARATION + 1, search=found.search)
    assert reseeded(tr, clear) is None
    bare = Diarization(found.turns, alike=True, windows=found.windows, prints=found.prints)
    assert reseeded(tr, bare) is None


def test_turns_rebuilt_from_a_search_follow_its_voices() -> None:
    windows = [(0.0, 1.5), (0.75, 2.25), (3.0, 4.5), (3.75, 5.25)]
    x = unit(np.eye(4)[[0, 0, 1, 1]] + 0.01)
    found = timed_turns(DiarizeSettings(), Search(windows, x, np.ones(4, dtype=bool),
                                                  np.array([0, 0, 1, 1]), [(0.0, 2.25),
                                                  (3.0, 5.25)], []), 2, False)
    assert [(t.start, t.end, t.speaker) for t in found.turns] == [
        (0.0, 2.25, "S1"), (3.0, 5.25, "S2")]
    assert found.search is not None and found.separation > 0
    # an automatic count keeps no search (only two told voices are searched again)
    auto = timed_turns(DiarizeSettings(), found.search, None, False)
    assert auto.search is None


def test_roles_come_from_the_words() -> None:
    tr, truth = _interview(rounds=3)
    units, roles = roles_of(units_of(tr), Diarization())
    asks = [u for u, r in zip(units, roles.tolist(), strict=True) if r == 0]
    assert [u.text for u in asks] == [t for t in (s.text for s in tr.segments) if "?" in t]


def test_the_two_voice_viterbi_takes_the_general_paths_and_ties() -> None:
    """Two columns run on plain floats (``_viterbi_two``); a third column no path takes
    sends the same scores through the general loop: same path, same score, ties too."""
    rng = np.random.default_rng(4)
    for trial in range(300):
        n = int(rng.integers(1, 40))
        emission = rng.normal(size=(n, 2)) * (1 if trial % 2 else 0.3)
        if trial % 3 == 0:
            emission = np.round(emission)  # ties between the voices and with a change
        cost = rng.choice([0.0, 0.5, 2.0], size=n - 1)
        never = np.column_stack([emission, np.full(n, -1e9)])
        path, score = viterbi(emission, cost)
        general, general_score = viterbi(never, cost)
        assert np.array_equal(path, general) and score == general_score
