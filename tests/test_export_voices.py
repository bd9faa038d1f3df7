"""Timed exports use the speaker method's own timeline (``Transcript.speaker_times``) where
the recogniser wrote less than was said: widened cues, ``[unclear]`` and ``[crosstalk]``."""

from __future__ import annotations

import copy
import json

from anonyscribe.core.model import (
    Decision,
    Finding,
    RecordingInfo,
    Segment,
    SpeakerTime,
    Transcript,
)
from anonyscribe.core.register import Register
from anonyscribe.export import write_format
from anonyscribe.export.common import export_turns
from anonyscribe.export.subtitles import CROSSTALK, UNCLEAR, cues
from anonyscribe.labels import plan, render
from anonyscribe.speakers import (
    assign_speakers,
    merge_speakers,
    move_segment,
    rename_speaker,
    speaker_times,
    voiced,
)
from anonyscribe.speakers.der import diarization_error
from anonyscribe.speakers.turns import Turn
from test_export_subtitles import parse_srt, parse_vtt
from test_speakers_turns import seg, words

# Truth: S1 asks 0.0-2.6 s, S2 answers 3.0-8.0 s (the recogniser heard 3.3-5.0 only), S3
# says "mm" over S2 at 4.0-4.8 s, S1 mumbles 9.0-10.0 s (no words), S1 again 11.0-13.0 s.
TRUTH = [Turn(0.0, 2.6, "A"), Turn(3.0, 8.0, "B"), Turn(4.0, 4.8, "C"), Turn(9.0, 10.0, "A"),
         Turn(11.0, 13.0, "A")]


def meeting(times: bool = True) -> Transcript:
    t = Transcript(RecordingInfo("meeting.wav"), [
        seg(0, "Could you say what changed?", 0.2, "S1"),       # words 0.2-2.15
        seg(1, "The rota changed first.", 3.3, "S2"),          # words 3.3-4.85
        seg(2, "Thank you.", 11.1, "S1")])                     # words 11.1-11.85
    if times:
        t.speaker_times = [SpeakerTime(0.0, 2.6, "S1"), SpeakerTime(3.0, 8.0, "S2"),
                           SpeakerTime(4.0, 4.8, "S3", overlap=True),
                           SpeakerTime(9.0, 10.0, "S1"), SpeakerTime(11.0, 13.0, "S1")]
    t.ensure_speakers()
    return t


def as_turns(found) -> list[Turn]:  # noqa: ANN001
    return [Turn(c.start, c.end, c.speaker) for c in found]


def test_cues_follow_the_voices_not_only_the_words(tmp_path) -> None:
    (path,) = write_format("vtt", meeting(), tmp_path, "meeting", set())
    read = parse_vtt(path.read_text("utf-8"))
    words = [c for c in read if c.text not in (UNCLEAR, CROSSTALK)]
    # widened over the voice, at most 1.5 s, never into the next cue
    assert words[0].start == 0.0 and abs(words[0].end - 2.6) < 1e-3
    assert abs(words[1].start - 3.0) < 1e-3 and abs(words[1].end - (4.85 + 1.5)) < 1e-3
    for a, b in zip(words, words[1:], strict=False):
        assert a.end <= b.start
    extra = [(c.speaker, c.text, c.start, c.end) for c in read if c not in words]
    assert ("Speaker 2", UNCLEAR, 6.35, 8.0) in extra       # the rest of the long answer
    assert ("Speaker 1", UNCLEAR, 9.0, 10.0) in extra       # voice with no words at all
    assert ("Speaker 3", CROSSTALK, 4.0, 4.8) in extra      # the second voice, overlapping
    assert [c.speaker for c in read].count("Speaker 3") == 1
    plain = diarization_error(TRUTH, as_turns(cues(meeting(times=False))))
    timed = diarization_error(TRUTH, as_turns(read))
    assert timed.der < plain.der / 3, (timed, plain)


def test_without_speaker_times_cues_are_the_words_only() -> None:
    assert {c.text for c in cues(meeting(times=False))}.isdisjoint({UNCLEAR, CROSSTALK})


def test_srt_carries_the_same_extra_cues(tmp_path) -> None:
    (path,) = write_format("srt", meeting(), tmp_path, "meeting", set())
    said = {(c.speaker, c.text) for c in parse_srt(path.read_text("utf-8"))}
    assert {("Speaker 3", CROSSTALK), ("Speaker 1", UNCLEAR)} <= said


