"""Word-level turn assignment and the review helpers (pure Python, no torch needed)."""

from __future__ import annotations

import copy

import pytest

from anonyscribe.core.model import RecordingInfo, Segment, Speaker, Transcript, Word
from anonyscribe.speakers import (
    Turn,
    assign_speakers,
    label_turns,
    merge_speakers,
    move_segment,
    new_speaker_id,
    rename_speaker,
)


def words(spec: str, start: float, step: float = 0.4) -> list[Word]:
    """Words of ``spec`` one after another, ``step`` seconds each, faster-whisper spacing."""
    out = []
    for i, w in enumerate(spec.split()):
        a = round(start + i * step, 3)
        out.append(Word(" " + w, a, round(a + step - 0.05, 3)))
    return out


def seg(i: int, spec: str, start: float, speaker: str = "S1") -> Segment:
    ws = words(spec, start)
    return Segment(i, ws[0].start, ws[-1].end, "".join(w.text for w in ws).strip(), speaker, ws)


def transcript(*segs: Segment) -> Transcript:
    return Transcript(RecordingInfo("interview.wav"), list(segs))


def test_segment_split_at_speaker_change_never_inside_a_word() -> None:
    # "How are you? Fine thanks." -- the change at 1.6 s, the 5th word spans 1.6-1.95
    t = transcript(seg(0, "How are you today? Fine thanks, and you?", 0.0))
    before = copy.deepcopy(t)
    out = assign_speakers(t, [Turn(0.0, 1.58, "A"), Turn(1.58, 4.0, "B")])
    assert t == before  # the input is left alone
    assert [(s.speaker, s.text) for s in out.segments] == [
        ("A", "How are you today?"), ("B", "Fine thanks, and you?")]
    assert [s.id for s in out.segments] == [0, 1]
    assert out.segments[0].end == out.segments[0].words[-1].end
    assert out.segments[1].start == out.segments[1].words[0].start
    assert sum(len(s.words) for s in out.segments) == 8
    assert [sp.id for sp in out.speakers] == ["A", "B"]
    assert [sp.label for sp in out.speakers] == ["Speaker 1", "Speaker 2"]


@pytest.mark.parametrize("change", [1.0, 1.3, 1.9, 2.2])
def test_question_is_not_given_to_the_answerer(change: float) -> None:
    # "Did you feel rushed? Yes, always." -- the diarizer's change is up to 2 words off
    t = transcript(seg(0, "So did you feel rushed? Yes, always rushed.", 0.0))
    out = assign_speakers(t, [Turn(0.0, change, "Q"), Turn(change, 5.0, "A")])
    assert [(s.speaker, s.text) for s in out.segments] == [
        ("Q", "So did you feel rushed?"), ("A", "Yes, always rushed.")]


def test_a_real_turn_change_without_punctuation_stays() -> None:
    # a pause marks the change even when the words carry no punctuation
    ws = words("tell me more", 0.0) + words("well it was hard", 2.0)
    t = transcript(Segment(0, 0.0, ws[-1].end, "tell me more well it was hard", "S1", ws))
    out = assign_speakers(t, [Turn(0.0, 1.4, "A"), Turn(1.9, 4.0, "B")])
    assert [s.text for s in out.segments] == ["tell me more", "well it was hard"]


def test_word_between_turns_goes_to_nearest() -> None:
    t = transcript(seg(0, "yes", 5.0), seg(1, "no", 9.0))
    out = assign_speakers(t, [Turn(0.0, 4.0, "A"), Turn(10.0, 20.0, "B"), Turn(40, 50, "C")])
    assert [s.speaker for s in out.segments] == ["A", "B"]


def test_long_turns_and_far_words() -> None:
    # a 2-hour turn, and a word far after every turn
    t = transcript(seg(0, "hello there", 3600.0), seg(1, "bye", 9000.0))
    out = assign_speakers(t, [Turn(0.0, 7200.0, "A"), Turn(7200.0, 7300.0, "B")])
    assert [s.speaker for s in out.segments] == ["A", "B"]


def test_consecutive_turns_of_one_speaker_merge_when_the_gap_is_small() -> None:
    t = transcript(seg(0, "First part.", 0.0), seg(1, "Second part.", 1.0),
                   seg(2, "Much later.", 10.0), seg(3, "Other voice.", 11.0))
    out = assign_speakers(t, [Turn(0, 10.8, "A"), Turn(10.8, 20, "B")])
    assert [(s.id, s.speaker, s.text) for s in out.segments] == [
        (0, "A", "First part. Second part."), (1, "A", "Much later."), (2, "B", "Other voice.")]
    assert [w.text.strip() for w in out.segments[0].words] == ["First", "part.", "Second",
                                                               "part."]
    assert out.segments[0].end == pytest.approx(1.75)


def test_segment_without_words_is_labelled_whole_and_text_kept() -> None:
    t = transcript(Segment(0, 0.0, 2.0, "Edited text, no words.", "S1", []),
                   Segment(1, 5.0, 6.0, "Another.", "S1", []))
    out = assign_speakers(t, [Turn(0, 1.5, "A"), Turn(1.5, 2.0, "B"), Turn(4.0, 7.0, "B")])
    assert [(s.speaker, s.text) for s in out.segments] == [
        ("A", "Edited text, no words."), ("B", "Another.")]


