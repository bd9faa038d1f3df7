"""One labelling plan: what the review screen shows is what the preview and every export write.

Real study folders, real ReviewSessions, real exports re-read from disk; random review sessions
(accept / reject / own labels / same-person merges / undo across several recordings) check
that screen, preview and exported .txt agree and that numbering is dense from 1 per type.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from anonyscribe import exporting
from anonyscribe.core.model import Decision, Finding, RecordingInfo, Segment, Speaker, Transcript
from anonyscribe.core.register import RegisterError, label_number
from anonyscribe.core.study import RecordingEntry, Study
from anonyscribe.export import common
from anonyscribe.labels import plan, study_plan
from anonyscribe.review.session import ReviewSession
from anonyscribe.review.study_wide import similar_names

PEOPLE = ["Sarah Thompson", "Tom Baker", "Bernadette Kowalczyk", "Bernadette Cowalknik",
          "Anna", "Priya Shah"]
ORGS = ["Leeds General", "St James Hospital"]
PLACES = ["Harrogate", "York"]
FILLER = ["we talked about the rota", "it was a long shift", "nobody told us",
          "the ward was busy", "I said so at the time"]


def _sentence(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    pool = [(p, "PERSON") for p in PEOPLE] + [(o, "ORGANISATION") for o in ORGS] + [
        (p, "LOCATION") for p in PLACES]
    named = rng.sample(pool, rng.randint(1, 3))
    parts = []
    for surface, _ in named:
        parts.append(f"{rng.choice(FILLER)} with {surface}")
    return "Well, " + ", and ".join(parts) + ".", named


def add_recording(study: Study, rec_id: str, rng: random.Random, turns: int = 6) -> None:
    segments, findings, t = [], [], 0.0
    for i in range(turns):
        text, named = _sentence(rng)
        segments.append(Segment(id=i, start=t, end=t + 3.0, text=text,
                                speaker="S1" if i % 2 else "S2"))
        t += 3.5
        for surface, type_ in named:
            start = text.index(f"with {surface}") + 5
            findings.append(Finding(i, start, start + len(surface), type_, surface, 0.8, "test"))
    transcript = Transcript(RecordingInfo(f"{rec_id}.m4a", t), segments,
                            [Speaker("S1", "Speaker 1"), Speaker("S2", "Speaker 2")])
    study.recordings[rec_id] = RecordingEntry(id=rec_id, name=f"{rec_id}.m4a",
                                              path=f"/nowhere/{rec_id}.m4a", status="review")
    study.save_transcript(rec_id, transcript)
    study.save_findings(rec_id, findings)
    study.save()


def random_review(study: Study, rng: random.Random, steps: int) -> None:
    """Accept, reject, relabel, merge and undo, hopping between recordings."""
    rec_ids = list(study.recordings)
    session = ReviewSession(study, rng.choice(rec_ids))
    undo: list = []
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.1:
            session, undo = ReviewSession(study, rng.choice(rec_ids)), []
        elif roll < 0.55:
            f = rng.choice(session.findings)
            decision = Decision.ACCEPTED if rng.random() < 0.75 else Decision.REJECTED
            old = session.set_decision([f.id], decision)
            undo.append(lambda s=session, o=old: s.restore_decisions(o))
        elif roll < 0.65:
            f = rng.choice(session.findings)
            label = rng.choice(["[Participant]", "[Manager]", ""])
            old = session.set_replacement(f.type, f.text, label)
            undo.append(lambda s=session, f=f, o=old: s.set_replacement(f.type, f.text, o))
        elif roll < 0.8:
            a, b = rng.sample(PEOPLE, 2)
            before = session.merge_identities("PERSON", a, b)
            undo.append(lambda s=session, r=before: s.restore_register(r))
        elif undo:
            undo.pop()()


def txt_body(path: Path) -> list[str]:
    """The turns of an exported .txt, without their time stamps."""
    lines = path.read_text("utf-8-sig").splitlines()
    body = lines[lines.index("") + 1:]
    return [re.sub(r" #\d\d:\d\d:\d\d-\d#$", "", line) for line in body if line]


def assert_dense(labels: dict, register) -> None:
    fixed = {e.label for e in register.entries.values() if e.custom}
    numbers: dict[str, list[int]] = {}
    for (type_, _), label in labels.items():
        n = label_number(type_, label)
        if n is not None and label not in fixed:
            numbers.setdefault(type_, []).append(n)
    for type_, ns in numbers.items():
        assert sorted(ns) == list(range(1, len(ns) + 1)), f"{type_} numbers {sorted(ns)}"


@pytest.mark.parametrize("seed", range(12))
def test_screen_preview_and_export_agree_in_random_reviews(tmp_path: Path, seed: int):
    rng = random.Random(seed)
    study = Study.open(tmp_path / "study")
    for i in range(3):
        add_recording(study, f"rec-{i}", rng)
    random_review(study, rng, steps=60)

    shown: dict[str, tuple[list[str], dict[str, str]]] = {}
    for rid in study.recordings:
        s = ReviewSession(study, rid)
        preview = s.preview()
        for i, seg in enumerate(s.transcript.segments):
            assert s.preview_text(seg.id) == preview.segments[i].text
            for f in s.winners(seg.id):  # the label on screen is in the preview
                assert s.display_label(f) in preview.segments[i].text
        for f in s.findings:
            if f.decision is Decision.PENDING:
                assert s.display_label(f) == f"[{common_stem(f.type)} ?]"
        labels = {f.id: s.display_label(f) for f in s.findings}
        shown[rid] = ([f"{t.speaker}: {t.text}" for t in common.export_turns(preview)], labels)
        assert_dense(dict(s.plan().labels), study.register)
    everyone = study_plan(study)
    assert_dense(dict(everyone.labels), study.register)

    out = tmp_path / "out"
    for rid in study.recordings:
        (path,) = exporting.export_recording(study, rid, out, ["txt"])
        assert txt_body(path) == shown[rid][0]
    for rid in study.recordings:  # exporting froze the labels: nothing shown has moved
        s = ReviewSession(study, rid)
        assert {f.id: s.display_label(f) for f in s.findings} == shown[rid][1]
    study.close()


def common_stem(type_: str) -> str:
    from anonyscribe.core.model import ENTITY_TYPES

    return ENTITY_TYPES[type_]


def _accept(session: ReviewSession, *surfaces: str) -> None:
    session.set_decision([f.id for f in session.findings if f.text in surfaces],
                         Decision.ACCEPTED)


def _make(study: Study, rec_id: str, texts: list[tuple[str, list[tuple[str, str]]]]) -> None:
    segments, findings = [], []
    for i, (text, named) in enumerate(texts):
        segments.append(Segment(i, i * 4.0, i * 4.0 + 3, text, "S1"))
        for surface, type_ in named:
            start = text.index(surface)
            findings.append(Finding(i, start, start + len(surface), type_, surface, 0.8, "t"))
    study.recordings[rec_id] = RecordingEntry(id=rec_id, name=f"{rec_id}.m4a", path="",
                                              status="review")
    study.save_transcript(rec_id, Transcript(RecordingInfo(f"{rec_id}.m4a", 12.0), segments,
                                             [Speaker("S1", "Speaker 1")]))
    study.save_findings(rec_id, findings)
    study.save()


def test_exported_labels_never_change_when_another_recording_is_reviewed(tmp_path: Path):
    study = Study.open(tmp_path / "study")
    # "first" comes first in the study but is reviewed last: it would renumber everyone.
    _make(study, "first", [("Tom Baker met Sarah Thompson.", [("Tom Baker", "PERSON"),
                                                              ("Sarah Thompson", "PERSON")]),
                           ("Then Leeds General called.", [("Leeds General", "ORGANISATION")])])
    _make(study, "second", [("I am Sarah Thompson from York.", [("Sarah Thompson", "PERSON"),
                                                                ("York", "LOCATION")]),
                            ("Anna works at Leeds General.", [("Anna", "PERSON"),
                                                              ("Leeds General",
                                                               "ORGANISATION")])])
    _accept(ReviewSession(study, "second"), "Sarah Thompson", "York", "Anna", "Leeds General")
    out = tmp_path / "out"
    (before,) = exporting.export_recording(study, "second", out, ["txt"])
    exported = before.read_text("utf-8")
    assert "I am [Person 1] from [Location 1]." in exported
    assert "[Person 2] works at [Organisation 1]." in exported

    first = ReviewSession(study, "first")
    _accept(first, "Tom Baker", "Sarah Thompson", "Leeds General")
    assert first.preview_text(0) == "[Person 3] met [Person 1]."  # the next free number
    assert first.preview_text(1) == "Then [Organisation 1] called."
    with pytest.raises(RegisterError):  # an exported label cannot be renamed
        first.set_replacement("PERSON", "Sarah Thompson", "[Participant]")
    exporting.export_recording(study, "first", out, ["txt"])
    (again,) = exporting.export_recording(study, "second", out, ["txt"])
    assert again == before and again.read_text("utf-8") == exported
    assert sorted(p.name for p in out.iterdir()) == ["first.txt", "second.txt"]
    study.close()


def test_rejected_findings_and_file_names_take_no_number(tmp_path: Path):
    study = Study.open(tmp_path / "study")
    _make(study, "Interview with Priya Shah", [
        ("Hello Bob, this is Anna.", [("Bob", "PERSON"), ("Anna", "PERSON")])])
    s = ReviewSession(study, "Interview with Priya Shah")
    s.set_decision([f.id for f in s.findings if f.text == "Bob"], Decision.REJECTED)
    _accept(s, "Anna")
    assert s.preview_text(0) == "Hello Bob, this is [Person 1]."
    study.terms.add_always("Priya Shah", "PERSON")  # a name from the file name
    out = tmp_path / "out"
    (path,) = exporting.export_recording(study, "Interview with Priya Shah", out, ["txt"])
    assert path.name == "Interview_with_Person.txt"
    assert "[Person 1]" in path.read_text("utf-8") and "Priya" not in path.read_text("utf-8")
    study.close()


def test_same_person_is_proposed_merged_and_undone(tmp_path: Path):
    study = Study.open(tmp_path / "study")
    _make(study, "a", [("Bernadette Kowalczyk said hello.",
                        [("Bernadette Kowalczyk", "PERSON")])])
    _make(study, "b", [("Tom and Bernadette Cowalknik came.",
                        [("Tom", "PERSON"), ("Bernadette Cowalknik", "PERSON")])])
    _accept(ReviewSession(study, "a"), "Bernadette Kowalczyk")
    s = ReviewSession(study, "b")
    _accept(s, "Tom", "Bernadette Cowalknik")
    assert s.preview_text(0) == "[Person 2] and [Person 3] came."
    key = ("PERSON", "bernadette cowalknik")
    assert s.proposal(key) == ("[Person 1]", "Bernadette Kowalczyk")
    assert s.proposal(("PERSON", "tom")) is None
    before = s.merge_identities("PERSON", "Bernadette Kowalczyk", "Bernadette Cowalknik")
    assert s.preview_text(0) == "[Person 2] and [Person 1] came."
    assert ReviewSession(study, "b").preview_text(0) == "[Person 2] and [Person 1] came."
    s.restore_register(before)
    assert s.preview_text(0) == "[Person 2] and [Person 3] came."
    study.close()


def test_editing_a_turn_detects_again(tmp_path: Path, detector):
    study = Study.open(tmp_path / "study")
    _make(study, "a", [("And you live near the park?", [])])
    s = ReviewSession(study, "a", detect=detector.detect_text)
    state = s.segment_state(0)
    s.edit_segment_text(0, "And you live near the park with Margaret Hughes?")
    new = [f for f in s.findings if f.text == "Margaret Hughes"]
    assert new and new[0].decision is Decision.PENDING and new[0].type == "PERSON"
    assert s.preview_text(0) == "And you live near the park with [Person ?]?"
    s.restore_segment(state)
    assert s.findings == []
    study.close()


def test_plan_is_pure_and_numbers_in_order_of_first_appearance():
    from anonyscribe.core.register import Register

    reg = Register()
    reg.set_label("PERSON", "Tom", "[Participant]")
    snapshot = reg.to_dict()
    p = plan(reg, [[("PERSON", "Anna"), ("PERSON", "Tom"), ("DATE", "May")],
                   [("PERSON", "Bob"), ("PERSON", "anna's")]])
    assert reg.to_dict() == snapshot
    assert p.label("PERSON", "Anna") == "[Person 1]" == p.label("PERSON", "ANNA")
    assert p.label("PERSON", "Tom") == "[Participant]"
    assert p.label("PERSON", "Bob") == "[Person 2]"
    assert p.label("DATE", "May") == "[Date 1]"
    assert p.label("PERSON", "Carol") is None


def _say(path: Path, text: str) -> Path:
    import shutil
    import subprocess

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is needed to make the spoken fixture")
    subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "140", "-w", str(path), text], check=True)
    return path


def test_file_name_identifiers_never_reach_exports_and_reexport_keeps_names(
        tmp_path: Path, tiny_engines, monkeypatch, capsys):
    """Issue 14.1: a clip that says only "Sarah", named after Sarah O'Connor (and her
    trust): batch --auto, then `anonyscribe export` with more formats. Names, headers and
    .qdpx sources hold no part of the file name's identifiers; the second export reuses the
    first one's names and leaves no stale duplicate."""
    from anonyscribe import cli
    from anonyscribe.batch import BatchOptions, run_batch

    rec = tmp_path / "rec"
    rec.mkdir()
    _say(rec / "Interview with Sarah O'Connor-20231012_140512-Meeting Recording.wav",
         "Hi Sarah, thanks for joining.")
    _say(rec / "Interview with Sarah O'Connor - Leeds Teaching Hospitals.wav",
         "Hello Sarah, thank you for coming in today.")
    anon, private = tmp_path / "anon", tmp_path / "study"
    result = run_batch([rec], anon, private,
                       BatchOptions(auto=True, formats=["txt"]), engines=tiny_engines)
    assert [i.status for i in result.items] == ["done", "done"], [i.message for i in result.items]
    first = sorted(p.name for p in anon.glob("*.txt"))
    assert len(first) == 2

    code = cli.main(["export", "--private", str(private), "--out", str(anon),
                     "--format", "txt,vtt,qdpx"])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in anon.iterdir() if p.is_file())
    stems = sorted(Path(n).stem for n in first)
    assert names == sorted([f"{s}.txt" for s in stems] + [f"{s}.vtt" for s in stems]
                           + ["study.qdpx"])  # same names again, no "-2", no stale copy
    leaky = re.compile(r"sarah|o.?connor|connor|leeds|teaching|2023|140512", re.IGNORECASE)
    for name in names:
        assert not leaky.search(name), name
        body = (anon / name).read_bytes()
        if name.endswith(".qdpx"):
            import zipfile

            with zipfile.ZipFile(anon / name) as z:
                body = b"".join(z.read(n) + n.encode() for n in z.namelist())
        assert not leaky.search(body.decode("utf-8", "replace")), name
    for stem in stems:
        assert f"Recording {stem}" in (anon / f"{stem}.txt").read_text("utf-8-sig")


