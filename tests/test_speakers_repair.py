"""Repairing speaker turns without Qt: split a turn at a word, swap two voices, name roles.
Everything is read back from disk by a fresh Study, as after a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonyscribe.core.model import (
    Finding,
    RecordingInfo,
    Segment,
    Speaker,
    SpeakerTime,
    Transcript,
    Word,
)
from anonyscribe.core.study import RecordingEntry, Study
from anonyscribe.review.session import ReviewSession
from anonyscribe.speakers.turns import split_point, split_segment, suggest_roles, swap_speakers

TEXT = "Yes, I met Dr Patel in Leeds. So what happened next?"


def _transcript() -> Transcript:
    words, t = [], 1.0
    for w in TEXT.split():
        words.append(Word(" " + w, t, t + 0.3))
        t += 0.4
    seg = Segment(0, 1.0, t, TEXT, "S1", words)
    tail = Segment(1, t + 1, t + 3, "Well, I went home.", "S1",
                   [Word(" Well,", t + 1, t + 1.5), Word(" I", t + 1.5, t + 1.7),
                    Word(" went", t + 1.7, t + 2.2), Word(" home.", t + 2.2, t + 3)])
    return Transcript(RecordingInfo("a.wav", 20.0), [seg, tail], [Speaker("S1", "Speaker 1")],
                      speaker_times=[SpeakerTime(1.0, t, "S1")])


@pytest.fixture
def session(tmp_path: Path):
    study = Study.open(tmp_path / "study")
    study.recordings["r"] = RecordingEntry("r", "a.wav", str(tmp_path / "a.wav"))
    study.save_transcript("r", _transcript())
    study.save_findings("r", [Finding(0, TEXT.index("Dr Patel"), TEXT.index("Dr Patel") + 8,
                                      "PERSON", "Dr Patel"),
                              Finding(0, TEXT.index("Leeds"), TEXT.index("Leeds") + 5,
                                      "LOCATION", "Leeds")])
    study.save()
    yield ReviewSession(study, "r")
    study.close()


def fresh(session: ReviewSession) -> tuple[Transcript, list[Finding]]:
    again = Study.open(session.study.root, lock=False)
    return again.load_transcript("r"), again.load_findings("r")


def test_split_point_snaps_to_the_word_start():
    assert split_point("one two three", 5) == 4  # inside "two"
    assert split_point("one two three", 3) == 4  # in the space before it
    assert split_point("one two", 99) == 7


def test_split_moves_words_times_findings_and_the_voice_timeline(session):
    cut_at = TEXT.index("So what") + 1
    state = session.split_turn(0, cut_at, "S2", "Speaker 2")
    t, findings = fresh(session)
    assert [s.text for s in t.segments] == ["Yes, I met Dr Patel in Leeds.",
                                            "So what happened next?", "Well, I went home."]
    assert [s.speaker for s in t.segments] == ["S1", "S2", "S1"]
    assert [s.id for s in t.segments] == [0, 2, 1]  # the new turn has a new id, the rest keep
    assert t.segments[1].words[0].text.strip() == "So"
    assert t.segments[0].end <= t.segments[1].start == t.segments[1].words[0].start
    assert {sp.id for sp in t.speakers} == {"S1", "S2"}
    s2 = [st for st in t.speaker_times if st.speaker == "S2"]
    assert s2 and s2[0].start == pytest.approx(t.segments[1].start)
    for f in findings:  # every finding still points at its own words
        assert t.segment(f.segment_id).text[f.start:f.end] == f.text

    session.restore_split(state)
    t, findings = fresh(session)
    assert [s.text for s in t.segments] == [TEXT, "Well, I went home."]
    assert [sp.id for sp in t.speakers] == ["S1"]
    assert sorted((f.segment_id, f.start) for f in findings) == [
        (0, TEXT.index("Dr Patel")), (0, TEXT.index("Leeds"))]

    session.redo_split(state)
    t, findings = fresh(session)
    assert [s.id for s in t.segments] == [0, 2, 1]
    assert {f.text: f.segment_id for f in findings} == {"Dr Patel": 0, "Leeds": 0}


def test_a_split_inside_a_finding_moves_to_its_start(session):
    session.split_turn(0, TEXT.index("Patel"), "S2")
    t, findings = fresh(session)
    assert t.segments[1].text.startswith("Dr Patel in Leeds.")
    assert {f.text: f.segment_id for f in findings} == {"Dr Patel": 2, "Leeds": 2}


def test_a_split_at_the_edge_of_a_turn_is_refused(session):
    with pytest.raises(ValueError):
        session.split_turn(0, 0, "S2")
    assert len(fresh(session)[0].segments) == 2


def test_swap_and_roles():
    t = split_segment(_transcript(), 0, TEXT.index("So what"), 2, "S2", "Speaker 2")
    swapped = swap_speakers(t, "S1", "S2")
    assert [s.speaker for s in swapped.segments] == ["S2", "S1", "S2"]
    assert {st.speaker for st in swapped.speaker_times} == {"S1", "S2"}
    # S2 asks "So what happened next?"; S1 answers.
    assert suggest_roles(t) == {"S2": "Interviewer", "S1": "Participant"}
    assert suggest_roles(swapped) == {"S1": "Interviewer", "S2": "Participant"}
    assert suggest_roles(_transcript()) == {}  # one voice: nothing to suggest


def test_the_cli_saves_what_the_recordings_are(tmp_path: Path):
    from anonyscribe.batch import _apply_recording_kind
    from anonyscribe.cli import _recording_kind, build_parser

    args = build_parser().parse_args(["batch", "x.wav", "--recordings", "focus-group",
                                      "--group-size", "6"])
    with Study.open(tmp_path / "s") as study:
        assert study.settings.expected_speakers() == 2  # an interview unless told otherwise
        _apply_recording_kind(study, _recording_kind(args.recordings), args.group_size)
    with Study.open(tmp_path / "s") as study:
        assert study.settings.expected_speakers() == 6
        _apply_recording_kind(study, "other", None)
        assert study.settings.expected_speakers() is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["batch", "x.wav", "--group-size", "-1"])