def test_labels_and_no_turns() -> None:
    t = transcript(seg(0, "Hello there.", 0.0))
    out = assign_speakers(t, [Turn(0, 3, "S2")], labels={"S2": "Jane Smith"})
    assert out.speakers == [Speaker("S2", "Jane Smith")]
    same = assign_speakers(t, [])
    assert same == t and same is not t


def test_label_turns_none_mode_and_bad_arguments(tmp_path) -> None:  # noqa: ANN001
    t = transcript(seg(0, "Hello there.", 0.0))
    result = label_turns(t, tmp_path / "missing.wav", mode="none")
    assert result.method == "none" and result.transcript == t and result.names == []
    with pytest.raises(ValueError, match="unknown speaker mode"):
        label_turns(t, tmp_path / "x.wav", mode="magic")
    with pytest.raises(ValueError, match="num_speakers"):
        label_turns(t, tmp_path / "x.wav", num_speakers=0)


# -- review helpers ----------------------------------------------------------------------------

def labelled() -> Transcript:
    t = transcript(seg(0, "Question one?", 0.0, "S1"), seg(1, "Answer one.", 2.0, "S2"),
                   seg(2, "Question two?", 4.0, "S1"), seg(3, "Aside.", 6.0, "S3"))
    t.ensure_speakers()
    return t


def test_merge_speakers_keeps_segment_ids() -> None:
    t = labelled()
    out = merge_speakers(t, "S2", "S3")
    assert [s.id for s in out.segments] == [0, 1, 2, 3]
    assert [s.speaker for s in out.segments] == ["S1", "S2", "S1", "S2"]
    assert [sp.id for sp in out.speakers] == ["S1", "S2"]
    assert [s.speaker for s in t.segments] == ["S1", "S2", "S1", "S3"]
    with pytest.raises(KeyError):
        merge_speakers(t, "S1", "S9")


def test_move_segment_and_new_speaker() -> None:
    t = labelled()
    out = move_segment(t, 3, "S1")
    assert [s.speaker for s in out.segments] == ["S1", "S2", "S1", "S1"]
    assert [sp.id for sp in out.speakers] == ["S1", "S2"]  # S3 has nothing left
    sid = new_speaker_id(t)
    assert sid == "S4"
    out = move_segment(t, 1, sid, label="Observer")
    assert out.speaker_label(sid) == "Observer"
    with pytest.raises(KeyError):
        move_segment(t, 42, "S1")


def test_rename_speaker_flows_to_labels() -> None:
    out = rename_speaker(labelled(), "S2", "  Participant   07 ")
    assert out.speaker_label("S2") == "Participant 07"
    with pytest.raises(ValueError):
        rename_speaker(labelled(), "S2", "  ")
    with pytest.raises(KeyError):
        rename_speaker(labelled(), "S9", "X")


def test_words_without_leading_spaces_are_joined_with_spaces() -> None:
    # our transcriber stores stripped tokens ("He", "began"); faster-whisper's raw ones " He"
    ws = [Word(w.text.strip(), w.start, w.end) for w in words("Are you well? Yes I am.", 0.0)]
    t = transcript(Segment(0, 0.0, ws[-1].end, "Are you well? Yes I am.", "S1", ws))
    out = assign_speakers(t, [Turn(0.0, 1.2, "A"), Turn(1.2, 3.0, "B")])
    assert [s.text for s in out.segments] == ["Are you well?", "Yes I am."]


def test_found_voices_never_share_the_recognisers_placeholder_label() -> None:
    """The recogniser hears one voice, S1 "Speaker 1"; the diarizer's voices appear as S2,
    S3, then S1. Each gets its own "Speaker n" (two voices both called "Speaker 1" became one
    voice in every export); a label the researcher or Teams gave is kept."""
    t = transcript(seg(0, "one two three four", 0.0), seg(1, "five six seven eight", 2.0),
                   seg(2, "nine ten eleven twelve", 4.0))
    t.speakers = [Speaker("S1", "Speaker 1")]
    out = assign_speakers(t, [Turn(0.0, 1.9, "S2"), Turn(2.0, 3.9, "S3"), Turn(4.0, 6.0, "S1")])
    assert [(sp.id, sp.label) for sp in out.speakers] == [
        ("S2", "Speaker 1"), ("S3", "Speaker 2"), ("S1", "Speaker 3")]
    t.speakers = [Speaker("S1", "Dr Okafor")]
    out = assign_speakers(t, [Turn(0.0, 1.9, "S2"), Turn(2.0, 3.9, "S3"), Turn(4.0, 6.0, "S1")],
                          labels={"S3": "Speaker 1"})
    assert [(sp.id, sp.label) for sp in out.speakers] == [
        ("S2", "Speaker 2"), ("S3", "Speaker 1"), ("S1", "Dr Okafor")]