def test_speaker_times_survive_save_merge_move_and_rename() -> None:
    t = meeting()
    again = Transcript.from_dict(json.loads(json.dumps(t.to_dict())))
    assert again.speaker_times == t.speaker_times
    assert again.speaker_label("S3") == "Speaker 3"   # a voice heard only in overlaps
    merged = merge_speakers(t, "S2", "S3")
    assert {x.speaker for x in merged.speaker_times} == {"S1", "S2"}
    assert all(c.text != CROSSTALK for c in cues(merged))  # no cross-talk with oneself
    moved = move_segment(t, 1, "S1")
    assert "S3" in {sp.id for sp in moved.speakers}     # still heard, so still labelled
    named = rename_speaker(t, "S3", "Observer")
    assert ("Observer", CROSSTALK) in {(c.speaker, c.text) for c in cues(named)}


def test_a_turn_with_a_long_pause_is_timed_by_its_words_not_spread_over_the_pause(
        tmp_path) -> None:
    # The recogniser wrote one segment over 0-12 s: S1's words at 0.2-2.15 and 9.0-10.95,
    # nothing in between, where S2 says something it did not write (3.0-8.0 s). Spread by
    # text share, S1's cues covered S2's voice, which then had no cue at all.
    first, second = seg(0, "Could you say what changed?", 0.2), seg(1, "And what came next?", 9.0)
    one = Transcript(RecordingInfo("interview.wav"), [
        Segment(0, 0.2, second.end, f"{first.text} {second.text}", "S1",
                first.words + second.words)])
    voices = [Turn(0.0, 2.6, "S1"), Turn(3.0, 8.0, "S2"), Turn(8.8, 11.2, "S1")]
    out = assign_speakers(one, voices)
    out.speaker_times = [SpeakerTime(t.start, t.end, t.speaker) for t in voices]
    out.ensure_speakers()  # as label_turns does: a voice without words is labelled too
    assert [(s.speaker, s.text) for s in out.segments] == [
        ("S1", first.text), ("S1", second.text)]
    assert [s.id for s in out.segments] == [0, 1]
    (path,) = write_format("vtt", out, tmp_path, "interview", set())
    read = parse_vtt(path.read_text("utf-8"))
    assert ("Speaker 2", UNCLEAR, 3.0, 8.0) in [(c.speaker, c.text, c.start, c.end)
                                                 for c in read]
    truth = [Turn(0.0, 2.6, "A"), Turn(3.0, 8.0, "B"), Turn(8.8, 11.2, "A")]
    assert diarization_error(truth, as_turns(read)).der < 0.05
    # one paragraph in the documents all the same: same speaker, so one export turn
    assert len(export_turns(out)) == 1


def test_a_cue_running_onto_the_other_voice_is_pulled_back_to_its_own() -> None:
    # The recogniser's segment for S1's question ends at 4.2 s, but S1's voice stops at 3.0
    # and S2 alone talks from 3.0 (its first words only at 4.5): shared out by text, the
    # question's cue covered S2's first 1.2 s (confusion), which then got no cue.
    ask = seg(0, "Could you say what changed?", 0.2)
    ask.end = 4.2
    t = Transcript(RecordingInfo("interview.wav"), [ask, seg(1, "The rota changed.", 4.5, "S2")])
    t.speaker_times = [SpeakerTime(0.0, 3.0, "S1"), SpeakerTime(3.0, 7.0, "S2")]
    t.ensure_speakers()
    found = cues(t)
    first = next(c for c in found if c.text.startswith("Could"))
    assert abs(first.end - 3.0) < 1e-6
    assert ("Speaker 2", UNCLEAR) in {(c.speaker, c.text) for c in found if c.start < 4.5}
    truth = [Turn(0.0, 3.0, "A"), Turn(3.0, 7.0, "B")]
    assert diarization_error(truth, as_turns(found), collar=0.0).der < 0.01
    # a cue on its own voice is never pulled in, however the other voice lies around it
    t.speaker_times = [SpeakerTime(0.0, 4.2, "S1"), SpeakerTime(4.2, 7.0, "S2")]
    assert abs(next(c for c in cues(t) if c.text.startswith("Could")).end - 4.2) < 1e-6


def test_a_voice_under_another_speakers_words_is_crosstalk_only_where_both_are_heard() -> None:
    # S1 talks 0-4 s (the recogniser wrote none of it); S2 starts over it at 2.0 s and its
    # words begin there; S1's voice under S2's words is heard with S2's: both talk.
    t = Transcript(RecordingInfo("meeting.wav"), [seg(0, "Yes, I mean she runs it.", 2.0, "S2")])
    t.speaker_times = [SpeakerTime(0.0, 4.0, "S1"), SpeakerTime(2.0, 4.0, "S2", overlap=True),
                       SpeakerTime(4.0, 5.5, "S2")]
    t.ensure_speakers()
    first = t.speaker_label("S1")
    said = [(c.speaker, c.text, c.start, c.end) for c in cues(t)]
    assert (first, UNCLEAR, 0.0, 2.0) in said
    assert (first, CROSSTALK, 2.0, 4.0) in said
    truth = [Turn(0.0, 4.0, "A"), Turn(2.0, 5.5, "B")]
    assert diarization_error(truth, as_turns(cues(t)), collar=0.0).der < 0.01
    # S2 not heard there (the words only placed there): no second voice is made up
    t.speaker_times = [SpeakerTime(0.0, 4.0, "S1"), SpeakerTime(4.0, 6.0, "S2")]
    assert CROSSTALK not in {c.text for c in cues(t)}


