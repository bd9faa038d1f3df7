"""Text transcripts as sources: Teams .docx/.vtt, a service's .docx, captions, plain text,
and our own exports read back (all real files, parsed by the real readers)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from anonyscribe import export
from anonyscribe.batch import collect_inputs
from anonyscribe.core.model import RecordingInfo, Segment, Speaker, Transcript
from anonyscribe.sources import (
    SourceError,
    SourceKind,
    is_text_source,
    kind_of,
    read_source,
    read_transcript_file,
)
from anonyscribe.sources.common import is_role
from make_sources import SERVICE_LINES, TEAMS_TURNS, service_docx, teams_docx, teams_vtt


def test_kinds():
    assert kind_of("a.MP4") is SourceKind.MEDIA
    assert kind_of("notes.docx") is SourceKind.TRANSCRIPT
    assert kind_of("forms.xlsx") is SourceKind.SURVEY
    assert kind_of("x.pdf") is None
    assert is_text_source("t.vtt") and not is_text_source("t.wav")


def test_teams_docx_turns_speakers_times_and_names(tmp_path: Path):
    result = read_transcript_file(teams_docx(tmp_path / "Marcus interview.docx"))
    t = result.transcript
    assert [sp.label for sp in t.speakers] == ["Hannah Price", "Marcus Whitfield"]
    # Marcus's two consecutive paragraphs (6 s apart, Teams' own cut) are one turn
    assert len(t.segments) == 4
    assert t.segments[0].start == pytest.approx(3.0)
    assert t.segments[1].start == pytest.approx(9.0)
    assert "Barts Health" in t.segments[1].text
    assert "stopped transcription" not in " ".join(s.text for s in t.segments)
    names = {n.casefold() for n in result.names}
    assert {"hannah price", "marcus whitfield", "marcus", "whitfield", "hannah"} <= names
    assert t.recording.duration > 30


def test_teams_vtt_same_meeting(tmp_path: Path):
    result = read_transcript_file(teams_vtt(tmp_path / "meeting.vtt"))
    t = result.transcript
    assert [sp.label for sp in t.speakers] == ["Hannah Price", "Marcus Whitfield"]
    assert [t.speaker_label(s.speaker) for s in t.segments] == [
        "Hannah Price", "Marcus Whitfield", "Marcus Whitfield", "Hannah Price",
        "Marcus Whitfield"] or len(t.segments) == 4
    text = " ".join(s.text for s in t.segments)
    assert all(turn[2] in text for turn in TEAMS_TURNS)
    assert t.segments[0].start == pytest.approx(3.0) and t.segments[0].end > 3.0
    assert "Marcus Whitfield" in result.names


def test_service_docx_name_colon_paragraphs(tmp_path: Path):
    result = read_transcript_file(service_docx(tmp_path / "interview 7.docx"))
    t = result.transcript
    labels = [t.speaker_label(s.speaker) for s in t.segments]
    # the title is kept as text (it names the participant and so must be reviewed)
    assert labels[0] == "Text" and "Joanne Fairbairn" in t.segments[0].text
    assert labels[1:] == [name for name, _ in SERVICE_LINES]
    assert [s.text for s in t.segments[1:]] == [text for _, text in SERVICE_LINES]
    assert all(s.start == 0 and s.end == 0 for s in t.segments)  # no times in the file
    assert "Joanne Fairbairn" in result.names and "Interviewer" not in result.names


def test_srt_and_plain_text(tmp_path: Path):
    srt = tmp_path / "focus group.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:04,000\nModerator: Welcome, everyone.\n\n"
                   "2\n00:00:04,500 --> 00:00:09,000\nAisha Rahman: I work in Halifax.\n\n",
                   encoding="utf-8")
    t = read_transcript_file(srt).transcript
    assert [t.speaker_label(s.speaker) for s in t.segments] == ["Moderator", "Aisha Rahman"]
    assert t.segments[1].start == pytest.approx(4.5) and t.segments[1].end == pytest.approx(9)

    notes = tmp_path / "field notes.txt"
    notes.write_bytes("Visited the ward on Tuesday.\nSister O’Neill showed us round.\n\n"
                      "Second paragraph about the café.\n".encode("cp1252"))
    t = read_transcript_file(notes).transcript
    assert [s.text for s in t.segments] == [
        "Visited the ward on Tuesday. Sister O’Neill showed us round.",
        "Second paragraph about the café."]
    assert [sp.label for sp in t.speakers] == ["Text"]


def test_roles_are_not_names():
    for label in ("Interviewer", "P3", "Speaker 2", "[Person 1]", "Participant A", "R"):
        assert is_role(label)
    for label in ("Joanne Fairbairn", "Aisha", "Dr Okoro"):
        assert not is_role(label)


def _transcript() -> Transcript:
    segs = [Segment(0, 1.0, 4.2, "Thanks for coming in today.", "S1"),
            Segment(1, 4.8, 11.5, "Happy to: I work as a ward sister.", "S2"),
            Segment(2, 12.0, 15.0, "And how long for?", "S1")]
    return Transcript(RecordingInfo("x.wav", duration=15.0), segs,
                      [Speaker("S1", "Interviewer"), Speaker("S2", "[Person 1]")])


@pytest.mark.parametrize("fmt", ["txt", "docx", "nvivo", "vtt", "srt"])
def test_our_own_exports_read_back(tmp_path: Path, fmt: str):
    written = export.write_format(fmt, _transcript(), tmp_path, "interview")
    t = read_transcript_file(written[-1] if fmt == "nvivo" else written[0]).transcript
    got = [(t.speaker_label(s.speaker), s.text) for s in t.segments]
    assert got == [("Interviewer", "Thanks for coming in today."),
                   ("[Person 1]", "Happy to: I work as a ward sister."),
                   ("Interviewer", "And how long for?")]
    ends = [s.end for s in t.segments]
    assert ends == pytest.approx([4.2, 11.5, 15.0], abs=0.06)
    if fmt in ("nvivo", "vtt", "srt"):  # these carry start times too
        assert [s.start for s in t.segments] == pytest.approx([1.0, 4.8, 12.0], abs=0.06)


def test_nvivo_docx_table_read_back(tmp_path: Path):
    written = export.write_format("nvivo", _transcript(), tmp_path, "rows")
    t = read_transcript_file(written[0]).transcript
    assert [s.text for s in t.segments][1] == "Happy to: I work as a ward sister."


def test_untimed_text_exports_without_time_stamps(tmp_path: Path):
    t = read_transcript_file(service_docx(tmp_path / "s.docx")).transcript
    (path,) = export.write_format("txt", t, tmp_path / "out", "s")
    body = path.read_text(encoding="utf-8-sig")
    assert "#00:" not in body and "Interviewer: What has helped you most?" in body
    (path,) = export.write_format("docx", t, tmp_path / "out", "s")
    assert "#00:" not in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_empty_and_unreadable_files_say_so(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(SourceError, match="empty.txt.*no text"):
        read_source(empty)
    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    with pytest.raises(SourceError, match="blank.docx"):
        read_source(blank)


def test_folder_scan_takes_text_sources_but_not_a_recordings_teams_transcript(
        tmp_path: Path, speech_dir: Path):
    import shutil

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(speech_dir / "batch_1.m4a", src / "Weekly catch up.m4a")
    teams_vtt(src / "Weekly catch up.vtt")  # Teams' transcript of that recording
    service_docx(src / "interview 7.docx")
    (src / "~$interview 7.docx").write_bytes(b"lock")
    out = src / "anonymised"
    out.mkdir()
    (out / "interview 7.txt").write_text("an earlier export", encoding="utf-8")
    files, notes = collect_inputs([src], exclude=[out])
    assert sorted(f.name for f in files) == ["Weekly catch up.m4a", "interview 7.docx"]
    assert any("Teams transcript of Weekly catch up.m4a" in n for n in notes)


def test_teams_surname_forename_labels_in_text(tmp_path: Path):
    """Teams writes accounts as "Surname, Forename (Organisation)"; pasted or exported as
    "Label: text" such a label is one speaker, shown as "Forename Surname", and a name."""
    path = tmp_path / "pasted.txt"
    path.write_text("Kowalski, Diane: Hello, can you hear me?\n"
                    "BRENNAN, Sheila (Leeds Teaching Hospitals): Yes, fine.\n"
                    "Kowalski, Diane: Great, then let's start.\n"
                    "I asked her, and: she said no.\n", encoding="utf-8")
    result = read_transcript_file(path)
    t = result.transcript
    assert [sp.label for sp in t.speakers] == ["Diane Kowalski", "Sheila Brennan"]
    assert [t.speaker_label(s.speaker) for s in t.segments] == [
        "Diane Kowalski", "Sheila Brennan", "Diane Kowalski"]
    # a line that is a sentence with a colon continues the turn: it is not a label
    assert t.segments[2].text == "Great, then let's start. I asked her, and: she said no."
    names = {n.casefold() for n in result.names}
    assert {"kowalski, diane", "diane kowalski", "sheila brennan", "kowalski", "sheila"} <= names
