"""The Qt-free core: model round-trips, register, redaction, study storage, atomic files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from anonyscribe.core.files import CorruptFileError, atomic_open, read_json, write_json
from anonyscribe.core.model import (
    Decision,
    Finding,
    RecordingInfo,
    Segment,
    Speaker,
    Transcript,
    Word,
)
from anonyscribe.core.register import Register, normalise
from anonyscribe.core.study import Study, StudyLockedError
from anonyscribe.labels import appearances, plan, render
from anonyscribe.redact import propagate


def redact(t: Transcript, findings: list[Finding], register: Register):
    """One recording alone through the labelling plan and the renderer."""
    r = render(plan(register, [appearances(t, findings)]), t, findings)
    return r.transcript, r.log


def make_transcript() -> Transcript:
    segs = [
        Segment(0, 0.0, 3.0, "Hello Sarah, thanks for joining.", "S1",
                [Word("Hello", 0.0, 0.5), Word("Sarah,", 0.5, 1.0)]),
        Segment(1, 3.0, 9.0, "I'm Sarah Thompson, ward manager at Leeds General.", "S2"),
        Segment(2, 9.0, 12.0, "Sarah's team moved to Leeds General in 2019.", "S2"),
    ]
    t = Transcript(RecordingInfo("Interview with Sarah.mp4", 12.0, "abc", "/x/y.mp4"), segs)
    t.ensure_speakers()
    return t


def finding(t: Transcript, seg: int, text: str, type_: str, occurrence: int = 0,
            decision: Decision = Decision.ACCEPTED) -> Finding:
    body = t.segment(seg).text
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return Finding(seg, start, start + len(text), type_, text, 0.9, "test", decision)


def test_transcript_round_trips_through_json():
    t = make_transcript()
    again = Transcript.from_dict(json.loads(json.dumps(t.to_dict())))
    assert again == t
    assert again.speakers == [Speaker("S1", "Speaker 1"), Speaker("S2", "Speaker 2")]


def test_newer_schema_is_refused_with_advice():
    data = make_transcript().to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="newer Anonyscribe"):
        Transcript.from_dict(data)


def test_finding_round_trip_keeps_decision():
    f = Finding(1, 2, 7, "PERSON", "Sarah", 0.8, "rule", Decision.REJECTED)
    assert Finding.from_dict(json.loads(json.dumps(f.to_dict()))) == f


@pytest.mark.parametrize("a,b", [("Sarah's", "sarah"), ("the Royal", "Royal"),
                                 ("  Leeds   General ", "leeds general"), ("SARAH", "Sarah")])
def test_normalise_folds_variants(a, b):
    assert normalise(a) == normalise(b)


def test_register_keeps_custom_merged_and_frozen_labels():
    reg = Register()
    reg.set_label("PERSON", "Sarah", "[Participant]")
    reg.merge("PERSON", "Bernadette Kowalczyk", "Bernadette Cowalknik")
    reg.freeze(("ORGANISATION", "leeds general"), "[Organisation 2]", ["Leeds General"])
    again = Register.from_dict(json.loads(json.dumps(reg.to_dict())))
    assert again.find("PERSON", "SARAH's").label == "[Participant]"
    assert again.identity("PERSON", "bernadette cowalknik") == (
        "PERSON", "bernadette kowalczyk")
    assert again.find("ORGANISATION", "Leeds General").frozen
    with pytest.raises(ValueError, match="exported already"):
        again.set_label("ORGANISATION", "Leeds General", "[Hospital]")
    again.set_label("PERSON", "Sarah", "")  # back to numbering: nothing left to keep
    assert again.find("PERSON", "Sarah") is None


def test_version_1_register_labels_count_as_exported():
    old = {"counters": {"PERSON": 2}, "entries": [
        {"type": "PERSON", "key": "sarah", "label": "[Person 2]", "originals": ["Sarah"]},
        {"type": "PERSON", "key": "tom", "label": "[Participant]", "originals": ["Tom"]}]}
    reg = Register.from_dict(old)
    assert reg.find("PERSON", "sarah").frozen and not reg.find("PERSON", "sarah").custom
    assert reg.find("PERSON", "tom").custom
    p = plan(reg, [[("PERSON", "Ann"), ("PERSON", "Sarah")]])
    assert p.label("PERSON", "Ann") == "[Person 1]"  # the lowest number still free
    assert p.label("PERSON", "Sarah") == "[Person 2]"


def test_redact_replaces_only_accepted_and_logs():
    t = make_transcript()
    findings = [
        finding(t, 0, "Sarah", "PERSON"),
        finding(t, 1, "Sarah Thompson", "PERSON"),
        finding(t, 1, "ward manager", "ROLE", decision=Decision.REJECTED),
        finding(t, 1, "Leeds General", "ORGANISATION"),
        finding(t, 2, "2019", "DATE", decision=Decision.PENDING),
    ]
    anon, log = redact(t, findings, Register())
    texts = [s.text for s in anon.segments]
    assert texts[0] == "Hello [Person 1], thanks for joining."
    assert texts[1] == "I'm [Person 2], ward manager at [Organisation 1]."
    assert texts[2].endswith("in [Date ?].")  # pending: a searchable marker, no number
    assert all(s.words == [] for s in anon.segments)
    assert anon.recording.path == "" and t.recording.path == "/x/y.mp4"  # raw untouched
    assert {(e.original, e.replacement, e.count) for e in log} == {  # every occurrence
        ("Sarah", "[Person 1]", 2), ("Sarah Thompson", "[Person 2]", 1),
        ("Leeds General", "[Organisation 1]", 2)}


def test_overlapping_findings_longer_wins():
    t = make_transcript()
    findings = [finding(t, 1, "Sarah", "PERSON"), finding(t, 1, "Sarah Thompson", "PERSON")]
    anon, _ = redact(t, findings, Register())
    assert anon.segments[0].text == "Hello [Person 1], thanks for joining."  # "Sarah"
    assert anon.segments[1].text.startswith("I'm [Person 2], ward")
    assert "Thompson" not in anon.segments[1].text


def test_propagate_covers_every_occurrence_but_respects_rejections():
    t = make_transcript()
    findings = [finding(t, 0, "Sarah", "PERSON"), finding(t, 1, "Leeds General", "ORGANISATION")]
    extra = propagate(t, findings)
    covered = {(f.segment_id, f.text) for f in extra}
    assert (1, "Sarah") in covered and (2, "Sarah") in covered
    assert (2, "Leeds General") in covered
    rejected = finding(t, 2, "Sarah", "PERSON", decision=Decision.REJECTED)
    extra = propagate(t, findings + [rejected])
    assert (2, "Sarah") not in {(f.segment_id, f.text) for f in extra}


def test_speaker_label_that_is_a_name_is_replaced():
    t = make_transcript()
    t.speakers[1].label = "Sarah"
    anon, _ = redact(t, [finding(t, 0, "Sarah", "PERSON")], Register())
    assert anon.speakers[1].label == "[Person 1]"


def test_study_persists_everything(tmp_path):
    media = tmp_path / "a.wav"
    media.write_bytes(b"RIFF....fake")
    with Study.open(tmp_path / "study") as study:
        entry = study.add_recording(media)
        t = make_transcript()
        study.save_transcript(entry.id, t)
        study.save_findings(entry.id, [finding(t, 0, "Sarah", "PERSON")])
        study.register.set_label("PERSON", "Sarah", "[Participant]")
        study.terms.add_always("Thompson", "PERSON")
        study.save(), study.save_register(), study.save_terms()
    with Study.open(tmp_path / "study") as again:
        assert again.recordings[entry.id].name == "a.wav"
        assert again.load_transcript(entry.id) == t
        assert again.load_findings(entry.id)[0].text == "Sarah"
        assert again.register.find("PERSON", "sarah").label == "[Participant]"
        assert again.terms.always == [{"text": "Thompson", "type": "PERSON"}]
        assert again.add_recording(media).id == entry.id  # same content, same id


def test_second_writer_is_refused_with_a_clear_message(tmp_path):
    with Study.open(tmp_path / "s"):
        code = textwrap.dedent(f"""
            from anonyscribe.core.study import Study, StudyLockedError
            try:
                Study.open({str(tmp_path / 's')!r})
            except StudyLockedError as e:
                print("LOCKED", e)
        """)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert "LOCKED" in out.stdout and "is open in Anonyscribe" in out.stdout
    Study.open(tmp_path / "s").close()  # released on close


def test_lock_is_released_when_the_holder_dies(tmp_path):
    code = ("from anonyscribe.core.study import Study; import os; "
            f"Study.open({str(tmp_path)!r}); os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    Study.open(tmp_path).close()


def test_in_process_second_open_is_refused(tmp_path):
    with Study.open(tmp_path), pytest.raises(StudyLockedError):
        Study.open(tmp_path)


def test_atomic_write_never_leaves_half_files(tmp_path):
    target = tmp_path / "f.json"
    write_json(target, {"a": 1})
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write('{"a": 2')
        raise RuntimeError("crash mid-write")
    assert read_json(target) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_corrupt_review_file_names_the_file(tmp_path):
    with Study.open(tmp_path) as study:
        folder = study.folder("rec-x")
        folder.mkdir(parents=True)
        (folder / "findings.json").write_text("{not json")
        with pytest.raises(CorruptFileError, match="findings.json"):
            study.load_findings("rec-x")


def test_lookups_by_id_follow_every_change_to_the_lists() -> None:
    """Speakers and segments are found through an index (a survey has one speaker per
    respondent); it must never answer from a list that has since changed."""
    t = Transcript(RecordingInfo(name="x"),
                   segments=[Segment(id=i, start=i, end=i + 1, text="a") for i in range(3)],
                   speakers=[Speaker("S1", "Ann"), Speaker("S2", "Ben")])
    assert t.speaker_label("S2") == "Ben" and t.speaker_label("S9") == "S9"
    t.speakers[1].id = "S3"  # an id changed in place
    assert t.speaker_label("S3") == "Ben" and t.speaker_label("S2") == "S2"
    t.speakers.insert(0, Speaker("S3", "Cat"))  # the first of two with one id wins
    assert t.speaker_label("S3") == "Cat"
    t.speakers = [Speaker("S1", "Zoe")]  # the list replaced
    assert t.speaker_label("S1") == "Zoe" and t.speaker_label("S2") == "S2"
    t.segments.reverse()  # reordered in place
    assert t.segment(2) is t.segments[0]
    del t.segments[0]
    with pytest.raises(KeyError):
        t.segment(2)
    assert Transcript.from_dict(t.to_dict()) == t  # the index is neither saved nor compared