def test_a_cue_end_running_into_silence_is_pulled_back_but_a_start_in_silence_stays() -> None:
    # S1's words 1.0-2.95, its segment said to end at 4.5 s; its voice 1.2-3.2 s, then
    # silence: the end comes back to 3.2; the start (a first word the voice detector did
    # not hear) stays at 1.0.
    ask = seg(0, "Could you say what changed?", 1.0)
    ask.end = 4.5
    t = Transcript(RecordingInfo("interview.wav"), [ask])
    t.speaker_times = [SpeakerTime(1.2, 3.2, "S1")]
    t.ensure_speakers()
    (only,) = cues(t)
    assert (only.start, only.end) == (1.0, 3.2)


def _paused_turn() -> Transcript:
    """One recogniser segment, 0.0-7.6 s: "I met John" (0.2-1.35), a 2.45 s pause, then
    "Smith at the clinic." (3.8-5.35), a 0.85 s pause, "It was fine." (6.2-7.35)."""
    ws = [*words("I met John", 0.2), *words("Smith at the clinic.", 3.8),
          *words("It was fine.", 6.2)]
    text = "".join(w.text for w in ws).strip()
    t = Transcript(RecordingInfo("interview.wav"), [Segment(0, 0.0, 7.6, text, "S1", ws)])
    t.ensure_speakers()
    return t


def test_an_anonymised_turn_is_timed_by_its_words_where_they_pause(tmp_path) -> None:
    # The cue for text after a pause starts where its words do, not spread over the pause
    # (segment times and text shares laid words over silence: false alarm in every timed
    # export); documents still show one paragraph, and no word goes with the export.
    t = _paused_turn()
    rendered = render(plan(Register(), []), t, []).transcript
    assert [(s.start, s.end, s.text) for s in rendered.segments] == [
        (0.0, 1.35, "I met John"), (3.8, 5.35, "Smith at the clinic."),
        (6.2, 7.6, "It was fine.")]
    assert all(s.words == [] for s in rendered.segments)
    assert [turn.text for turn in export_turns(rendered)] == [t.segments[0].text]
    (path,) = write_format("vtt", rendered, tmp_path, "interview", set())
    read = parse_vtt(path.read_text("utf-8"))
    assert [(c.start, c.end) for c in read][:1] == [(0.0, 1.35)]
    assert read[1].start == 3.8 and " ".join(c.text for c in read) == t.segments[0].text
    # without the word times (the same turn, words gone) the text is spread over the pause
    plain = copy.deepcopy(t)
    plain.segments[0].words = []
    spread = render(plan(Register(), []), plain, []).transcript
    assert len(spread.segments) == 1


def test_a_pseudonym_is_never_cut_at_a_pause_inside_it() -> None:
    # "John ... Smith" is one accepted name across the pause: no cut inside it, and the
    # cut after the name's piece falls after the label, which is whole in one piece.
    t = _paused_turn()
    body = t.segments[0].text
    name = Finding(0, body.index("John"), body.index("Smith") + len("Smith"), "PERSON",
                   "John Smith", 0.9, "test", Decision.ACCEPTED)
    p = plan(Register(), [[("PERSON", "John Smith")]])
    rendered = render(p, t, [name]).transcript
    texts = [s.text for s in rendered.segments]
    assert texts == ["I met [Person 1] at the clinic.", "It was fine."]
    assert [s.start for s in rendered.segments] == [0.0, 6.2]
    assert not any("John" in x or "Smith" in x for x in texts)


def test_speaker_times_keep_the_pauses_of_the_speech_not_the_turns() -> None:
    # A diarizer turn bridges its speaker's pauses (and, with two alike voices kept as
    # one, every pause of the conversation); the voice timeline for timed exports is cut
    # at the speech's pauses longer than a breath.
    turns = [Turn(0.0, 6.0, "S1"), Turn(6.0, 9.0, "S2")]
    speech = [(0.0, 2.0), (2.2, 3.0), (4.0, 7.0), (7.5, 9.0)]
    got = [(t.start, t.end, t.speaker) for t in voiced(turns, speech)]
    assert got == [(0.0, 3.0, "S1"), (4.0, 6.0, "S1"), (6.0, 7.0, "S2"), (7.5, 9.0, "S2")]
    assert voiced(turns, None) == turns and voiced(turns, []) == turns
    times = speaker_times(turns, [], speech)
    assert [(x.start, x.end) for x in times] == [(0.0, 3.0), (4.0, 6.0), (6.0, 7.0), (7.5, 9.0)]
