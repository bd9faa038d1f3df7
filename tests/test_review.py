"""ReviewSession on a real study folder: every operation saves at once and survives a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonyscribe.core.model import (
    Decision,
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
from anonyscribe.review.text import occurrences, reanchor

TURNS = [
    ("S1", "Hello, my name is Sarah Thompson and I work at Leeds Teaching Hospitals."),
    ("S2", "Thank you Sarah. How long have you been a ward manager at Sarahville?"),
    ("S1", "About five years. Sarah Thompson is my full name, but sarah is fine."),
    ("S2", "And you live in Leeds?"),
]


def _words(text: str, t0: float) -> list[Word]:
    return [Word(text=" " + w, start=t0 + i * 0.4, end=t0 + i * 0.4 + 0.35)
            for i, w in enumerate(text.split())]


def make_transcript(turns: list[tuple[str, str]], name: str = "interview.m4a") -> Transcript:
    segments, t = [], 0.0
    for i, (speaker, text) in enumerate(turns):
        n = len(text.split())
        segments.append(Segment(id=i, start=t, end=t + n * 0.4, text=text, speaker=speaker,
                                words=_words(text, t)))
        t += n * 0.4 + 0.5
    return Transcript(recording=RecordingInfo(name=name, duration=t), segments=segments,
                      speakers=[Speaker("S1", "Speaker 1"), Speaker("S2", "Speaker 2")])


def flag(t: Transcript, seg: int, surface: str, type_: str, nth: int = 0) -> Finding:
    text = t.segments[seg].text
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Finding(segment_id=seg, start=start, end=start + len(surface), type=type_,
                   text=surface, score=0.8, source="test")


def add_recording(study: Study, rec_id: str, turns, findings=None) -> Transcript:
    t = make_transcript(turns, name=f"{rec_id}.m4a")
    study.recordings[rec_id] = RecordingEntry(id=rec_id, name=f"{rec_id}.m4a",
                                              path=f"/nowhere/{rec_id}.m4a", status="review")
    study.save_transcript(rec_id, t)
    if findings is not None:
        study.save_findings(rec_id, findings(t))
    study.save()
    return t


def base_findings(t: Transcript) -> list[Finding]:
    return [
        flag(t, 0, "Sarah Thompson", "PERSON"),
        flag(t, 0, "Leeds Teaching Hospitals", "ORGANISATION"),
        flag(t, 1, "Sarah", "PERSON"),
        flag(t, 1, "ward manager", "ROLE"),
        flag(t, 2, "Sarah Thompson", "PERSON"),
        flag(t, 3, "Leeds", "LOCATION"),
    ]


@pytest.fixture
def study(tmp_path: Path):
    s = Study.open(tmp_path / "study")
    add_recording(s, "rec-a", TURNS, base_findings)
    yield s
    s.close()


def reopen(study: Study) -> ReviewSession:
    """A crash: a fresh Study from the same folder, nothing saved on the way out."""
    return ReviewSession(Study.open(study.root, lock=False), "rec-a")


def by_text(session: ReviewSession, text: str, seg: int | None = None) -> Finding:
    return next(f for f in session.ordered()
                if f.text == text and (seg is None or f.segment_id == seg))


def test_decisions_are_saved_at_once_and_undoable(study):
    s = ReviewSession(study, "rec-a")
    f = by_text(s, "Sarah Thompson", 0)
    old = s.set_decision([f.id], Decision.ACCEPTED)
    assert old == {f.id: Decision.PENDING}
    assert s.counts() == (1, 6)
    again = reopen(study)
    assert again.finding(f.id).decision is Decision.ACCEPTED
    assert again.counts() == (1, 6)
    assert len(again.pending()) == 5
    s.restore_decisions(old)
    assert reopen(study).finding(f.id).decision is Decision.PENDING


def test_failed_save_leaves_state_unchanged(study, monkeypatch):
    s = ReviewSession(study, "rec-a")
    f = by_text(s, "Leeds", 3)

    def disk_full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(study, "save_findings", disk_full)
    with pytest.raises(OSError):
        s.set_decision([f.id], "accepted")
    assert f.decision is Decision.PENDING
    with pytest.raises(OSError):
        s.remove_findings([f.id])
    assert s.finding(f.id) is f and len(s.findings) == 6


def test_groups_by_type_and_normalised_text(study):
    s = ReviewSession(study, "rec-a")
    groups = {g.title: g for g in s.groups()}
    assert "Sarah Thompson ×2" in groups
    assert groups["Sarah Thompson ×2"].type == "PERSON"
    assert s.groups()[0].title == "Sarah Thompson ×2"  # the most frequent first
    assert {"Leeds ×1", "Leeds Teaching Hospitals ×1", "Sarah ×1"} <= set(groups)
    g = groups["Sarah Thompson ×2"]
    s.set_decision(g.ids, Decision.ACCEPTED)
    g2 = s.group(("PERSON", "sarah thompson"))
    assert g2.state == "accepted" and g2.pending == 0
    s.set_decision(g.ids[:1], Decision.REJECTED)
    assert s.group(("PERSON", "sarah thompson")).state == "mixed"
    assert all(reopen(study).finding(i).decision is not Decision.PENDING for i in g.ids)


def test_add_finding_to_every_occurrence(study):
    s = ReviewSession(study, "rec-a")
    existing = by_text(s, "Sarah", 1)
    text = s.segment(2).text
    start = text.index("five years")
    added = s.add_finding(2, start, start + len("five years"), "DATE")
    assert [f.text for f in added] == ["five years"]
    assert added[0].decision is Decision.ACCEPTED and added[0].source == "manual"

    seg1 = s.segment(1).text
    at = seg1.index("Sarah")
    added = s.add_finding(1, at, at + 5, "PERSON", apply_to_all=True)
    spots = sorted((f.segment_id, f.start) for f in added)
    # seg 0 and both spellings in seg 2; not "Sarahville"; not the existing seg-1 finding again
    assert spots == [(0, TURNS[0][1].index("Sarah")), (2, TURNS[2][1].index("Sarah")),
                     (2, TURNS[2][1].index("sarah"))]
    assert added.decided == {existing.id: Decision.PENDING}
    assert existing.decision is Decision.ACCEPTED
    assert all(s.segment(f.segment_id).text[f.start:f.end].casefold() == "sarah" for f in added)

    saved = reopen(study)
    assert {f.id for f in added} <= {f.id for f in saved.findings}
    assert saved.finding(existing.id).decision is Decision.ACCEPTED

    s.retract(added)
    saved = reopen(study)
    assert not {f.id for f in added} & {f.id for f in saved.findings}
    assert saved.finding(existing.id).decision is Decision.PENDING
    s.reinstate(added)  # redo brings back the very same ids
    assert {f.id for f in added} <= {f.id for f in reopen(study).findings}


def test_add_finding_rejects_bad_selection(study):
    s = ReviewSession(study, "rec-a")
    with pytest.raises(ValueError, match="outside"):
        s.add_finding(0, 10, 500, "PERSON")
    with pytest.raises(ValueError, match="only spaces"):
        s.add_finding(0, 6, 7, "PERSON")
    with pytest.raises(ValueError, match="unknown identifier type"):
        s.add_finding(0, 0, 5, "ALIEN")
    added = s.add_finding(3, 15, 22, "LOCATION")  # " Leeds?" -> trims the space
    assert added == [] and added.decided  # the existing Leeds finding was accepted instead


def test_study_wide_add_flags_other_processed_recordings(study):
    other = [("S1", "I trained with Dr Okafor in Leeds."), ("S2", "Dr okafor, really?")]
    add_recording(study, "rec-b", other, lambda t: [])
    add_recording(study, "rec-c", other, None)  # transcribed, never detected: left alone
    study.recordings["rec-b"].status = "exported"
    study.save()
    s = ReviewSession(study, "rec-a")
    seg = s.segment(0).text
    at = seg.index("Thompson")
    added = s.add_finding(0, at, at + len("Thompson"), "PERSON", study_wide=True)
    assert {f.segment_id for f in added} == {0, 2}  # study-wide implies every occurrence here
    assert {"text": "Thompson", "type": "PERSON"} in Study.open(study.root, lock=False).terms.always

    # A term with hits elsewhere: pending findings appear there, and the export is re-opened.
    at = s.segment(3).text.index("Leeds")
    added2 = s.add_finding(3, at, at + 5, "LOCATION", study_wide=True)
    fresh = Study.open(study.root, lock=False)
    b = fresh.load_findings("rec-b")
    assert [(f.text, f.decision) for f in b] == [("Leeds", Decision.PENDING)]
    assert fresh.recordings["rec-b"].status == "review"
    assert not fresh.has_findings("rec-c")
    assert {"text": "Leeds", "type": "LOCATION"} in fresh.terms.always

    s.retract(added2)
    fresh = Study.open(study.root, lock=False)
    assert fresh.load_findings("rec-b") == []
    assert fresh.recordings["rec-b"].status == "exported"
    assert all(t["text"] != "Leeds" for t in fresh.terms.always)
    s.reinstate(added2)
    fresh = Study.open(study.root, lock=False)
    assert [f.id for f in fresh.load_findings("rec-b")] == [f.id for f in added2.elsewhere["rec-b"]]


def test_remove_and_restore_findings(study):
    s = ReviewSession(study, "rec-a")
    f = by_text(s, "ward manager")
    removed = s.remove_findings([f.id])
    assert f.id not in {x.id for x in reopen(study).findings}
    s.restore_findings(removed)
    assert reopen(study).finding(f.id).text == "ward manager"


def test_edit_text_keeps_findings_anchored(study):
    s = ReviewSession(study, "rec-a")
    name = by_text(s, "Sarah Thompson", 0)
    org = by_text(s, "Leeds Teaching Hospitals")
    s.set_decision([name.id], "accepted")
    state = s.segment_state(0)
    new = "Hi, my name is Dr Sarah Thomson and I work at Leeds Teaching Hospital, you know."
    old = s.edit_segment_text(0, new)
    assert old == TURNS[0][1]
    assert (name.text, new[name.start:name.end]) == ("Sarah Thomson", "Sarah Thomson")
    assert name.decision is Decision.ACCEPTED
    assert org.text == "Leeds Teaching Hospital" == new[org.start:org.end]

    role = by_text(s, "ward manager")
    s.edit_segment_text(1, "Thank you Sarah. How long have you been at Sarahville?")
    assert role.id not in {f.id for f in s.findings}  # its words were deleted

    saved = reopen(study)
    assert saved.segment(0).text == new
    for f in saved.findings:
        assert saved.segment(f.segment_id).text[f.start:f.end] == f.text
    assert role.id not in {f.id for f in saved.findings}

    s.restore_segment(state)
    saved = reopen(study)
    assert saved.segment(0).text == TURNS[0][1]
    assert saved.finding(name.id).text == "Sarah Thompson"
    assert s.edit_segment_text(3, "And you\nlive in Leeds?") == TURNS[3][1]
    assert s.segment(3).text == "And you live in Leeds?"  # turns stay one line


@pytest.mark.parametrize(("old", "new", "span", "want"), [
    ("I met Sarah today", "I met Sara today", "Sarah", "Sara"),
    ("I met Sarah today", "Yesterday I met Sarah today", "Sarah", "Sarah"),
    ("I met Sarah today", "I met Dr Sarah today", "Sarah", "Sarah"),
    ("Sarah Thompson said", "Sarah J Thompson said", "Sarah Thompson", "Sarah J Thompson"),
    ("I met Sarah today", "I met today", "Sarah", None),
    ("ward manager at Leeds", "ward sister at Leeds", "Leeds", "Leeds"),
    ("at Leeds Hospitals.", "at Leeds Hospital, you know.", "Leeds Hospitals", "Leeds Hospital"),
    ("Hello Sarah", "Hello Zara", "Sarah", "Zara"),
    ("said mr Smith.", "said Mr. Smith.", "mr Smith", "Mr. Smith"),
])
def test_reanchor(old, new, span, want):
    s = old.index(span)
    got = reanchor(old, new, s, s + len(span))
    assert (new[got[0]:got[1]] if got else None) == want


def test_occurrences_are_whole_words_and_case_blind():
    text = "Sarah, SARAH's friend Sarahville and sarah  jones; Sarah Jones"
    assert [text[s:e] for s, e in occurrences(text, "sarah")] == ["Sarah", "SARAH", "sarah",
                                                                  "Sarah"]
    assert [text[s:e] for s, e in occurrences(text, "Sarah Jones")] == ["sarah  jones",
                                                                        "Sarah Jones"]


def test_rename_speaker(study):
    s = ReviewSession(study, "rec-a")
    assert s.rename_speaker("S2", "  Interviewer ") == "Speaker 2"
    assert reopen(study).transcript.speaker_label("S2") == "Interviewer"
    with pytest.raises(ValueError):
        s.rename_speaker("S2", "   ")
    with pytest.raises(KeyError):
        s.rename_speaker("S9", "Nobody")


def test_replacement_label_and_preview(study):
    s = ReviewSession(study, "rec-a")
    g = s.group(("PERSON", "sarah thompson"))
    s.set_decision(g.ids, "accepted")
    s.set_decision([by_text(s, "Leeds", 3).id], "accepted")
    register_file = study.root / "register.json"
    before = register_file.read_bytes() if register_file.exists() else None

    preview = s.preview()
    assert preview.segments[0].text.startswith("Hello, my name is [Person 1] and I work")
    assert preview.segments[3].text == "And you live in [Location 1]?"
    assert "I work at [Organisation ?]." in preview.segments[0].text  # pending: marked
    assert (register_file.read_bytes() if register_file.exists() else None) == before
    assert study.register.find("PERSON", "Sarah Thompson") is None
    for seg in preview.segments:
        assert s.preview_text(seg.id) == seg.text

    old = s.set_replacement("PERSON", "Sarah Thompson", "[Participant]")
    assert old == ""  # no register entry before: the undo removes it again
    assert "my name is [Participant] and" in s.preview().segments[0].text
    saved = json.loads(register_file.read_text())
    assert [e["label"] for e in saved["entries"]] == ["[Participant]"]
    assert s.set_replacement("PERSON", "Sarah Thompson", "[P01]") == "[Participant]"
    s.set_replacement("PERSON", "Sarah Thompson", old)
    fresh = Study.open(study.root, lock=False).register
    assert fresh.find("PERSON", "Sarah Thompson") is None
    assert s.preview().segments[0].text.startswith("Hello, my name is [Person 1] and")


def test_speaker_named_like_an_accepted_person_is_hidden(study):
    s = ReviewSession(study, "rec-a")
    s.rename_speaker("S1", "Sarah Thompson")
    s.set_decision(s.group(("PERSON", "sarah thompson")).ids, "accepted")
    assert s.preview().speakers[0].label == "[Person 1]" == s.preview_speaker("S1")
    assert s.preview_speaker("S2") == "Speaker 2"


def test_labels_follow_reading_order_like_the_export(study):
    s = ReviewSession(study, "rec-a")
    s.set_decision([by_text(s, "Sarah", 1).id], "accepted")
    assert s.display_label(by_text(s, "Sarah", 1)) == "[Person 1]"
    snap = s.relabel_snapshot()
    s.set_decision([by_text(s, "Sarah Thompson", 0).id], "accepted")  # earlier in the text
    assert s.display_label(by_text(s, "Sarah Thompson", 0)) == "[Person 1]"
    assert s.display_label(by_text(s, "Sarah", 1)) == "[Person 2]"
    assert s.relabelled_segments(snap) == {0, 1, 2}  # 2: "sarah", replaced like "Sarah"
    assert s.preview().segments[1].text.startswith("Thank you [Person 2].")


def test_timing(study):
    s = ReviewSession(study, "rec-a")
    seg = s.segment(1)
    at = seg.text.index("Sarah")
    assert s.time_at(1, at) == pytest.approx(seg.start + 2 * 0.4)
    sid, a, b = s.word_spoken_at(seg.start + 2 * 0.4 + 0.1)
    assert sid == 1 and seg.text[a:b] == "Sarah."
    assert s.word_spoken_at(-1.0) is None


def test_missing_transcript_is_a_clear_error(study):
    with pytest.raises(FileNotFoundError, match="rec-zzz has no transcript"):
        ReviewSession(study, "rec-zzz")


def test_move_turn_and_merge_speakers_save_and_undo_exactly(study):
    s = ReviewSession(study, "rec-a")
    s.transcript.speaker_times = [SpeakerTime(0.0, 5.0, "S1"), SpeakerTime(2.0, 3.0, "S2", True)]
    s._save_transcript()
    ids_before = [f.id for f in s.findings]
    before = s.move_turn(3, "S1")                       # "And you live in Leeds?"
    assert reopen(study).transcript.segment(3).speaker == "S1"
    new = s.new_speaker_id()
    s.move_turn(1, new, "Observer")
    assert reopen(study).transcript.speaker_label(new) == "Observer"
    merged = s.merge_speakers("S1", "S2")               # S2 had nothing left but overlaps
    t = reopen(study).transcript
    assert {seg.speaker for seg in t.segments} == {"S1", new}
    assert {x.speaker for x in t.speaker_times} == {"S1"}
    assert [f.id for f in reopen(study).findings] == ids_before  # findings stay anchored
    s.restore_speakers(merged)
    s.restore_speakers(before)
    t = reopen(study).transcript
    assert [seg.speaker for seg in t.segments] == ["S1", "S2", "S1", "S2"]
    assert [sp.label for sp in t.speakers] == ["Speaker 1", "Speaker 2"]
    assert t.speaker_times[1].speaker == "S2"
    with pytest.raises(KeyError):
        s.move_turn(42, "S1")
    with pytest.raises(KeyError):
        s.merge_speakers("S1", "S9")


def _held(s: ReviewSession) -> tuple[dict, list[dict], dict[int, list[str]]]:
    """What a session holds, comparable with a reopened one: transcript, findings, and which
    findings each turn's index names."""
    return (s.transcript.to_dict(), sorted((f.to_dict() for f in s.findings), key=str),
            {seg.id: sorted(f.id for f in s.findings_in(seg.id)) for seg in s.transcript.segments})