def test_undoing_a_merge_keeps_labels_exported_meanwhile(tmp_path: Path):
    study = Study.open(tmp_path / "study")
    _make(study, "a", [("Anna met Tom.", [("Anna", "PERSON"), ("Tom", "PERSON")])])
    s = ReviewSession(study, "a")
    _accept(s, "Anna", "Tom")
    before = s.merge_identities("PERSON", "Anna", "Tom")
    assert s.preview_text(0) == "[Person 1] met [Person 1]."
    exporting.export_recording(study, "a", tmp_path / "out", ["txt"])
    s.restore_register(before)  # the export froze "Tom" as [Person 1]: it stays so
    assert s.preview_text(0) == "[Person 1] met [Person 1]."
    study.close()


def test_fast_same_person_check_agrees_with_same_name():
    """The review panel's prefilter never hides a proposal ``same_name`` would make."""
    from anonyscribe.detect.similar import same_name

    root = Path(__file__).resolve().parents[1] / "resources" / "terms"
    first = [w.strip().title() for w in (root / "first_names.txt").read_text("utf-8")
             .splitlines() if w.strip() and not w.startswith("#")]
    last = [w.strip().title() for w in (root / "surnames.txt").read_text("utf-8")
            .splitlines() if w.strip() and not w.startswith("#")]
    rng = random.Random(5)

    def misspelt(name: str) -> str:
        chars = list(name)
        i = rng.randrange(len(chars))
        chars[i:i + 1] = rng.choice([[], [rng.choice("aeiouckszv")], [chars[i], "h"]])
        return "".join(chars)

    pairs = []
    for _ in range(1500):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        pairs += [(name, misspelt(name)), (name, name.split()[1]),
                  (name, f"{rng.choice(first)} {rng.choice(last)}")]
    assert sum(same_name(a, b) for a, b in pairs) > 1500  # the pairs do test something
    assert [similar_names(a, b) for a, b in pairs] == [same_name(a, b) for a, b in pairs]