# Each: (set-up that succeeds, the action whose save fails).
ACTIONS = {
    "decide": (None, lambda s, _: s.set_decision([by_text(s, "Leeds", 3).id], "accepted")),
    "add everywhere": (None, lambda s, _: s.add_finding(0, 0, 5, "PERSON", apply_to_all=True)),
    "remove": (None, lambda s, _: s.remove_findings([by_text(s, "Leeds", 3).id])),
    "edit text": (None, lambda s, _: s.edit_segment_text(3, "So you moved to York, not Leeds?")),
    "undo edit": (lambda s: (s.segment_state(3), s.edit_segment_text(3, "You live in York?"))[0],
                  lambda s, state: s.restore_segment(state)),
    "rename speaker": (None, lambda s, _: s.rename_speaker("S1", "Interviewer")),
    "move turn": (None, lambda s, _: s.move_turn(3, "S1")),
    "undo move": (lambda s: s.move_turn(3, "S1"), lambda s, before: s.restore_speakers(before)),
    "split": (None, lambda s, _: s.split_turn(2, 20, "S2")),
    "undo split": (lambda s: s.split_turn(2, 20, "S2"), lambda s, state: s.restore_split(state)),
}


@pytest.mark.parametrize("name", ACTIONS)
def test_any_failed_save_puts_memory_back_as_the_disk_holds_it(study, monkeypatch, name):
    set_up, action = ACTIONS[name]
    s = ReviewSession(study, "rec-a", detect=lambda text: [])
    given = set_up(s) if set_up is not None else None
    before = _held(s)

    def disk_full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(study, "save_findings", disk_full)
    monkeypatch.setattr(study, "save_transcript", disk_full)
    with pytest.raises(OSError):
        action(s, given)
    monkeypatch.undo()
    assert _held(s) == before == _held(reopen(study))
    s.set_decision([f.id for f in s.findings], "rejected")  # the indexes still work
    assert {f.decision for f in reopen(study).findings} == {Decision.REJECTED}


REGISTER_ACTIONS = {
    "replacement": lambda s, _: s.set_replacement("PERSON", "Sarah Thompson", "[Participant]"),
    "same person": lambda s, _: s.merge_identities("PERSON", "Sarah Thompson", "Sarah"),
    "undo same person": lambda s, before: s.restore_register(before),
}


@pytest.mark.parametrize("name", REGISTER_ACTIONS)
def test_a_failed_register_save_puts_the_register_and_labels_back(study, monkeypatch, name):
    s = ReviewSession(study, "rec-a")
    s.set_decision([f.id for f in s.findings if f.type == "PERSON"], "accepted")
    before = s.merge_identities("PERSON", "Sarah Thompson", "Sarah") if name.startswith(
        "undo") else None
    register, shown = study.register.to_dict(), [s.preview_text(i) for i in range(4)]

    def disk_full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(study, "save_register", disk_full)
    with pytest.raises(OSError):
        REGISTER_ACTIONS[name](s, before)
    assert study.register.to_dict() == register
    assert [s.preview_text(i) for i in range(4)] == shown
    assert Study.open(study.root, lock=False).register.to_dict() == register
